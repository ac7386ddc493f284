"""Tests of `roleplay simulate`: scripted text sessions scored by the real scorer."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.persona import find_persona, list_personas
from simulator.session_log import parse_session_log

PERSONA_IDS = [p.id for p in list_personas()]


VARYING = {"session_id", "started", "ended", "time"}  # differ from run to run


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """Run `simulate --json` (a session log on stdout): the end record plus the exchanges."""
    assert main(["simulate", *args, "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["type"] for r in records[:1] + records[-1:]] == ["start", "end"]
    stable = [{k: v for k, v in r.items() if k not in VARYING} for r in records]
    return {**stable[-1], "exchanges": stable[1:-1], "start": stable[0]}


@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_well_met_client_reaches_resolution(
    capsys: pytest.CaptureFixture[str], persona_id: str
) -> None:
    """The persona's good sample replies lead, through the real scorer, to a resolution."""
    result = simulate(capsys, persona_id, "--practice", "good")
    assert result["outcome"] == "resolution"
    assert result["closing_line"] in find_persona(persona_id).end.resolution
    assert result["final_state"]["stage"] == len(find_persona(persona_id).stages) - 1


@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_badly_met_client_walks_out(capsys: pytest.CaptureFixture[str], persona_id: str) -> None:
    """The persona's poor sample replies make the client walk out before the replies run out."""
    result = simulate(capsys, persona_id, "--practice", "poor")
    assert result["outcome"] == "walk_out"
    assert result["final_state"]["intensity"] >= find_persona(persona_id).end.walk_out_at
    assert result["final_state"]["stage"] <= 1


def test_json_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Every exchange carries the client line, the reply, acts, scores, feedback and new state."""
    replies = tmp_path / "replies.txt"
    replies.write_text("You sound really frustrated.\n\nWhat happened?\n", encoding="utf-8")
    result = simulate(capsys, "en-angry-caller", "--replies", str(replies))
    assert set(result) >= {"exchanges", "outcome", "final_state"}
    assert set(result["final_state"]) == {"emotion", "intensity", "trust", "stage"}
    assert [e["reply"]["text"] for e in result["exchanges"]] == [
        "You sound really frustrated.",
        "What happened?",
    ]
    first = result["exchanges"][0]
    assert {"index", "client", "reply", "acts", "scores", "feedback", "client_state_after"} <= set(
        first
    )
    assert first["client"]["state"]["emotion"] == "angry"
    assert set(first["scores"]) == {"listening", "empathy", "pacing"}
    assert first["scores"]["pacing"] is None
    assert result["outcome"] == "interrupted"


def test_json_is_a_session_log_the_reader_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`simulate --json` prints the same record shape as demo and practice: the reader reads it."""
    assert main(["simulate", "nl-weduwnaar", "--practice", "good", "--json"]) == 0
    log = parse_session_log(capsys.readouterr().out.splitlines())
    assert log.start.source == "simulate" and log.start.persona_id == "nl-weduwnaar"
    assert log.end is not None and log.end.outcome == "resolution"
    assert log.exchanges and log.problems == ()
    assert {r.session_id for r in log.exchanges} == {log.session_id}
    first = find_persona("nl-weduwnaar").practice_replies.good[0]
    assert log.exchanges[0].exchange.reply.text == first


def test_same_replies_same_session(capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs with the same replies and seed print the same JSON."""
    first = simulate(capsys, "fi-vuokralainen", "--practice", "good", "--seed", "3")
    second = simulate(capsys, "fi-vuokralainen", "--practice", "good", "--seed", "3")
    assert first == second


def test_typed_replies_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --replies the trainee types replies; end of input ends the session."""
    monkeypatch.setattr("sys.stdin", io.StringIO("Je klinkt verdrietig.\n"))
    assert main(["simulate", "nl-weduwnaar"]) == 0
    out = capsys.readouterr().out
    assert "Henk de Vries" in out
    assert "Listening" in out
    assert "Client now:" in out


def test_text_output_shows_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    """The text dry run prints the closing line and how the session ended."""
    assert main(["simulate", "en-shop-counter", "--practice", "poor"]) == 0
    out = capsys.readouterr().out
    assert "End: walk out" in out
    assert any(line in out for line in find_persona("en-shop-counter").end.walk_out)


def test_unknown_persona_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown id exits 1 with a one-line message listing the ids."""
    assert main(["simulate", "nobody", "--practice", "good"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("roleplay: unknown persona 'nobody'; available: ")
    assert len(err.strip().splitlines()) == 1


def test_missing_replies_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A replies file that does not exist is a clear error, not a traceback."""
    assert main(["simulate", "en-angry-caller", "--replies", str(tmp_path / "no.txt")]) == 1
    assert "cannot read the replies" in capsys.readouterr().err
