"""English and Chinese: catalogues, number and date formats, and the language switch."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from jinja2 import Environment
from starlette.requests import Request

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.errors import ValidationError
from servtrade.web import i18n

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# Messages that are rightly the same in both languages (a code or an abbreviation such as RCA);
# every other Chinese message must differ from its English one.
SAME_IN_BOTH: frozenset[str] = frozenset()


def test_both_catalogues_have_the_same_keys() -> None:
    en, zh = i18n._read("en"), i18n._read("zh")
    assert sorted(zh["messages"]) == sorted(en["messages"])
    same = [k for k in en["messages"] if zh["messages"][k] == en["messages"][k]]
    assert [k for k in same if k not in SAME_IN_BOTH] == []


def test_messages_and_fallback() -> None:
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert (en.t("login.title"), zh.t("login.title")) == ("Sign in", "登录")
    assert zh.t("login.failed", reason="密码错误") == "登录失败：密码错误"
    assert zh.t("no.such.key") == "no.such.key"
    assert i18n.catalogue("fr").locale == "en"


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en", 1234567, "1,234,567"),
        ("en", 1234567.891, "1,234,567.89"),
        ("zh", 1234567.891, "1,234,567.89"),
    ],
)
def test_numbers(locale: str, value: float, expected: str) -> None:
    assert i18n.catalogue(locale).format_number(value) == expected


def test_compact_percent_and_dates_differ_by_language() -> None:
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert (en.format_compact(1_234_000_000), zh.format_compact(1_234_000_000)) == (
        "1.2 bn", "12.3亿",
    )  # fmt: skip
    assert (en.format_compact(45_600), zh.format_compact(45_600)) == ("45.6 k", "4.6万")
    assert (en.format_compact(999), en.format_compact(12.5)) == ("999", "12.5")
    assert (en.format_percent(12.345), zh.format_percent(-3)) == ("12.3%", "-3.0%")
    day = date(2026, 11, 25)
    assert (en.format_date(day), zh.format_date(day)) == ("25 Nov 2026", "2026年11月25日")
    moment = datetime(2026, 11, 25, 9, 5)
    assert zh.format_date(moment) == "2026年11月25日 09:05"


def test_filters_read_the_language_from_the_context() -> None:
    env = Environment(autoescape=True)
    i18n.install(env)
    template = env.from_string(
        "{{ t('nav.login') }} {{ 1234567.5 | number(1) }} {{ 250000000 | compact }} "
        "{{ 7.25 | percent }} {{ day | date }}{{ none | date }}"
    )
    context = {"day": date(2026, 1, 2), "none": None}
    assert template.render(lang="zh", **context) == "登录 1,234,567.5 2.5亿 7.2% 2026年1月2日"
    assert template.render(**context) == "Sign in 1,234,567.5 250.0 m 7.2% 2 Jan 2026"


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw, "method": "GET", "path": "/"})


def test_language_of_a_request() -> None:
    assert i18n.negotiate("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert i18n.negotiate("fr-FR, en;q=0.5, zh;q=0.7") == "zh"
    assert i18n.negotiate("en;q=bad, zh;q=0.1") == "zh"
    assert i18n.negotiate(None) == "en"
    browser = _request({"Accept-Language": "zh-TW"})
    assert i18n.request_locale(browser) == "zh"
    assert i18n.request_locale(browser, "en") == "en"  # the account's choice wins
    cookie = _request({"Accept-Language": "zh", "Cookie": "servtrade_lang=en"})
    assert i18n.request_locale(cookie) == "en"
    assert i18n.parse_locale("zh_CN") == "zh"
    with pytest.raises(ValidationError, match="unsupported language 'fr'"):
        i18n.parse_locale("fr")


def _switch(client: TestClient, lang: str, page: str = "/login") -> Any:
    token = CSRF.search(client.get(page).text)
    assert token is not None
    return client.post(
        "/language", data={"lang": lang, "next": page, "csrf_token": token.group(1)},
        follow_redirects=False,
    )  # fmt: skip


def test_anonymous_switch_uses_a_cookie(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/login").text
    response = _switch(client, "zh")
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert "servtrade_lang=zh" in response.headers["set-cookie"]
    page = client.get("/login").text
    assert ('<html lang="zh-CN">' in page, "登录" in page, "电子邮箱" in page) == (True, True, True)
    assert _switch(client, "xx").status_code == 422


def test_signed_in_switch_is_stored_on_the_account(client: TestClient) -> None:
    app: Any = client.app
    runtime = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    app.state.accounts = runtime
    create_admin(app.state.session_factory, runtime, "root@example.org", "correct horse battery")
    client.post(
        "/api/accounts/login",
        json={"email": "root@example.org", "password": "correct horse battery"},
    )
    _switch(client, "zh", "/account")
    assert client.get("/api/accounts/me").json()["locale"] == "zh"
    client.cookies.delete("servtrade_lang")  # the account remembers it without the cookie
    page = client.get("/account", headers={"Accept-Language": "en"}).text
    assert ("我的账户" in page, "API 令牌" in page) == (True, True)


def _write(path: Any, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_fragments_add_messages_and_refuse_a_key_defined_twice(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = yaml.safe_load((i18n.LOCALES_DIR / "en.yaml").read_text(encoding="utf-8"))
    _write(tmp_path / "en.yaml", base)
    _write(tmp_path / "en.fair.yaml", {"messages": {"fair.extra": "Extra"}})
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert i18n._read("en")["messages"]["fair.extra"] == "Extra"
    first_key = next(iter(base["messages"]))
    _write(tmp_path / "en.more.yaml", {"messages": {first_key: "again"}})
    with pytest.raises(ValidationError) as caught:
        i18n._read("en")
    assert "en.yaml" in caught.value.errors[0].message
    _write(tmp_path / "en.more.yaml", {"messages": ["not", "a", "mapping"]})
    with pytest.raises(ValidationError, match=r"en\.more\.yaml"):
        i18n._read("en")
