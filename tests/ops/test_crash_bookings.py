"""SIGKILL the server in the middle of a burst of concurrent bookings, restart it: no booking
answered 201 is lost, nothing is double-booked, no booking is half-written, the server answers.
Runs ``bench/_crash.py`` (shared with ``bench/api_crash.py``) on a real ``servtrade serve`` and
PostgreSQL, in a database of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _apiserver  # the shared helpers live in bench/
import _crash


@pytest.mark.slow
@pytest.mark.postgres
def test_sigkill_mid_burst_loses_and_doubles_no_booking(tmp_path: Path) -> None:
    reason = _apiserver.postgres_unreachable()
    if reason:
        pytest.skip(reason)
    found = _crash.run(tmp_path, "servtrade_crash_test", kill_fraction=0.4, concurrency=16)
    print(json.dumps({k: v for k, v in found.items() if k != "machine"}, indent=2))
    assert found["accepted_before_kill"] > 0  # the kill came mid-burst, after real bookings
    assert found["sent_before_kill"] < found["attempts_planned"]
    assert (found["lost"], found["lost_meeting_ids"], found["torn"]) == (0, [], 0)
    assert found["duplicates"] == {
        "slot_table": 0,
        "slot_participant_attendees": 0,
        "slot_participant_requests": 0,
        "request": 0,
    }
    assert found["meetings_in_database_after_restart"] >= found["accepted_before_kill"]
    assert (found["health_after_restart"], found["booking_after_restart"]) == (200, 201)
