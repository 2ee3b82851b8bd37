"""``stats fetch``: retries, resume with HTTP Range, Retry-After and request spacing, tested
offline against ``httpx.MockTransport`` (a fake at the network seam; no real server)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.errors import NotFoundError, ValidationError
from servtrade.stats.catalog import get_dataset
from servtrade.stats.fetch import DownloadError, Polite, fetch_dataset, retry_after, source_url
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import Store

BODY = b"DATAFLOW,REF_AREA,COUNTERPART_AREA,MEASURE,ACCOUNTING_ENTRY,TIME_PERIOD,OBS_VALUE\n" + (
    b"OECD:TIS(1.0),JPN,W1,S,C,2021,168000\n" * 200
)


class FakeTime:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def polite(fake: FakeTime, rpm: int = 30, retries: int = 3) -> Polite:
    return Polite(rpm, retries=retries, sleep=fake.sleep, clock=fake.clock)


class Broken(httpx.SyncByteStream):
    """A body that stops with a network error after ``cut`` bytes."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    def __iter__(self) -> Iterator[bytes]:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset")


def client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_interrupted_download_resumes_with_range(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "downloads"
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("range"))
        if len(seen) == 1:
            return httpx.Response(200, stream=Broken(BODY, 1000))
        start = int(request.headers["range"].removeprefix("bytes=").rstrip("-"))
        return httpx.Response(206, content=BODY[start:])

    fake = FakeTime()
    got = fetch_dataset("oecd-sdmx", folder, client=client(handler), polite=polite(fake))
    assert seen == [None, "bytes=1000-"]
    # back off 1 s after the reset, then 1 s more to keep 2 s between requests (30 a minute)
    assert (got.requests, got.resumed_from, got.waits) == (2, [1000], [1.0, 1.0])
    assert got.path == folder / "oecd-sdmx-all.csv"
    assert got.path.read_bytes() == BODY
    assert sorted(p.name for p in folder.iterdir()) == ["oecd-sdmx-all.csv"]
    summary = ingest_file(store, got.path)  # what was fetched ingests with no options
    assert (summary.dataset, summary.rows_stored) == ("oecd-sdmx", 200)


def test_retry_after_and_request_spacing(tmp_path: Path) -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(503),
            httpx.Response(200, content=BODY),
            httpx.Response(200, content=BODY),
        ]
    )
    fake = FakeTime()
    manners = polite(fake, rpm=6)  # one request every 10 s
    http = client(lambda request: next(answers))
    got = fetch_dataset("oecd-sdmx", tmp_path, client=http, polite=manners)
    # 429: wait what the server asked (7 s), then 3 s more to keep 10 s between requests;
    # 503 without Retry-After: back off 2 s, then wait out the spacing (8 s)
    assert (got.requests, got.waits) == (3, [7.0, 3.0, 2.0, 8.0])
    again = fetch_dataset("oecd-sdmx", tmp_path, client=http, polite=manners)
    assert (again.requests, again.waits, fake.slept[-1]) == (1, [10.0], 10.0)


def test_retry_after_as_http_date_and_default_backoff() -> None:
    past = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert retry_after(past, attempt=0) == 0.0
    assert retry_after(httpx.Response(503, headers={"Retry-After": "86400"}), 0) == 300.0
    assert [retry_after(httpx.Response(503), n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert retry_after(httpx.Response(503, headers={"Retry-After": "soon"}), 1) == 2.0


def test_giving_up_keeps_the_part_for_next_time(tmp_path: Path) -> None:
    fake = FakeTime()

    def failing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Broken(BODY, 500))

    with pytest.raises(DownloadError) as caught:
        fetch_dataset("oecd-sdmx", tmp_path, client=client(failing), polite=polite(fake, retries=2))
    assert caught.value.code == "download_failed"
    assert caught.value.hint == "run the same command again: it resumes"
    part = tmp_path / "oecd-sdmx-all.download.part"
    assert part.read_bytes() == BODY[:500]  # the server ignored Range (200): each try restarts

    def rest(request: httpx.Request) -> httpx.Response:
        if request.headers.get("range") == "bytes=500-":
            return httpx.Response(416)  # nothing after byte 500: the part is complete
        return httpx.Response(500)

    got = fetch_dataset("oecd-sdmx", tmp_path, client=client(rest), polite=polite(fake))
    assert (got.requests, got.bytes) == (1, 500)


def test_server_errors_and_missing_series(tmp_path: Path) -> None:
    fake = FakeTime()
    down = client(lambda request: httpx.Response(502))
    with pytest.raises(DownloadError, match=r"HTTP 502 after 3 requests"):
        fetch_dataset("oecd-sdmx", tmp_path, client=down, polite=polite(fake, retries=2))
    with pytest.raises(NotFoundError, match="HTTP 404"):
        fetch_dataset(
            "wdi",
            tmp_path,
            series="BX.NOPE",
            client=client(lambda request: httpx.Response(404)),
            polite=polite(fake),
        )
    with pytest.raises(DownloadError, match="HTTP 403"):
        fetch_dataset(
            "oecd-sdmx",
            tmp_path,
            client=client(lambda request: httpx.Response(403)),
            polite=polite(fake),
        )


def test_urls_from_the_catalog() -> None:
    wdi = get_dataset("wdi")
    assert source_url(wdi, "BX.GSR.NFSV.CD") == (
        "https://api.worldbank.org/v2/en/indicator/BX.GSR.NFSV.CD?downloadformat=csv"
    )
    with pytest.raises(ValidationError) as caught:
        source_url(wdi, None)
    assert caught.value.errors[0].field == "series"
    with pytest.raises(ValidationError, match="has no public download URL"):
        source_url(get_dataset("batis"), None)


def test_world_bank_zip_is_unpacked_and_ingests(
    tmp_path: Path, store: Store, fixtures: Path
) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("Metadata_Country_API_BX.GSR.NFSV.CD.csv", "not data")
        archive.writestr(
            "API_BX.GSR.NFSV.CD_DS2_en_csv_v2_1.csv", (fixtures / "wdi_wide.csv").read_bytes()
        )
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, content=packed.getvalue())

    folder = tmp_path / "downloads"
    got = fetch_dataset(
        "wdi", folder, series="BX.GSR.NFSV.CD", client=client(handler), polite=polite(FakeTime())
    )
    assert urls == ["https://api.worldbank.org/v2/en/indicator/BX.GSR.NFSV.CD?downloadformat=csv"]
    assert sorted(p.name for p in folder.iterdir()) == ["API_BX.GSR.NFSV.CD_DS2_en_csv_v2_1.csv"]
    summary = ingest_file(store, got.path)
    assert (summary.dataset, summary.rows_stored) == ("wdi", 29)

    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no data")
    with pytest.raises(DownloadError, match="holds no data CSV"):
        fetch_dataset(
            "wdi",
            tmp_path / "empty",
            series="BX.GSR.NFSV.CD",
            client=client(lambda request: httpx.Response(200, content=empty.getvalue())),
            polite=polite(FakeTime()),
        )


def test_cli_fetch_refuses_sources_without_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path))
    out = CliRunner().invoke(app, ["stats", "fetch", "batis"])
    assert out.exit_code == 1
    assert "dataset 'batis' has no public download URL" in out.output
    out = CliRunner().invoke(app, ["stats", "fetch", "wdi"])
    assert (out.exit_code, "fetching wdi needs --series" in out.output) == (1, True)


@pytest.fixture
def local_server(fixtures: Path) -> Iterator[str]:
    """A loopback HTTP server over the fixtures folder (no network beyond 127.0.0.1)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=fixtures))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_cli_fetch_from_a_local_mirror_and_ingest(
    local_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    url = f"{local_server}/sdmx_v1.csv"
    args = ["stats", "fetch", "oecd-sdmx", "--url", url, "--ingest", "--format", "json"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert (body["url"], body["requests"], body["path"]) == (
        url,
        1,
        str(tmp_path / "data" / "downloads" / "oecd-sdmx-all.csv"),
    )
    ingest = body["ingest"]
    assert (ingest["dataset"], ingest["rows_read"], ingest["rows_stored"]) == ("oecd-sdmx", 4, 4)
    out = CliRunner().invoke(app, ["stats", "fetch", "oecd-sdmx", "--url", "ftp://x"])
    assert (out.exit_code, "invalid mirror URL 'ftp://x'" in out.output) == (1, True)
    target = tmp_path / "t"
    out = CliRunner().invoke(
        app, ["stats", "fetch", "oecd-sdmx", "--url", url, "--to", str(target), "--format", "csv"]
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "dataset,url,path,bytes,requests,resumed_from,waits"
    assert sorted(p.name for p in target.iterdir()) == ["oecd-sdmx-all.csv"]
