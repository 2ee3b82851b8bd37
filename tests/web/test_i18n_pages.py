"""Every dashboard page in English and Chinese: no message key leaks, ``<html lang>`` is right,
the Chinese pages are Chinese, numbers and dates follow the language, and the header's switch
remembers the choice (cookie when anonymous, the account when signed in)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from sqlalchemy import event

from servtrade.accounts.registration import create_admin
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory, upgrade
from servtrade.market import schedule_service, services
from servtrade.stats.bundled import load_bundled
from servtrade.web import i18n

PASSWORD = "correct horse battery"
# one admin per language (the account's language wins over the cookie), one for the switch
ACCOUNTS = {"en": "en@example.org", "zh": "zh@example.org", "switch": "switch@example.org"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CJK = re.compile(r"[\u4e00-\u9fff]")
HTML_LANG = {"en": '<html lang="en">', "zh": '<html lang="zh-CN">'}
NAV = {"en": ["Home", "Observatory", "Rules", "Fair", "Claim checker"],
       "zh": ["首页", "数据观测", "规则查询", "展会", "数据核查"]}  # fmt: skip
RULES_CASE = (
    "provider_economy=USA&provider_type=individual&buyer_economy=CHN&zone=&service=gbt4754:F5182"
    "&mode=4&on=2024-05-01"
)


def _prefixes() -> str:
    """The first parts of every catalogue key (nav, obs, fair, ...): a leaked key starts so."""
    keys = i18n._read("en")["messages"]
    return "|".join(sorted({k.split(".")[0] for k in keys}))


# a key shown literally, e.g. "fair.title": not inside a path, file name, address or word
LEAK = re.compile(rf"(?<![\w/.@-])(?:{_prefixes()})\.[a-z_]+(?:\.[a-z_0-9]+)*(?![\w/-])")


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, loaded_settings: Settings
) -> Iterator[dict[str, Any]]:
    """One app with the bundled statistics, a small synthetic fair with a schedule, and an
    admin account; the tests only read, except for language choices."""
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("i18nweb")
    settings = load_settings(data_dir=root / "data", shared_dir=loaded_settings.shared_dir)
    load_bundled(settings)
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    fair = services.generate_fair(factory, 30, 6, 5)
    scheduled = schedule_service.run_schedule(factory, fair.id, time_limit=1)
    engine.dispose()
    app = create_app(settings)
    runtime = AccountsRuntime(hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    app.state.accounts = runtime
    with TestClient(app, raise_server_exceptions=False) as client:
        for email in ACCOUNTS.values():
            create_admin(app.state.session_factory, runtime, email, PASSWORD)
        _sign_in(client, ACCOUNTS["zh"])
        assert _switch(client, "/", "zh").status_code == 303
        exhibitors = client.get(f"/api/market/fairs/{fair.id}/exhibitors")
        client.cookies.clear()
        yield {
            "app": app,
            "fair": fair.id,
            "participant": exhibitors.json()["items"][0]["participant_id"],
            "table": scheduled["meetings"][0]["table_id"],
        }


def _sign_in(client: TestClient, email: str) -> None:
    login = client.post("/api/accounts/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text


def _browser(site: dict[str, Any], lang: str | None = None, signed_in: bool = False) -> TestClient:
    """A client that is anonymous with the language cookie, or signed in as the admin whose
    account has that language."""
    client = TestClient(site["app"], raise_server_exceptions=False)
    if signed_in:
        _sign_in(client, ACCOUNTS[lang or "en"])
    elif lang:
        client.cookies.set(i18n.LANG_COOKIE, lang)
    return client


def _pages(site: dict[str, Any]) -> list[tuple[str, int]]:
    fair = site["fair"]
    return [
        ("/", 200),
        ("/observatory", 200),
        ("/observatory?economy=CHN&item=S&flow=exports", 200),
        ("/observatory?economy=Atlantis", 404),
        ("/observatory/profile?economy=CHN", 200),
        ("/rules", 200),
        (f"/rules?{RULES_CASE}", 200),
        ("/claims", 200),
        ("/fair", 200),
        (f"/fair/exhibitors?fair={fair}", 200),
        (f"/fair/participants/{site['participant']}?flag_prohibited=true", 200),
        ("/fair/marketplace", 200),
        (f"/fair/schedule?fair={fair}", 200),
        (f"/fair/tables/{site['table']}", 200),
        ("/no/such/page", 404),
        ("/login", 200),
        ("/account", 200),
    ]


def _text(html: str) -> str:
    """The visible text and attribute values, without scripts, styles or tag names."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def _nav(html: str) -> list[str]:
    [nav] = re.findall(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    return [label for label in re.findall(r">([^<]+)</a>", nav) if label != "API"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders_in_both_languages_without_a_leaked_key(
    site: dict[str, Any], lang: str
) -> None:
    client = _browser(site, lang, signed_in=True)
    checked = []
    for path, status in _pages(site):
        page = client.get(path)
        html = page.text
        leaked = sorted(set(LEAK.findall(html)))
        headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)
        checked.append((path, page.status_code, HTML_LANG[lang] in html, leaked, _nav(html)))
        assert (path, page.status_code, HTML_LANG[lang] in html, leaked, _nav(html)) == (
            path, status, True, [], NAV[lang],
        )  # fmt: skip
        # (an English profile shows the economy's Chinese name beside its English one)
        own = [re.sub(r'<span class="zh">.*?</span>', "", h) for h in headings]
        chinese_heading = any(CJK.search(_text(h)) for h in own)
        assert (path, chinese_heading) == (path, lang == "zh")
    assert len(checked) == len(_pages(site))


def test_claims_result_and_rules_verdict_in_chinese(site: dict[str, Any]) -> None:
    client = _browser(site, "zh", signed_in=True)
    form = client.get("/claims").text
    token = CSRF.search(form)
    assert token is not None
    text = "From January to August, China's services trade totaled 5.25 trillion yuan, up 7.4%."
    posted = client.post("/claims", data={"text": text, "date": "2025-09-30"})
    assert (posted.status_code, LEAK.findall(posted.text)) == (200, [])
    assert re.search(r"<h2>找到 \d+ 处数字表述</h2>", posted.text) is not None
    assert "2025年9月30日" in posted.text  # the document's date in the Chinese format
    verdict = client.get(f"/rules?{RULES_CASE}").text
    heading = re.search(r'<section class="verdict" id="verdict">\s*<h2>(.*?)</h2>', verdict, re.S)
    assert heading is not None
    assert _text(heading.group(1)).split() == ["结论：", "禁止", "（2024年5月1日）"]


def test_numbers_and_dates_follow_the_language(site: dict[str, Any]) -> None:
    en = _browser(site, "en", signed_in=True)
    zh = _browser(site, "zh", signed_in=True)
    home_en, home_zh = en.get("/").text, zh.get("/").text
    loaded = re.compile(r"<td>(\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d)</td>")
    loaded_zh = re.compile(r"<td>(\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d)</td>")
    assert (bool(loaded.search(home_en)), bool(loaded_zh.search(home_zh))) == (True, True)
    fair_en, fair_zh = en.get("/fair").text, zh.get("/fair").text
    value_en = re.findall(r"<th>Deal value, (\w+)</th><td [^>]*>([^<]+)</td>", fair_en)
    value_zh = re.findall(r"<th>成交金额（(\w+)）</th><td [^>]*>([^<]+)</td>", fair_zh)
    assert [c for c, _ in value_en] == [c for c, _ in value_zh] != []
    for (_, shown_en), (_, shown_zh) in zip(value_en, value_zh, strict=True):
        assert re.fullmatch(r"[\d.,]+ (k|m|bn|tn)", shown_en), shown_en
        assert re.fullmatch(r"[\d.,]+(万|亿|万亿)", shown_zh), shown_zh
    lists = zh.get("/rules").text
    assert re.search(r"<td>\d{4}年\d{1,2}月\d{1,2}日</td>", lists) is not None


def test_anonymous_pages_cost_no_database_query(site: dict[str, Any]) -> None:
    client = _browser(site, "zh")
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = site["app"].state.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/rules")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (page.status_code, HTML_LANG["zh"] in page.text, statements) == (200, True, [])


def _switch(client: TestClient, page: str, lang: str) -> Any:
    html = client.get(page).text
    form = re.search(r'<form class="lang-switch".*?</form>', html, re.S)
    assert form is not None
    token = CSRF.search(form.group(0))
    back = re.search(r'name="next" value="([^"]+)"', form.group(0))
    assert token is not None and back is not None
    data = {"csrf_token": token.group(1), "next": back.group(1).replace("&amp;", "&"), "lang": lang}
    return client.post("/language", data=data, follow_redirects=False)


def test_anonymous_switch_returns_to_the_same_page_and_uses_a_cookie(
    site: dict[str, Any],
) -> None:
    client = _browser(site)
    page = "/observatory?economy=USA&item=S&flow=imports"
    assert '<button type="submit" name="lang" value="zh" lang="zh-CN"' in client.get(page).text
    switched = _switch(client, page, "zh")
    assert (switched.status_code, switched.headers["location"]) == (303, page)
    assert "servtrade_lang=zh" in switched.headers["set-cookie"]
    again = client.get(page).text
    assert (HTML_LANG["zh"] in again, _nav(again)) == (True, NAV["zh"])
    assert '<button type="submit" name="lang" value="en" lang="en"' in again
    back = _switch(client, page, "en")
    assert (back.status_code, HTML_LANG["en"] in client.get(page).text) == (303, True)


def test_the_switch_refuses_a_foreign_return_path_and_a_missing_token(
    site: dict[str, Any],
) -> None:
    client = _browser(site)
    html = client.get("/rules").text
    token = CSRF.search(html)
    assert token is not None
    away = client.post(
        "/language", data={"csrf_token": token.group(1), "next": "//evil.example/", "lang": "zh"},
        follow_redirects=False,
    )  # fmt: skip
    assert (away.status_code, away.headers["location"]) == (303, "/")
    forged = client.post("/language", data={"next": "/", "lang": "zh"}, follow_redirects=False)
    assert (forged.status_code, "servtrade_lang" in forged.headers.get("set-cookie", "")) == (
        403, False,
    )  # fmt: skip


def test_signed_in_switch_is_kept_on_the_account_across_sessions(site: dict[str, Any]) -> None:
    client = TestClient(site["app"], raise_server_exceptions=False)
    _sign_in(client, ACCOUNTS["switch"])
    switched = _switch(client, f"/fair?fair={site['fair']}", "zh")
    assert (switched.status_code, switched.headers["location"]) == (
        303,
        f"/fair?fair={site['fair']}",
    )
    try:
        assert client.get("/api/accounts/me").json()["locale"] == "zh"
        fresh = TestClient(site["app"], raise_server_exceptions=False)
        _sign_in(fresh, ACCOUNTS["switch"])  # a new session, no language cookie
        page = fresh.get("/fair", headers={"Accept-Language": "en"}).text
        assert (HTML_LANG["zh"] in page, _nav(page)) == (True, NAV["zh"])
    finally:
        _switch(client, "/", "en")
    assert client.get("/api/accounts/me").json()["locale"] == "en"


def test_page_catalogue_fragments_have_the_same_keys_and_parameters() -> None:
    folder = Path(i18n.__file__).parent / "locales"
    en = yaml.safe_load((folder / "en.pages.yaml").read_text(encoding="utf-8"))["messages"]
    zh = yaml.safe_load((folder / "zh.pages.yaml").read_text(encoding="utf-8"))["messages"]
    assert sorted(zh) == sorted(en)
    assert LEAK.findall('<td title="obs.item">fair.title</td> /static/fair.css') == [
        "obs.item", "fair.title",
    ]  # fmt: skip

    def params(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)\}", text))

    assert [k for k in en if params(str(en[k])) != params(str(zh[k]))] == []
    # every Chinese message with words has Chinese words (params and punctuation aside)
    words = [re.sub(r"\{\w+\}", "", str(text)) for text in zh.values()]
    assert [w for w in words if re.search("[A-Za-z]", w) and not CJK.search(w)] == []
