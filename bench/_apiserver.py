"""A real ``servtrade serve`` on PostgreSQL, for the load test and the crash test.

Shared by ``bench/api_load.py``, ``bench/api_crash.py`` and ``tests/ops/test_crash_bookings.py``.
Each run creates its own database on the local PostgreSQL (trust auth) and drops it at the end;
the server is a subprocess bound to 127.0.0.1 on a free port, prepared with the CLI
(``servtrade init``, ``servtrade accounts create-admin``) and given API tokens through the API.
Traffic goes to the loopback address only.

This file is a helper module: running it as a script does nothing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "load-test-password-1"
HOST = "127.0.0.1"


def base_url() -> str:
    """The PostgreSQL the tests use (``SERVTRADE_TEST_DATABASE_URL``, else the local one)."""
    return os.environ.get("SERVTRADE_TEST_DATABASE_URL") or LOCAL_POSTGRES


def _conninfo(url: str, database: str | None = None) -> str:
    """A libpq URL for psycopg from a SQLAlchemy URL, optionally on another database."""
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    if database is None:
        return plain
    head, _, _old = plain.rpartition("/")
    return f"{head}/{database}"


def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used (``None`` when it can)."""
    import psycopg

    try:
        with psycopg.connect(_conninfo(base_url()), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {base_url()}: {str(exc).strip()[:200]}"


@contextmanager
def own_database(name: str) -> Iterator[str]:
    """Create database ``name`` (dropping a leftover of an earlier run); yield its URL; drop it."""
    import psycopg
    from psycopg import sql

    admin = _conninfo(base_url())

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    head, _, _old = base_url().rpartition("/")
    try:
        yield f"{head}/{name}"
    finally:
        drop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Site:
    """Settings for the CLI and the server: data dir, database, port, extra variables."""

    data_dir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("SERVTRADE_")}
        return {
            **keep,
            "SERVTRADE_DATA_DIR": str(self.data_dir),
            "SERVTRADE_DATABASE_URL": self.database_url,
            "SERVTRADE_HOST": HOST,
            "SERVTRADE_PORT": str(self.port),
            "SERVTRADE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            **self.extra,
        }

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run ``servtrade ARGS`` with this site's settings; its output (raises on failure)."""
        done = subprocess.run(
            [sys.executable, "-m", "servtrade", *args],
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"servtrade {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def create_admin(self, email: str) -> None:
        self.cli("accounts", "create-admin", email, "--password-stdin", stdin=PASSWORD + "\n")


class Server:
    """``servtrade serve`` as a subprocess; its output goes to ``log``."""

    def __init__(self, site: Site, log: Path) -> None:
        self.site = site
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> float:
        """Start and wait until ``/api/health`` answers 200; returns the seconds it took."""
        started = time.perf_counter()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "servtrade", "serve"],
                env=self.site.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready(timeout)
        return time.perf_counter() - started

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log}")
            with suppress(httpx.HTTPError):
                if httpx.get(f"{self.site.url}/api/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"server did not answer /api/health within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions are cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def serving(site: Site, log: Path) -> Iterator[Server]:
    server = Server(site, log)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def api_token(url: str, email: str, scopes: list[str], name: str = "bench") -> str:
    """Sign in as ``email`` and create an API token with ``scopes``; returns the token."""
    with httpx.Client(base_url=url, timeout=30) as client:
        login = client.post("/api/accounts/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        made = client.post(
            "/api/accounts/tokens",
            json={"name": name, "scopes": scopes},
            headers={"X-CSRF-Token": login.json()["csrf_token"]},
        )
        made.raise_for_status()
        token: str = made.json()["token"]
        return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def machine() -> dict[str, Any]:
    """What the numbers ran on: cores and the load averages (others may share the machine)."""
    one, five, fifteen = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "loadavg_1_5_15": [round(one, 2), round(five, 2), round(fifteen, 2)],
        "python": sys.version.split()[0],
    }
