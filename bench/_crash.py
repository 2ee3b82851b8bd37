"""Crash test of meeting bookings: a burst of concurrent ``POST /api/market/meetings`` against a
real ``servtrade serve`` on PostgreSQL, the server SIGKILLed mid-burst, restarted, then checked.

Shared by ``bench/api_crash.py`` and ``tests/ops/test_crash_bookings.py``. What must hold:

- lost = 0: every booking answered 201 before the kill is in the database, as answered
  (same meeting id, request, slot and table), with its two attendees;
- duplicates = 0: no (slot, table) and no (slot, participant) is booked twice, checked in SQL
  on the meetings and, independently of the attendee table, through the requests' parties;
- torn = 0: no meeting without exactly its two attendees (a half-written booking);
- the restarted server answers ``/api/health`` and takes a booking again.

Bookings are made by a few admin accounts (the write limit is per caller), each with a
read+write token. Traffic goes to the loopback address only. Running this file as a script
does nothing.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from _apiserver import PASSWORD, Server, Site, api_token, bearer, machine, own_database

FAIR = (40, 8, 11)  # synthetic fair: exhibitors, economies, seed
BOOKERS = 4


@dataclass
class Outcome:
    """What the burst saw before the kill, and what the database holds after the restart."""

    attempts: int = 0
    sent: int = 0
    answered: Counter[str] = field(default_factory=Counter)
    booked: list[dict[str, Any]] = field(default_factory=list)
    in_flight_at_kill: int = 0
    kill_after_seconds: float = 0.0
    restart_seconds: float = 0.0
    meetings_after: int = 0
    lost: list[int] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)
    torn: int = 0
    health_after: int = 0
    booking_after: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempts_planned": self.attempts,
            "sent_before_kill": self.sent,
            "answers_before_kill": dict(sorted(self.answered.items())),
            "accepted_before_kill": len(self.booked),
            "in_flight_at_kill": self.in_flight_at_kill,
            "kill_after_seconds": round(self.kill_after_seconds, 3),
            "restart_seconds": round(self.restart_seconds, 2),
            "meetings_in_database_after_restart": self.meetings_after,
            "lost": len(self.lost),
            "lost_meeting_ids": self.lost,
            "duplicates": self.duplicates,
            "torn": self.torn,
            "health_after_restart": self.health_after,
            "booking_after_restart": self.booking_after,
        }


def prepare(database_url: str, emails: list[str]) -> int:
    """Migrate, store a synthetic fair whose requests are all accepted and unscheduled, and
    create the booking admins; returns the fair id."""
    from servtrade.accounts.registration import create_admin
    from servtrade.accounts.runtime import AccountsRuntime
    from servtrade.db import make_engine, make_session_factory, upgrade
    from servtrade.market import services

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        factory = make_session_factory(engine)
        fair = services.generate_fair(factory, *FAIR).id
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM market_meeting WHERE fair_id = :f"), {"f": fair})
            conn.execute(
                sa.text("UPDATE market_meeting_request SET status = 'accepted' WHERE fair_id = :f"),
                {"f": fair},
            )
        for email in emails:
            create_admin(factory, AccountsRuntime(), email, PASSWORD, "booker")
        return fair
    finally:
        engine.dispose()


def plan(database_url: str, fair: int, seed: int) -> list[dict[str, int]]:
    """Booking attempts: every accepted request once at a random slot among a few, and a
    fifth of them again at another slot (their second attempt must be refused)."""
    from servtrade.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            requests = list(
                conn.scalars(
                    sa.text("SELECT id FROM market_meeting_request WHERE fair_id = :f ORDER BY id"),
                    {"f": fair},
                )
            )
            slots = list(
                conn.scalars(
                    sa.text("SELECT id FROM market_meeting_slot WHERE fair_id = :f ORDER BY id"),
                    {"f": fair},
                )
            )
    finally:
        engine.dispose()
    rng = random.Random(seed)
    few = slots[: max(2, len(slots) // 2)]  # contention: participants and tables collide
    attempts = [{"request_id": r, "slot_id": rng.choice(few)} for r in requests]
    attempts += [
        {"request_id": r, "slot_id": rng.choice(few)}
        for r in rng.sample(requests, len(requests) // 5)
    ]
    rng.shuffle(attempts)
    return attempts


async def burst(
    url: str,
    attempts: list[dict[str, int]],
    tokens: list[str],
    server: Server,
    kill_after: int,
    concurrency: int,
) -> Outcome:
    """Send the attempts ``concurrency`` at a time; SIGKILL the server once ``kill_after``
    answers came back (requests then in flight are cut)."""
    outcome = Outcome(attempts=len(attempts))
    queue: asyncio.Queue[tuple[int, dict[str, int]]] = asyncio.Queue()
    for n, attempt in enumerate(attempts):
        queue.put_nowait((n, attempt))
    killed = asyncio.Event()
    in_flight = 0
    started = time.perf_counter()

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal in_flight
        while not killed.is_set() and not queue.empty():
            n, attempt = queue.get_nowait()
            headers = bearer(tokens[n % len(tokens)])
            outcome.sent += 1
            in_flight += 1
            try:
                got = await client.post("/api/market/meetings", json=attempt, headers=headers)
            except httpx.HTTPError:
                continue  # cut by the kill: the booking may or may not have been written
            finally:
                in_flight -= 1
            if killed.is_set():
                continue  # an answer racing the kill is not counted either way
            outcome.answered[str(got.status_code)] += 1
            if got.status_code == 201:
                outcome.booked.append(got.json())
            if sum(outcome.answered.values()) >= kill_after and not killed.is_set():
                killed.set()
                outcome.in_flight_at_kill = in_flight
                outcome.kill_after_seconds = time.perf_counter() - started
                server.kill()

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return outcome


def check(database_url: str, fair: int, outcome: Outcome) -> None:
    """Lost, duplicate and torn bookings, in SQL."""
    from servtrade.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = {
                row.id: (row.request_id, row.slot_id, row.table_id)
                for row in conn.execute(
                    sa.text(
                        "SELECT id, request_id, slot_id, table_id FROM market_meeting"
                        " WHERE fair_id = :f"
                    ),
                    {"f": fair},
                )
            }
            outcome.meetings_after = len(stored)
            outcome.lost = [
                b["meeting_id"]
                for b in outcome.booked
                if stored.get(b["meeting_id"]) != (b["request_id"], b["slot_id"], b["table_id"])
            ]
            outcome.duplicates = {
                name: int(conn.scalar(sa.text(sql)) or 0) for name, sql in DUPLICATES.items()
            }
            outcome.torn = int(conn.scalar(sa.text(TORN), {"f": fair}) or 0)
    finally:
        engine.dispose()


DUPLICATES = {
    "slot_table": """SELECT COUNT(*) FROM (SELECT slot_id, table_id FROM market_meeting
        GROUP BY slot_id, table_id HAVING COUNT(*) > 1) d""",
    "slot_participant_attendees": """SELECT COUNT(*) FROM (SELECT slot_id, participant_id
        FROM market_meeting_attendee GROUP BY slot_id, participant_id HAVING COUNT(*) > 1) d""",
    "slot_participant_requests": """SELECT COUNT(*) FROM (SELECT slot_id, who FROM (
        SELECT m.slot_id, r.requester_id AS who FROM market_meeting m
          JOIN market_meeting_request r ON r.id = m.request_id
        UNION ALL
        SELECT m.slot_id, r.recipient_id AS who FROM market_meeting m
          JOIN market_meeting_request r ON r.id = m.request_id) p
        GROUP BY slot_id, who HAVING COUNT(*) > 1) d""",
    "request": """SELECT COUNT(*) FROM (SELECT request_id FROM market_meeting
        WHERE request_id IS NOT NULL GROUP BY request_id HAVING COUNT(*) > 1) d""",
}
TORN = """SELECT COUNT(*) FROM (SELECT m.id FROM market_meeting m
    LEFT JOIN market_meeting_attendee a ON a.meeting_id = m.id AND a.slot_id = m.slot_id
    WHERE m.fair_id = :f GROUP BY m.id HAVING COUNT(a.participant_id) <> 2) t"""


def _after_restart(
    site: Site, server: Server, token: str, attempts: list[dict[str, int]], outcome: Outcome
) -> None:
    """Restart on the same database; the server must answer and take a booking again."""
    started = time.perf_counter()
    server.start()
    outcome.restart_seconds = time.perf_counter() - started
    booked = {b["request_id"] for b in outcome.booked}
    slots = sorted({a["slot_id"] for a in attempts})
    with httpx.Client(base_url=site.url, timeout=30) as client:
        outcome.health_after = client.get("/api/health").status_code
        for attempt in [a for a in attempts if a["request_id"] not in booked][:10]:
            for slot in slots:  # a free request at some slot: 201, or 409 while colliding
                body = {"request_id": attempt["request_id"], "slot_id": slot}
                got = client.post("/api/market/meetings", json=body, headers=bearer(token))
                outcome.booking_after = got.status_code
                if got.status_code != 409:
                    return


def run(
    workdir: Path,
    database: str,
    *,
    kill_fraction: float = 0.4,
    concurrency: int = 16,
    seed: int = 5,
) -> dict[str, Any]:
    """The whole test: own database, server, burst, SIGKILL, restart, checks."""
    emails = [f"booker{i}@example.org" for i in range(BOOKERS)]
    with own_database(database) as url:
        fair = prepare(url, emails)
        attempts = plan(url, fair, seed)
        site = Site(workdir / "data", url)
        server = Server(site, workdir / "server.log")
        server.start()
        try:
            tokens = [api_token(site.url, e, ["read", "write"], "crash") for e in emails]
            kill_after = max(1, int(len(attempts) * kill_fraction))
            outcome = asyncio.run(
                burst(site.url, attempts, tokens, server, kill_after, concurrency)
            )
            if server.process is not None and server.process.poll() is None:
                server.kill()  # the burst ended before the kill point: kill now
            _after_restart(site, server, tokens[0], attempts, outcome)
        finally:
            server.stop()
        check(url, fair, outcome)
    return {"fair": {"exhibitors": FAIR[0], "economies": FAIR[1], "seed": FAIR[2]},
            "bookers": BOOKERS, "concurrency": concurrency, "kill_fraction": kill_fraction,
            **outcome.to_dict(), "machine": machine()}  # fmt: skip
