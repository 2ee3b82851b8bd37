"""Load test of the REST API: a real ``servtrade serve`` on PostgreSQL, loopback only, bounded.

One run, up to four phases against the same server, each an open-loop schedule (a request is sent at
its planned time whatever the server is doing, and its latency counts from that planned time,
so a slow server cannot hide behind a slow client):

1. baseline: ``GET /api/health`` (anonymous) at ``--rate`` requests/s for ``--seconds``;
2. mixed read traffic with a read-scope bearer token at the same rate and duration: stats
   query and series, rules evaluate, vocabularies, market fairs / KPIs / exhibitors /
   listings / schedule / recommendations, one of each in turn;
3. the same mix at ``--lower-rate`` (default 100/s) for half as long, to show where the knee is;
4. the mix at ``--rate`` again for half as long, once for each of ``--write-rates`` (default 1
   and 2 writes/s) with writes beside it (``PATCH /api/accounts/me``): the server keeps read
   answers only while nothing is written (``db.kept_read``), so this shows the reads when a
   kept answer lasts at most a second, or half a second. The writes are described apart; one
   caller may write 120 times a minute per server process, which bounds the rate.

Reports p50/p95/p99/max latency, errors (any non-2xx or transport error), the achieved rate,
per-route figures and the ratio of the mixed p99 to the health p99, with the machine's load
averages (other engineers' tests may share the 2 cores). Writes bench/results/api_load.json.
The database ``servtrade_load`` is created and dropped by the run; without a reachable
PostgreSQL the run says so and exits 0 without writing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from _apiserver import (
    ROOT,
    Site,
    api_token,
    bearer,
    machine,
    own_database,
    postgres_unreachable,
    serving,
)

RESULTS = ROOT / "bench" / "results" / "api_load.json"
ADMIN = "load-admin@example.org"
TARGET_P99_MS = 50.0
TIMEOUT = 10.0
# senders (and connections) of the client: a client grows slow with hundreds of them, and then
# the client, not the server, limits the rate; past this many, requests wait, on the clock
CONNECTIONS = 64


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    body: Any = None


@dataclass(frozen=True)
class Sample:
    name: str
    status: int  # 0: transport error or timeout
    seconds: float  # from the planned send time to the end of the answer
    late: float  # how late the client queued it (its own clock lag)
    error: str = ""  # the transport error, when status is 0


def mixed_calls(client: httpx.Client, headers: dict[str, str]) -> list[Call]:
    """The read mix, on ids that exist in the served database."""
    fair = client.get("/api/market/fairs", headers=headers).json()[0]["id"]
    people = client.get(f"/api/market/fairs/{fair}/participants?limit=1", headers=headers)
    pid = people.json()["items"][0]["id"]
    case = {
        "provider_economy": "USA",
        "provider_type": "individual",
        "buyer_economy": "CHN",
        "service": "gbt4754:F5182",
        "mode": 4,
        "on": "2024-05-01",
    }
    calls = [
        Call("stats query", "GET", "/api/stats/query/value?reporter=CHN&item=S&flow=exports"),
        Call("stats series", "GET", "/api/stats/series?economy=CHN&item=S&flow=exports"),
        Call("rules evaluate", "POST", "/api/rules/evaluate", {"case": case}),
        Call("vocab ebops", "GET", "/api/vocab/ebops/SH"),
        Call("vocab economies", "GET", "/api/vocab/economies?search=china"),
        Call("market fairs", "GET", "/api/market/fairs"),
        Call("market kpis", "GET", f"/api/market/fairs/{fair}/kpis"),
        Call("market exhibitors", "GET", f"/api/market/fairs/{fair}/exhibitors?limit=20"),
        Call("market listings", "GET", "/api/market/listings?limit=20"),
        Call("market schedule", "GET", f"/api/market/fairs/{fair}/schedule?limit=20"),
        Call("market recommendations", "GET", f"/api/market/participants/{pid}/recommendations"),
    ]
    return calls


def check_calls(client: httpx.Client, calls: list[Call], headers: dict[str, str]) -> None:
    """Each call once before the clock starts: a broken route is a clear error, not noise."""
    for call in calls:
        got = client.request(call.method, call.path, json=call.body, headers=headers)
        if got.status_code >= 300:
            raise SystemExit(
                f"{call.name}: {call.method} {call.path} -> {got.status_code} {got.text}"
            )


async def _one(
    client: aiohttp.ClientSession,
    url: str,
    call: Call,
    headers: dict[str, str],
    planned: float,
    late: float,
) -> Sample:
    loop = asyncio.get_running_loop()
    try:
        async with client.request(
            call.method, url + call.path, json=call.body, headers=headers
        ) as got:
            await got.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Sample(call.name, 0, loop.time() - planned, late, type(exc).__name__)
    return Sample(call.name, got.status, loop.time() - planned, late)


@dataclass(frozen=True)
class Writes:
    """Writes sent beside the reads, on their own clock (their answers are not read samples)."""

    call: Call
    headers: dict[str, str]
    rate: float
    body_of: Callable[[int], Any]  # the i-th write's body (each must change something)


async def open_loop(
    url: str,
    calls: list[Call],
    headers: dict[str, str],
    rate: float,
    seconds: float,
    writes: Writes | None = None,
) -> tuple[list[Sample], float]:
    """Send ``rate * seconds`` requests on the clock, cycling through ``calls``.

    Each request is queued at its planned time and sent by the first of :data:`CONNECTIONS`
    senders that is free; its latency counts from the planned time, so time spent waiting for
    a sender (the server being slow) is latency too. A fixed set of senders keeps the client's
    own cost flat when the server falls behind (thousands of waiting tasks would not). The
    client is aiohttp: it shares the two cores with the server, and costs about a third of
    what httpx costs per request (bench/results/api_load.json, ``client_cpu_ms_per_request``)."""
    queue: asyncio.Queue[tuple[Call, float, float] | None] = asyncio.Queue()
    samples: list[Sample] = []
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:

        async def sender() -> None:
            while (item := await queue.get()) is not None:
                call, planned, late = item
                samples.append(await _one(client, url, call, headers, planned, late))

        senders = [asyncio.create_task(sender()) for _ in range(CONNECTIONS)]
        loop = asyncio.get_running_loop()
        total = int(rate * seconds)
        start = loop.time() + 0.2
        writer = None
        if writes is not None:
            writer = asyncio.create_task(_write_loop(client, url, writes, start, seconds))
        for i in range(total):
            planned = start + i / rate
            delay = planned - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((calls[i % len(calls)], planned, loop.time() - planned))
        for _ in senders:
            queue.put_nowait(None)
        await asyncio.gather(*senders)
        if writer is not None:
            samples.extend(await writer)
        return samples, loop.time() - start


async def _write_loop(
    client: aiohttp.ClientSession, url: str, writes: Writes, start: float, seconds: float
) -> list[Sample]:
    """One write every ``1 / writes.rate`` seconds until the reads end, one at a time."""
    loop = asyncio.get_running_loop()
    done: list[Sample] = []
    for i in range(int(writes.rate * seconds)):
        planned = start + i / writes.rate
        if (delay := planned - loop.time()) > 0:
            await asyncio.sleep(delay)
        call = replace(writes.call, body=writes.body_of(i))
        done.append(await _one(client, url, call, writes.headers, planned, 0.0))
    return done


def _cpu_of(pid: int) -> float:
    """CPU seconds of process ``pid`` (user + system), from /proc; 0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _family(pid: int) -> list[int]:
    """The server process and its worker processes."""
    found = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def phase(
    url: str,
    calls: list[Call],
    headers: dict[str, str],
    rate: float,
    seconds: float,
    pid: int,
    writes: Writes | None = None,
) -> dict[str, Any]:
    """One open-loop phase, described, with the CPU the client and the server spent on it
    (the writes, if any, described apart)."""
    server = _family(pid)
    client_before, server_before = time.process_time(), sum(_cpu_of(p) for p in server)
    everything, elapsed = asyncio.run(open_loop(url, calls, headers, rate, seconds, writes))
    written = [s for s in everything if writes is not None and s.name == writes.call.name]
    samples = [s for s in everything if writes is None or s.name != writes.call.name]
    found = describe(samples, elapsed, rate)
    n = len(samples)
    found["client_cpu_ms_per_request"] = round((time.process_time() - client_before) / n * 1e3, 2)
    server_cpu = sum(_cpu_of(p) for p in server) - server_before
    found["server_cpu_ms_per_request"] = round(server_cpu / n * 1e3, 2)
    found["routes"] = per_route(samples)
    if writes is not None:
        found["writes"] = {**describe(written, elapsed, writes.rate), "call": writes.call.path}
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def describe(samples: list[Sample], elapsed: float, planned_rate: float) -> dict[str, Any]:
    ms = [s.seconds * 1000 for s in samples]
    errors = [s for s in samples if not 200 <= s.status < 300]
    by_status: dict[str, int] = {}
    for s in errors:
        key = str(s.status) if s.status else f"transport: {s.error}"
        by_status[key] = by_status.get(key, 0) + 1
    return {
        "requests": len(samples),
        "planned_rate": planned_rate,
        "achieved_rate": round(len(samples) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "errors": len(errors),
        "errors_by_status": by_status,
        "client_late_p99_ms": round(percentile([s.late * 1000 for s in samples], 99), 2),
    }


def per_route(samples: list[Sample]) -> dict[str, dict[str, float]]:
    names = sorted({s.name for s in samples})
    out = {}
    for name in names:
        ms = [s.seconds * 1000 for s in samples if s.name == name]
        out[name] = {
            "requests": len(ms),
            "p50_ms": round(percentile(ms, 50), 2),
            "p99_ms": round(percentile(ms, 99), 2),
            "max_ms": round(max(ms), 2),
        }
    return out


def prepare(site: Site) -> None:
    """``servtrade init`` (migrate, bundled statistics and rules, the synthetic demo fair) and
    the first admin, through the CLI."""
    site.cli("init")
    site.create_admin(ADMIN)


def run(
    rate: float,
    seconds: float,
    health_seconds: float,
    database: str,
    workers: int,
    lower_rate: float = 0.0,
    write_rates: tuple[float, ...] = (),
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="servtrade-load-") as tmp, own_database(database) as db:
        site = Site(Path(tmp) / "data", db, extra={"SERVTRADE_WORKERS": str(workers)})
        prepare(site)
        log = Path(tmp) / "server.log"
        with serving(site, log) as server, httpx.Client(base_url=site.url, timeout=60) as client:
            admin = bearer(api_token(site.url, ADMIN, ["read", "write", "admin"], "setup"))
            reader = bearer(api_token(site.url, ADMIN, ["read"], "load"))
            fair = client.get("/api/market/fairs", headers=admin).json()[0]["id"]
            ran = client.post(f"/api/market/fairs/{fair}/schedule", json={}, headers=admin)
            ran.raise_for_status()
            calls = mixed_calls(client, reader)
            check_calls(client, calls, reader)
            asyncio.run(open_loop(site.url, calls, reader, rate, min(5.0, seconds)))  # warm-up
            before = machine()
            pid = server.process.pid if server.process else 0
            health = phase(site.url, [Call("health", "GET", "/api/health")], {}, rate,
                           health_seconds, pid)  # fmt: skip
            mixed = phase(site.url, calls, reader, rate, seconds, pid)
            lower = None
            if lower_rate:  # where the knee is: the same mix at a lower rate
                lower = phase(site.url, calls, reader, lower_rate, seconds / 2, pid)
            busy = []
            for write_rate in write_rates:  # each committed write changes every kept answer's key
                writes = Writes(
                    Call("write", "PATCH", "/api/accounts/me"), admin, write_rate,
                    lambda i: {"display_name": f"load writer {i}"},
                )  # fmt: skip
                busy.append(phase(site.url, calls, reader, rate, seconds / 2, pid, writes))
            after = machine()
        return {
            "health": health,
            "mixed": mixed,
            "mixed_at_lower_rate": lower,
            "mixed_with_writes": busy,
            "machine_before": before,
            "machine_after": after,
            "server": {"command": "servtrade serve", "workers": workers, "database": "postgresql"},
            "client": {"library": "aiohttp", "connections": CONNECTIONS},
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="mixed phase length")
    parser.add_argument("--health-seconds", type=float, default=60.0, help="baseline length")
    parser.add_argument("--database", default="servtrade_load")
    parser.add_argument("--workers", type=int, default=2, help="SERVTRADE_WORKERS of the server")
    parser.add_argument(
        "--lower-rate", type=float, default=100.0, help="then the mix at this rate (0: skip)"
    )
    parser.add_argument(
        "--write-rates", default="1,2",
        help="then the mix again with this many writes/s beside it, for each ('': skip)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    reason = postgres_unreachable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    started = time.perf_counter()
    found = run(
        args.rate, args.seconds, args.health_seconds, args.database, args.workers,
        args.lower_rate, tuple(float(r) for r in args.write_rates.split(",") if r.strip()),
    )  # fmt: skip
    health, mixed = found["health"], found["mixed"]
    found["ratio_p99_mixed_over_health"] = round(mixed["p99_ms"] / health["p99_ms"], 2)
    found["target"] = {
        "p99_ms_below": TARGET_P99_MS,
        "errors": 0,
        "met": mixed["p99_ms"] < TARGET_P99_MS and mixed["errors"] == 0 and health["errors"] == 0,
    }
    found["seconds_total"] = round(time.perf_counter() - started, 1)
    found["notes"] = (
        "open loop: latency counted from each request's planned send time; loopback only; "
        "client (aiohttp) and server share the machine's cores; synthetic demo fair"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(found, indent=2) + "\n")
    shown = [(p, found[p]) for p in ("health", "mixed", "mixed_at_lower_rate") if found[p]]
    shown += [(f"writes {d['writes']['planned_rate']}/s", d) for d in found["mixed_with_writes"]]
    for phase, d in shown:
        print(
            f"{phase:7} {d['requests']} req at {d['achieved_rate']}/s: p50 {d['p50_ms']} ms, "
            f"p95 {d['p95_ms']}, p99 {d['p99_ms']}, max {d['max_ms']}, errors {d['errors']}"
        )
    for name, d in found["mixed"]["routes"].items():
        print(f"  {name:24} p50 {d['p50_ms']:8} p99 {d['p99_ms']:8} max {d['max_ms']:8}")
    print(f"p99 mixed / health = {found['ratio_p99_mixed_over_health']}; {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
