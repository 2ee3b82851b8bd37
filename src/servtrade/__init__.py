"""servtrade: an open platform for cross-border trade in services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("servtrade")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
