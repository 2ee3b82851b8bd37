"""``servtrade stats fetch``: download a dataset from the public URL its catalog entry names
(World Bank API, OECD SDMX API), politely and resumably.

- Retries: network errors, 5xx and 429 are retried with exponential backoff; a ``Retry-After``
  header (seconds or an HTTP date) is obeyed instead when the server sends one.
- Resume: bytes arrive in ``<name>.part``; a retry (or a later run) asks for the rest with an
  HTTP ``Range`` header and appends when the server answers 206 (it starts over on a plain 200).
- Rate limit: requests to a dataset are spaced by its ``fetch.requests_per_minute``.
- The finished file is renamed into place in one step; a World Bank zip is unpacked to its
  data CSV (the ``API_...`` member), which ``stats ingest`` reads with no options.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

import httpx

from servtrade.errors import ErrorDetail, NotFoundError, ServtradeError, ValidationError
from servtrade.stats.catalog import Dataset, get_dataset

MAX_WAIT = 300.0  # never sleep longer than this on one Retry-After


class DownloadError(ServtradeError):
    """The source could not be downloaded (after retries)."""

    status = 502
    code = "download_failed"


@dataclass
class Fetched:
    """What a fetch did: where the file is, how many requests, retries and waits it took."""

    dataset: str
    url: str
    path: Path
    bytes: int
    requests: int = 0
    resumed_from: list[int] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "url": self.url,
            "path": str(self.path),
            "bytes": self.bytes,
            "requests": self.requests,
            "resumed_from": self.resumed_from,
            "waits": self.waits,
        }


@dataclass
class Polite:
    """Spacing between requests and the waits between attempts (clock and sleep injectable)."""

    requests_per_minute: int
    retries: int = 5
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    last: float | None = None

    def before_request(self) -> float:
        """Sleep until the next request is allowed; return how long it slept."""
        gap = 60.0 / self.requests_per_minute
        wait = 0.0 if self.last is None else max(0.0, self.last + gap - self.clock())
        if wait:
            self.sleep(wait)
        self.last = self.clock()
        return wait


def source_url(dataset: Dataset, series: str | None) -> str:
    """The download URL of ``dataset`` with its ``{series}`` filled in."""
    if dataset.fetch is None:
        raise ValidationError(
            f"dataset {dataset.id!r} has no public download URL",
            hint="download it by hand from " + dataset.source_url,
        )
    template = dataset.fetch.url
    if "{series}" not in template:
        return template
    if series is None and dataset.series:
        detail = ErrorDetail(
            "is required for this source",
            field="series",
            hint="one of " + ", ".join(dataset.series),
        )
        raise ValidationError(f"fetching {dataset.id} needs --series", errors=[detail])
    return template.replace("{series}", quote(series or "all", safe=".,+@-_"))


def retry_after(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait before the next attempt: the server's Retry-After, else 1, 2, 4 ..."""
    header = response.headers.get("retry-after", "").strip()
    if header.isdigit():
        return min(float(header), MAX_WAIT)
    if header:
        try:
            when = parsedate_to_datetime(header).timestamp()
        except (TypeError, ValueError):
            pass
        else:
            return min(max(0.0, when - time.time()), MAX_WAIT)
    return float(min(2**attempt, 60))


def _download_once(client: httpx.Client, url: str, part: Path, got: Fetched) -> httpx.Response:
    """One request, appending to ``part`` from where it ends; the response (body consumed)."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 416 and have:  # nothing left to send: it is complete
            return response
        if response.status_code not in (200, 206):
            response.read()
            return response
        if response.status_code == 206:
            got.resumed_from.append(have)
        with part.open("ab" if response.status_code == 206 else "wb") as out:
            for chunk in response.iter_bytes():  # as they arrive: a cut keeps what came
                out.write(chunk)
    return response


def _fail(url: str, message: str, hint: str) -> DownloadError:
    return DownloadError(
        f"cannot download {url}: {message}",
        errors=[ErrorDetail(message, field="url", value=url)],
        hint=hint,
    )


def download(client: httpx.Client, url: str, target: Path, polite: Polite, got: Fetched) -> Path:
    """Download ``url`` to ``target`` with retries, resume and spacing; raise DownloadError."""
    part = target.with_name(target.name + ".part")
    for attempt in range(polite.retries + 1):
        spaced = polite.before_request()
        if spaced:
            got.waits.append(spaced)
        got.requests += 1
        try:
            response = _download_once(client, url, part, got)
        except httpx.TransportError as exc:
            if attempt == polite.retries:
                raise _fail(
                    url, str(exc) or type(exc).__name__, "run the same command again: it resumes"
                ) from exc
            polite.sleep(wait := float(min(2**attempt, 60)))
            got.waits.append(wait)
            continue
        if response.status_code in (200, 206, 416):
            part.replace(target)
            return target
        if response.status_code == 404:
            raise NotFoundError(f"{url} does not exist (HTTP 404)", hint="check the --series code")
        if response.status_code != 429 and response.status_code < 500:
            raise _fail(url, f"HTTP {response.status_code}", "check the URL in the catalog entry")
        if attempt == polite.retries:
            raise _fail(
                url, f"HTTP {response.status_code} after {got.requests} requests", "try again later"
            )
        polite.sleep(wait := retry_after(response, attempt))
        got.waits.append(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def unpack(path: Path) -> Path:
    """A World Bank zip becomes its data CSV beside it; any other download becomes ``.csv``."""
    if not zipfile.is_zipfile(path):
        return path.replace(path.with_suffix(".csv"))
    with zipfile.ZipFile(path) as archive:
        data = [
            n for n in archive.namelist() if Path(n).name.startswith("API_") and n.endswith(".csv")
        ]
        if not data:
            raise DownloadError(
                f"{path.name} holds no data CSV (API_...csv)",
                errors=[
                    ErrorDetail(
                        "no API_ member", file=str(path), value=", ".join(archive.namelist())[:200]
                    )
                ],
            )
        target = path.with_name(Path(data[0]).name)
        target.write_bytes(archive.read(data[0]))
    path.unlink()
    return target


def fetch_dataset(
    dataset_id: str,
    folder: Path,
    *,
    series: str | None = None,
    client: httpx.Client | None = None,
    polite: Polite | None = None,
    mirror: str | None = None,
) -> Fetched:
    """Download ``dataset_id`` (one ``series`` where the source needs it) into ``folder``,
    from the catalog's URL or from ``mirror`` (a copy of the same file elsewhere)."""
    dataset = get_dataset(dataset_id)
    url = source_url(dataset, series)
    assert dataset.fetch is not None  # source_url raised otherwise
    if mirror is not None:
        if not mirror.startswith(("http://", "https://")):
            raise ValidationError(
                f"invalid mirror URL {mirror!r}",
                errors=[ErrorDetail("is not an http(s) URL", field="url", value=mirror)],
            )
        url = mirror
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{dataset.id}-{(series or 'all').lower()}.download"
    target = folder / name
    got = Fetched(dataset=dataset.id, url=url, path=target, bytes=0)
    manners = polite or Polite(dataset.fetch.requests_per_minute)
    own = client is None
    http = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(60.0))
    try:
        download(http, url, target, manners, got)
    finally:
        if own:
            http.close()
    got.path = unpack(target)
    got.bytes = got.path.stat().st_size
    return got
