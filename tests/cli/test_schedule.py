"""``servtrade market schedule | validate-schedule | agenda`` on generated fairs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.config import load_settings
from servtrade.db import make_engine
from servtrade.market import models as m

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def db_check(fair_id: int) -> tuple[list[str], int]:
    """Independent check straight from the rows: nobody and no table twice in a slot, every
    slot of the fair (availability: all slots of the fair, nothing else is stored)."""
    engine = make_engine(load_settings().resolved_database_url)
    with engine.connect() as conn:
        meetings = conn.execute(
            sa.select(m.Meeting.id, m.Meeting.slot_id, m.Meeting.table_id).where(
                m.Meeting.fair_id == fair_id
            )
        ).all()
        seats = conn.execute(
            sa.select(m.MeetingAttendee.slot_id, m.MeetingAttendee.participant_id)
            .join(m.Meeting, m.Meeting.id == m.MeetingAttendee.meeting_id)
            .where(m.Meeting.fair_id == fair_id)
        ).all()
        slots = set(
            conn.scalars(sa.select(m.MeetingSlot.id).where(m.MeetingSlot.fair_id == fair_id))
        )
    engine.dispose()
    problems = [
        f"table {k} twice" for k, n in Counter((s, t) for _i, s, t in meetings).items() if n > 1
    ]
    problems += [f"participant {k} twice" for k, n in Counter(map(tuple, seats)).items() if n > 1]
    problems += [f"meeting {i} outside the fair's slots" for i, s, _t in meetings if s not in slots]
    return problems, len(meetings)


def schedule_json(tmp: Path, *extra: str) -> tuple[dict[str, Any], Path]:
    code, out, err = run("market", "schedule", "--solver", "fast", "--format", "json", *extra)
    assert code == 0, err
    path = tmp / "schedule.json"
    path.write_text(out, encoding="utf-8")
    return json.loads(out), path


def test_schedule_validate_and_agenda(data_dir: Path) -> None:
    assert (
        run("market", "generate", "--exhibitors", "40", "--economies", "8", "--seed", "2")[0] == 0
    )
    result, path = schedule_json(data_dir, "--time-limit", "2")
    problems, stored = db_check(result["fair_id"])
    assert (problems, stored) == ([], len(result["meetings"]))
    code, out, _ = run("market", "validate-schedule", str(path), "--format", "json")
    assert (code, json.loads(out)) == (
        0,
        {
            "ok": True,
            "file": str(path),
            "fair_id": result["fair_id"],
            "meetings": len(result["meetings"]),
            "unscheduled": len(result["unscheduled"]),
            "objective": result["objective"],
        },
    )
    code, out, _ = run("market", "schedule", "--time-limit", "1", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "meeting_id,request_id,starts_at,table,zone,first,second"
    assert len(out.splitlines()) == 1 + len(result["meetings"])
    code, out, _ = run("market", "schedule", "--time-limit", "1")
    assert code == 0 and "note: availability" in out and f"Fair {result['fair_id']}" in out
    person = result["meetings"][0]["participants"][0]["id"]
    ics = data_dir / "agenda.ics"
    code, out, _ = run("market", "agenda", "--participant", str(person), "--out", str(ics))
    text = ics.read_bytes().decode("utf-8")
    events = text.count("BEGIN:VEVENT\r\n")
    assert (code, text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")) == (0, True)
    assert out.strip().startswith(f"wrote {events} meeting(s)") and events >= 1


def test_validate_schedule_names_the_meeting_and_field(data_dir: Path) -> None:
    assert (
        run("market", "generate", "--exhibitors", "40", "--economies", "8", "--seed", "2")[0] == 0
    )
    result, path = schedule_json(data_dir, "--time-limit", "1")
    result["meetings"][1]["slot_id"] = result["meetings"][0]["slot_id"]
    result["meetings"][1]["table_id"] = result["meetings"][0]["table_id"]
    result["meetings"][2]["table_id"] = 999999
    path.write_text(json.dumps(result), encoding="utf-8")
    code, _, err = run("market", "validate-schedule", str(path))
    assert code == 1
    assert "schedule is invalid" in err
    assert "field 'meetings[2].table_id' value '999999': no meeting table of this fair" in err
    assert "meetings at slot" in err
    path.write_text("{\n  not json", encoding="utf-8")
    code, _, err = run("market", "validate-schedule", str(path))
    assert (code, "is not JSON" in err, f"{path}:2" in err) == (1, True, True)
    path.write_text("[]", encoding="utf-8")
    code, _, err = run("market", "validate-schedule", str(path))
    assert (code, "expected a JSON object" in err) == (1, True)
    code, _, err = run("market", "validate-schedule", str(data_dir / "missing.json"))
    assert (code, "cannot read" in err) == (1, True)


def test_schedule_unknown_fair_exits_cleanly(data_dir: Path) -> None:
    code, _, err = run("market", "schedule", "--fair", "99")
    assert (code, "no fair with id 99" in err) == (1, True)


@pytest.mark.slow
def test_acceptance_500_exhibitors(data_dir: Path) -> None:
    """The issue's acceptance run: generate --exhibitors 500 --seed 2, schedule, validate."""
    code, out, _ = run("market", "generate", "--exhibitors", "500", "--seed", "2", "-f", "json")
    assert code == 0
    fair_id = json.loads(out)[0]["id"]
    result, path = schedule_json(data_dir, "--time-limit", "10")
    assert result["fair_id"] == fair_id and len(result["meetings"]) > 2000
    code, out, _ = run("market", "validate-schedule", str(path), "-f", "json")
    assert (code, json.loads(out)["ok"]) == (0, True)
    assert db_check(fair_id) == ([], len(result["meetings"]))
