"""Render a profile to a self-contained HTML file, and to PDF through headless Chromium."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from servtrade import __version__
from servtrade.briefing.model import Profile
from servtrade.errors import ConfigError, InputError
from servtrade.stats import charts

TEMPLATES = Path(__file__).parent / "templates"
CHROMIUM = Path("/usr/bin/chromium")


def _render(template: str, p: Profile, on: date | None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    svgs = {c.key: charts.render(c.spec, "svg").decode() for c in p.charts}
    return env.get_template(template).render(
        p=p,
        svgs=svgs,
        css=(TEMPLATES / "profile.css").read_text("utf-8"),
        on=(on or date(p.year, 12, 31)).isoformat(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )


def to_html(p: Profile, on: date | None = None) -> str:
    """The profile as one HTML document: charts inline as SVG, style inline, no external asset."""
    return _render("profile.html", p, on)


def body_html(p: Profile, on: date | None = None) -> str:
    """The profile's content without document or style, for embedding in a dashboard page."""
    return _render("profile_body.html", p, on)


def html_to_pdf(html: str, out: Path, chromium: Path = CHROMIUM) -> Path:
    """Print ``html`` to ``out`` as A4 PDF with Debian's Chromium (no network is used)."""
    if not chromium.exists():
        raise ConfigError(
            f"PDF output needs Chromium at {chromium}",
            hint="install it (apt-get install chromium, or make browser) or write --out FILE.html",
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        page = browser.new_page()
        page.set_content(html, wait_until="load")
        page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)
        browser.close()
    return out


def write_profile(p: Profile, out: Path, on: date | None = None) -> Path:
    """Write ``p`` to ``out``; the suffix (.html or .pdf) chooses the format."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise InputError(
            f"cannot write a profile as {out.name!r}",
            hint="use a file name ending in .html or .pdf",
        )
    html = to_html(p, on)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        out.write_text(html, "utf-8")
        return out
    return html_to_pdf(html, out)
