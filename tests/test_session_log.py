"""The session log: one record shape, written whole or not at all, read back as typed records."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from simulator.errors import StorageError
from simulator.feedback import give_feedback
from simulator.persona import find_persona
from simulator.scoring import score_exchange, summarize_session
from simulator.session import SessionLog
from simulator.session_log import (
    SCHEMA_VERSION,
    SessionLogError,
    encode,
    exchange_record,
    parse_session_log,
    read_session_log,
)
from simulator.storage import append_private
from simulator.types import ClientTurn, EmotionalState, Exchange, Transcript, Word

CLIENT = ClientTurn(
    "I've called five times and nobody calls back.", EmotionalState("angry", 0.8, 0.2, 0)
)


def spoken_exchange() -> Exchange:
    """A scored exchange with word timings, so pacing metrics are present too."""
    words = tuple(
        Word(w, 0.4 * i, 0.4 * i + 0.3, 0.9)
        for i, w in enumerate(
            ["You", "have", "called", "five", "times", "and", "nobody", "called", "you", "back"]
        )
    )
    reply = Transcript(words, " ".join(w.text for w in words), "en", 4.5)
    scores = score_exchange(CLIENT, reply, response_latency_s=0.8, client_duration_s=3.0)
    after = EmotionalState("angry", 0.6, 0.35, 0)
    return Exchange(
        0,
        CLIENT,
        reply,
        scores,
        give_feedback(CLIENT, scores),
        after,
        "01-client.wav",
        "01-reply.wav",
        0.8,
    )


def write_session(tmp_path: Path, exchanges: int = 2) -> SessionLog:
    """A real session log with a start, some exchanges and an end."""
    log = SessionLog.create(tmp_path, "en-angry-caller", "demo", {"model": "tiny.en"})
    log.start(find_persona("en-angry-caller"), seed=0)
    ex = spoken_exchange()
    for _ in range(exchanges):
        log.exchange(ex, timings={"transcribe": 0.7, "score": 0.01})
    log.end(
        "turn_limit",
        closing_line="Fine.",
        final_state=ex.client_state_after,
        summary=summarize_session([ex.scores], client_speech_s=[3.0]),
    )
    return log


def test_every_record_carries_session_id_and_version(tmp_path: Path) -> None:
    """Start, exchange and end records all name the session and the schema version."""
    log = write_session(tmp_path)
    records = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert [r["type"] for r in records] == ["start", "exchange", "exchange", "end"]
    assert {r["session_id"] for r in records} == {log.session_id} == {log.folder.name}
    assert {r["schema_version"] for r in records} == {SCHEMA_VERSION}


def test_reader_gives_back_the_exchange_that_was_logged(tmp_path: Path) -> None:
    """Reading a log and writing its exchange again gives the very same record."""
    log = write_session(tmp_path)
    data = read_session_log(log.folder)
    assert data.start.persona_id == "en-angry-caller" and data.start.settings == {
        "model": "tiny.en"
    }
    assert data.end is not None and data.end.outcome == "turn_limit"
    assert data.end.summary is not None and data.end.summary.exchanges == 1
    first = data.exchanges[0]
    assert first.timings == {"transcribe": 0.7, "score": 0.01}
    assert first.exchange.scores.pacing_metrics is not None
    original = json.loads(log.path.read_text().splitlines()[1])
    again = json.loads(encode(exchange_record(log.session_id, first.exchange, first.timings)))
    assert {**again, "time": None} == {**original, "time": None}


def test_each_session_gets_its_own_folder(tmp_path: Path) -> None:
    """Two sessions under one root never share a folder, so nothing is overwritten."""
    first = SessionLog.create(tmp_path, "en-angry-caller", "demo")
    second = SessionLog.create(tmp_path, "en-angry-caller", "demo")
    assert first.folder != second.folder and first.session_id != second.session_id


def test_a_folder_holding_a_session_is_not_reused(tmp_path: Path) -> None:
    """Opening a log in a folder that already holds one is refused instead of appending to it."""
    log = write_session(tmp_path)
    with pytest.raises(StorageError, match="sessions never share a folder"):
        SessionLog(log.folder)


def test_damaged_last_line_is_skipped_and_reported(tmp_path: Path) -> None:
    """A cut-off last line (an old crash) is skipped with a message; everything before reads."""
    log = write_session(tmp_path)
    with log.path.open("ab") as fh:
        fh.write(encode({"type": "exchange", "session_id": "x"})[:25])
    data = read_session_log(log.path)
    assert len(data.exchanges) == 2 and data.end is not None
    assert len(data.problems) == 1 and "last line is cut off" in data.problems[0]


def test_a_log_of_another_version_is_one_clear_line(tmp_path: Path) -> None:
    """A log of another schema version, or one from before versioning, names the version."""
    lines = write_session(tmp_path).path.read_text().splitlines()
    newer = [line.replace('"schema_version": 1', '"schema_version": 7') for line in lines]
    with pytest.raises(SessionLogError, match=r"schema 7; .* reads schema 1"):
        parse_session_log(newer)
    old = ['{"type": "start", "persona": "en-angry-caller", "language": "en", "seed": 0}']
    with pytest.raises(SessionLogError, match="before versioned session logs"):
        parse_session_log(old)


def test_a_failed_write_leaves_no_partial_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up in the middle of a record: the half-written record is removed."""
    log = write_session(tmp_path)
    before = log.path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(StorageError, match="disk is full"):
        log.exchange(spoken_exchange())
    monkeypatch.undo()
    assert log.path.read_bytes() == before


def test_a_short_write_counts_as_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that stores only part of a record is undone and reported as a full disk."""
    path = tmp_path / "log.jsonl"
    append_private(path, b"first\n")
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:3]))
    with pytest.raises(StorageError, match="disk is full"):
        append_private(path, b"second record\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"first\n"


def test_a_folder_that_cannot_be_written_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating the session folder where the user may not write says so and names --out."""

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StorageError, match=r"cannot write here \(Permission denied\).*--out"):
        SessionLog.create(tmp_path / "sessions", "en-angry-caller", "demo")
