"""The Jinja2 environment shared by every page."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from servtrade import __version__

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["version"] = __version__
templates.env.globals["nav"] = [
    ("/", "Home"),
    ("/observatory", "Observatory"),
    ("/rules", "Rules"),
    ("/fair", "Fair"),
    ("/claims", "Claim checker"),
]
