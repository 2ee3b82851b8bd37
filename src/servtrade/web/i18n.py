"""English and Chinese for the dashboard: message catalogues, number and date formats.

Catalogues are data (``web/locales/<locale>.yaml``); a key missing in one language falls back
to English. The language of a request is the signed-in user's choice (stored on the account),
else the ``servtrade_lang`` cookie of an anonymous visitor, else ``Accept-Language``.

Templates use ``{{ t("key") }}`` and the filters ``number``, ``percent``, ``compact``,
``date``, ``economy`` (an economy code as its name) and ``item`` (an EBOPS code or aggregate id
as its name); all read ``lang`` from the template context (see :func:`install`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import Request, Response
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from servtrade.config import Settings
from servtrade.errors import ErrorDetail, ServtradeError, ValidationError
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import resolve_economy
from servtrade.web.auth import secure_cookies

LOCALES_DIR = Path(__file__).parent / "locales"
SUPPORTED = ("en", "zh")
DEFAULT = "en"
LANG_COOKIE = "servtrade_lang"


@dataclass(frozen=True)
class Catalogue:
    """One language: its messages and its number and date conventions."""

    locale: str
    name: str
    tag: str  # the BCP 47 tag for ``<html lang>``: en, zh-CN
    messages: dict[str, str]
    number: dict[str, Any]
    dates: dict[str, Any]
    fallback: Catalogue | None = None

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` with ``{params}`` filled in; the key itself if unknown."""
        text = self.messages.get(key)
        if text is None:
            return self.fallback.t(key, **params) if self.fallback else key
        return text.format(**params) if params else text

    def format_number(self, value: float | int, decimals: int | None = None) -> str:
        places = decimals if decimals is not None else (0 if isinstance(value, int) else 2)
        text = f"{value:,.{places}f}"
        table = str.maketrans({",": self.number["group"], ".": self.number["decimal"]})
        return text.translate(table)

    def format_percent(self, value: float, decimals: int = 1) -> str:
        """``value`` is already in percent (12.5 → "12.5%")."""
        return str(self.number["percent"]).format(value=self.format_number(value, decimals))

    def format_compact(self, value: float, decimals: int = 1) -> str:
        """Large figures in the language's units: 1.2 bn (English), 12亿 (Chinese)."""
        for threshold, pattern in self.number["compact"]:
            if abs(value) >= threshold:
                scaled = self.format_number(value / threshold, decimals)
                return str(pattern).format(value=scaled)
        return self.format_number(value, 0 if float(value).is_integer() else decimals)

    def format_date(self, value: date | datetime) -> str:
        months = self.dates["months"]
        text = str(self.dates["pattern"]).format(
            day=value.day, month=value.month, month_name=months[value.month - 1], year=value.year
        )
        if isinstance(value, datetime):
            time = str(self.dates["time"]).format(hour=value.hour, minute=value.minute)
            text = f"{text} {time}"
        return text


def _malformed(path: Path, what: str) -> ValidationError:
    return ValidationError(
        f"message catalogue {path.name} is malformed",
        errors=[ErrorDetail(what, file=str(path), hint="fix the YAML file")],
    )


def _read(locale: str) -> dict[str, Any]:
    """``<locale>.yaml`` (formats and common messages) plus the messages of every
    ``<locale>.<area>.yaml`` fragment; a key defined twice is an error naming both files."""
    path = LOCALES_DIR / f"{locale}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("locale") != locale:
        raise _malformed(path, "expected a mapping with locale: " + locale)
    messages: dict[str, Any] = dict(data.get("messages") or {})
    origin = dict.fromkeys(messages, path.name)
    for part in sorted(LOCALES_DIR.glob(f"{locale}.*.yaml")):
        extra = yaml.safe_load(part.read_text(encoding="utf-8"))
        if not isinstance(extra, dict) or not isinstance(extra.get("messages"), dict):
            raise _malformed(part, "expected a mapping with a 'messages' mapping")
        for key, text in extra["messages"].items():
            if key in origin:
                raise _malformed(part, f"key {key!r} is already defined in {origin[key]}")
            messages[key], origin[key] = text, part.name
    return {**data, "messages": messages}


@cache
def catalogue(locale: str) -> Catalogue:
    """The catalogue of ``locale`` (unsupported locales get English)."""
    locale = locale if locale in SUPPORTED else DEFAULT
    data = _read(locale)
    return Catalogue(
        locale=locale,
        name=str(data["name"]),
        tag=str(data.get("tag") or locale),
        messages={str(k): str(v) for k, v in data["messages"].items()},
        number=data["number"],
        dates=data["date"],
        fallback=None if locale == DEFAULT else catalogue(DEFAULT),
    )


def parse_locale(value: str) -> str:
    """A supported locale from user input (``zh-CN`` → ``zh``); anything else is an error."""
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    if primary not in SUPPORTED:
        raise ValidationError(
            f"unsupported language {value!r}",
            errors=[ErrorDetail("not offered", field="lang", value=value, hint="use en or zh")],
        )
    return primary


def negotiate(accept_language: str | None) -> str:
    """The best supported locale for an ``Accept-Language`` header (RFC 9110 section 12.5.4)."""
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in SUPPORTED and q > best_q:
            best, best_q = primary, q
    return best


def request_locale(request: Request, user_locale: str | None = None) -> str:
    """The language of this request: the account's, else the cookie's, else the browser's."""
    if user_locale in SUPPORTED:
        return str(user_locale)
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in SUPPORTED:
        return str(cookie)
    return negotiate(request.headers.get("accept-language"))


def set_lang_cookie(response: Response, locale: str, settings: Settings) -> None:
    response.set_cookie(
        LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", path="/",
        secure=secure_cookies(settings), httponly=True,
    )  # fmt: skip


def _cat(ctx: Context) -> Catalogue:
    return catalogue(str(ctx.get("lang") or DEFAULT))


@pass_context
def _t(ctx: Context, key: str, **params: Any) -> str:
    return _cat(ctx).t(key, **params)


@pass_context
def _number(ctx: Context, value: float | int, decimals: int | None = None) -> str:
    return _cat(ctx).format_number(value, decimals)


@pass_context
def _percent(ctx: Context, value: float, decimals: int = 1) -> str:
    return _cat(ctx).format_percent(value, decimals)


@pass_context
def _compact(ctx: Context, value: float, decimals: int = 1) -> str:
    return _cat(ctx).format_compact(value, decimals)


def _as_date(value: str) -> date | datetime | None:
    """An ISO date or date-time text as a value (``None`` when it is neither)."""
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


@pass_context
def _date(ctx: Context, value: date | datetime | str | None) -> str:
    """A date in the page's language; ISO text is read first, other text is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        parsed = _as_date(value)
        return value if parsed is None else _cat(ctx).format_date(parsed)
    return _cat(ctx).format_date(value)


@pass_context
def _label(ctx: Context, prefix: str, code: str | None) -> str:
    """The catalogue's name for a code (``label("flow", "exports")``); an unknown code is shown
    as it is, with underscores as spaces, so a new code never leaks a message key."""
    if code is None:
        return ""
    text = _cat(ctx).t(f"{prefix}.{code}")
    return str(code).replace("_", " ") if text == f"{prefix}.{code}" else text


def economy_name(code: str | None, locale: str) -> str:
    """An economy's name from the vocabulary: the Chinese name in Chinese when the vocabulary
    has one, else the English name; an unknown code is shown as it is."""
    if not code:
        return ""
    try:
        economy = resolve_economy(code)
    except ServtradeError:
        return code
    if locale == "zh" and economy.name_zh:
        return economy.name_zh
    return economy.name_en


@pass_context
def _economy(ctx: Context, code: str | None) -> str:
    return economy_name(code, _cat(ctx).locale)


def item_name(code: str | None, locale: str, default: str | None = None) -> str:
    """A service item's name: an EBOPS 2010 code (``SI``, ``ebops:SI``, Comtrade ``9``) or a
    named aggregate id, in Chinese for ``zh`` where the vocabulary has the official term, else
    in English. Anything else (another system's key, an unknown code) is ``default`` when given,
    else shown as it is."""
    if not code:
        return ""
    text = str(code).strip()
    system, _, key = text.rpartition(":")
    if system and system.casefold() != "ebops":
        return default or text
    found = aggregates().get(key)
    if found is not None:
        return found.label(locale)
    if key in ebops_tree():
        return ebops_tree().resolve(key).name(locale)
    return default or text


@pass_context
def _item(ctx: Context, code: str | None, default: str | None = None) -> str:
    return item_name(code, _cat(ctx).locale, default)


@pass_context
def _html_lang(ctx: Context) -> str:
    return _cat(ctx).tag


def install(env: Environment) -> None:
    """Give templates ``t(...)``, ``html_lang()``, ``label(...)``, ``item_name(...)`` and the
    number, date, economy and item filters (idempotent)."""
    env.globals["t"] = _t
    env.globals["html_lang"] = _html_lang
    env.globals["label"] = _label
    env.globals["item_name"] = _item
    env.globals["languages"] = [
        (code, catalogue(code).name, catalogue(code).tag) for code in SUPPORTED
    ]
    env.filters.update(
        number=_number, percent=_percent, compact=_compact, date=_date, economy=_economy,
        item=_item,
    )  # fmt: skip
