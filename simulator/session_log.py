"""The session log (schema version 1): one JSON object per line, written and read back.

Every record carries ``type`` ("start", "exchange" or "end"), ``schema_version`` and
``session_id``. Demo, practice and simulate write the same shape; ``docs/session-log.md`` describes
each key. The builders here turn the loop's values into records; the reader turns a log's text back
into frozen dataclasses. Both are pure: the file itself is written by ``simulator.session`` and
read by :func:`read_session_log`, the one function here that touches the disk.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

from simulator.errors import SimulatorError
from simulator.scoring.serialize import result_to_dict
from simulator.scoring.summary import Measure, SessionSummary, summary_to_dict
from simulator.types import (
    EVIDENCE_CODES,
    Act,
    ClientTurn,
    EmotionalState,
    Evidence,
    EvidenceCode,
    Exchange,
    Feedback,
    PacingMetrics,
    RiskCheck,
    Scores,
    Transcript,
    TranscriptCheck,
    Word,
)

SCHEMA_VERSION = 1
LOG_NAME = "session.jsonl"
# What Whisper said about its own certainty, kept with the reply (None for typed text).
CERTAINTY = ("language_probability", "no_speech_prob", "compression_ratio", "avg_logprob")
Source = Literal["demo", "practice", "simulate"]


class SessionLogError(SimulatorError):
    """A session log cannot be read: missing, written by another version, or not a log."""


# --- naming -------------------------------------------------------------------------------------


def new_session_id(persona_id: str, now: datetime | None = None) -> str:
    """A fresh id, also the session's folder name: ``20261129-195340-en-angry-caller-3f9a2c``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{persona_id}-{secrets.token_hex(3)}"


def now_iso() -> str:
    """The current UTC time as ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- writing: the loop's values as records ------------------------------------------------------


def _header(kind: str, session_id: str) -> dict[str, object]:
    return {"type": kind, "schema_version": SCHEMA_VERSION, "session_id": session_id}


def start_record(
    session_id: str,
    *,
    source: Source,
    persona_id: str,
    persona_name: str,
    language: str,
    situation: str,
    seed: int,
    settings: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The first record of a session: who the client is and how the session was started."""
    return {
        **_header("start", session_id),
        "source": source,
        "persona": persona_id,
        "persona_name": persona_name,
        "language": language,
        "situation": situation.strip(),
        "seed": seed,
        "settings": dict(settings or {}),
        "started": now_iso(),
    }


def exchange_record(
    session_id: str, ex: Exchange, timings: Mapping[str, float] | None = None
) -> dict[str, object]:
    """One scored exchange; ``timings`` maps a phase of the exchange to the seconds it took."""
    record: dict[str, object] = {
        **_header("exchange", session_id),
        "index": ex.index,
        "client": {
            "text": ex.client.text,
            "state": asdict(ex.client.state),
            "cues": list(ex.client.cues),
            "language": ex.client.language,
            "address": ex.client.address,
            "topics": list(ex.client.topics),
            "raised": list(ex.client.raised),
        },
        "reply": {
            "text": ex.reply.text,
            "language": ex.reply.language,
            "duration": ex.reply.duration,
            "words": [asdict(w) for w in ex.reply.words],
            **{k: getattr(ex.reply, k) for k in CERTAINTY},
        },
        "client_audio": ex.client_audio,
        "reply_audio": ex.reply_audio,
        "response_latency_s": ex.response_latency_s,
        "client_stopped": ex.client_stopped,
        "client_state_after": asdict(ex.client_state_after),
        "timings": None if timings is None else {k: float(v) for k, v in timings.items()},
        "time": now_iso(),
    }
    record.update(result_to_dict(ex.scores, ex.feedback))
    return record


def end_record(
    session_id: str,
    outcome: str,
    *,
    closing_line: str | None = None,
    final_state: EmotionalState | None = None,
    summary: SessionSummary | None = None,
    error: str | None = None,
) -> dict[str, object]:
    """The last record: how it ended (resolution, walk_out, turn_limit, interrupted or error)."""
    return {
        **_header("end", session_id),
        "outcome": outcome,
        "closing_line": closing_line,
        "final_state": None if final_state is None else asdict(final_state),
        "summary": None if summary is None else summary_to_dict(summary),
        "error": error,
        "ended": now_iso(),
    }


def encode(record: Mapping[str, object]) -> bytes:
    """One record as one UTF-8 JSON line (the unit that is written whole or not at all)."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


# --- reading: typed records ---------------------------------------------------------------------


@dataclass(frozen=True)
class StartRecord:
    """Who the client was and how the session was started."""

    session_id: str
    source: str
    persona_id: str
    persona_name: str
    language: str
    situation: str
    seed: int
    started: str
    settings: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ExchangeRecord:
    """One logged exchange: the loop's own Exchange plus when it was written and phase timings."""

    session_id: str
    exchange: Exchange
    time: str | None = None
    timings: Mapping[str, float] | None = None


@dataclass(frozen=True)
class EndRecord:
    """How the session ended; state and summary are absent for an interrupted or failed session."""

    session_id: str
    outcome: str
    closing_line: str | None
    final_state: EmotionalState | None
    summary: SessionSummary | None
    error: str | None
    ended: str | None


@dataclass(frozen=True)
class SessionLogData:
    """A whole log: its start, every readable exchange, its end (None if it never ended)."""

    start: StartRecord
    exchanges: tuple[ExchangeRecord, ...]
    end: EndRecord | None
    problems: tuple[str, ...] = ()  # damaged lines that were skipped, one message each

    @property
    def session_id(self) -> str:
        """The session's id (also its folder name)."""
        return self.start.session_id


def _state(data: Any) -> EmotionalState:
    return EmotionalState(
        emotion=data["emotion"],
        intensity=float(data["intensity"]),
        trust=float(data["trust"]),
        stage=int(data["stage"]),
    )


def _scores(data: Mapping[str, Any]) -> Scores:
    metrics = None
    if data.get("pacing") is not None:
        m = dict(data["pacing"])
        m["long_pauses"] = tuple(tuple(float(x) for x in p) for p in m["long_pauses"])
        m["fillers"] = tuple(m.get("fillers", ()))
        metrics = PacingMetrics(**m)
    scores = data["scores"]
    return Scores(
        listening=int(scores["listening"]),
        empathy=int(scores["empathy"]),
        pacing=None if scores["pacing"] is None else int(scores["pacing"]),
        acts=tuple(
            Act(
                a["kind"],
                a["text"],
                a["start"],
                a["end"],
                float(a.get("confidence", 1.0)),
                a.get("decided_by", "rule"),
            )
            for a in data["acts"]
        ),
        evidence=tuple(
            Evidence(e["score"], float(e["points"]), e["reason"], e.get("quote", ""),
                     code=_evidence_code(e.get("code")))
            for e in data["evidence"]
        ),
        pacing_metrics=metrics,
        risk=None if data.get("risk") is None else RiskCheck(**data["risk"]),
        transcript=_transcript_check(data.get("transcript_check")),
    )


def _evidence_code(code: Any) -> EvidenceCode:
    """The evidence code as logged; "unrecorded" for a log written before codes were logged."""
    if code is None:
        return "unrecorded"
    if code not in EVIDENCE_CODES:
        raise ValueError(f"unknown evidence code {code!r}")
    return cast(EvidenceCode, code)


def _transcript_check(data: Mapping[str, Any] | None) -> TranscriptCheck | None:
    if data is None:
        return None
    return TranscriptCheck(
        reliable=bool(data["reliable"]),
        doubtful=tuple(data.get("doubtful", ())),
        reasons=tuple(data.get("reasons", ())),
        other_language=data.get("other_language"),
    )


def _exchange(data: Mapping[str, Any]) -> ExchangeRecord:
    client, reply = data["client"], data["reply"]
    turn = ClientTurn(
        text=str(client["text"]),
        state=_state(client["state"]),
        cues=tuple(client.get("cues", ())),
        language=client.get("language", reply["language"]),
        address=client.get("address", "informal"),
        topics=tuple(client.get("topics", ())),
        raised=tuple(client.get("raised", ())),
    )
    transcript = Transcript(
        words=tuple(Word(**w) for w in reply["words"]),
        text=str(reply["text"]),
        language=str(reply["language"]),
        duration=float(reply["duration"]),
        **{k: reply.get(k) for k in CERTAINTY},
    )
    exchange = Exchange(
        index=int(data["index"]),
        client=turn,
        reply=transcript,
        scores=_scores(data),
        feedback=Feedback(data["praise"], tuple(data["suggestions"]), data.get("notice")),
        client_state_after=_state(data["client_state_after"]),
        client_audio=data.get("client_audio"),
        reply_audio=data.get("reply_audio"),
        response_latency_s=data.get("response_latency_s"),
        client_stopped=bool(data.get("client_stopped", False)),
    )
    timings = data.get("timings")
    return ExchangeRecord(
        session_id=str(data["session_id"]),
        exchange=exchange,
        time=data.get("time"),
        timings=None if timings is None else {str(k): float(v) for k, v in timings.items()},
    )


def _summary(data: Mapping[str, Any] | None) -> SessionSummary | None:
    if data is None:
        return None
    measures = tuple(
        Measure(
            name,
            m["value"],
            m["fair"],
            m["good"],
            m["band"],
            bool(m.get("higher_is_better", True)),
        )
        for name, m in data["measures"].items()
    )
    return SessionSummary(
        int(data["exchanges"]), int(data["reflections"]), int(data["questions"]), measures
    )


def _end(data: Mapping[str, Any]) -> EndRecord:
    state = data.get("final_state")
    return EndRecord(
        session_id=str(data["session_id"]),
        outcome=str(data["outcome"]),
        closing_line=data.get("closing_line"),
        final_state=None if state is None else _state(state),
        summary=_summary(data.get("summary")),
        error=data.get("error"),
        ended=data.get("ended"),
    )


def _start(data: Mapping[str, Any]) -> StartRecord:
    return StartRecord(
        session_id=str(data["session_id"]),
        source=str(data["source"]),
        persona_id=str(data["persona"]),
        persona_name=str(data.get("persona_name", data["persona"])),
        language=str(data["language"]),
        situation=str(data.get("situation", "")),
        seed=int(data.get("seed", 0)),
        started=str(data["started"]),
        settings=dict(data.get("settings") or {}),
    )


def _check_version(data: Mapping[str, Any], where: str) -> None:
    version = data.get("schema_version")
    if version == SCHEMA_VERSION:
        return
    if version is None:
        raise SessionLogError(
            f"{where}: written by a voice-roleplay from before versioned session logs; "
            f"this version reads session-log schema {SCHEMA_VERSION}"
        )
    raise SessionLogError(
        f"{where}: written with session-log schema {version}; "
        f"this version of voice-roleplay reads schema {SCHEMA_VERSION}"
    )


def parse_session_log(lines: Sequence[str], where: str = "session log") -> SessionLogData:
    """Typed records from a log's lines; a damaged line is skipped and named in ``problems``."""
    start: StartRecord | None = None
    exchanges: list[ExchangeRecord] = []
    end: EndRecord | None = None
    problems: list[str] = []
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    for position, (number, line) in enumerate(numbered):
        last = position == len(numbered) - 1
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
        except (ValueError, TypeError) as exc:
            problems.append(_damaged(where, number, last, exc))
            continue
        _check_version(data, f"{where}:{number}")
        try:
            kind = data["type"]
            if kind == "start":
                start = _start(data)
            elif kind == "exchange":
                exchanges.append(_exchange(data))
            elif kind == "end":
                end = _end(data)
            else:
                raise ValueError(f"unknown record type {kind!r}")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(_damaged(where, number, last, exc))
    if start is None and not numbered:
        raise SessionLogError(f"{where}: empty; the session stopped before it began")
    if start is None:
        raise SessionLogError(f"{where}: no start record; this is not a readable session log")
    return SessionLogData(start, tuple(exchanges), end, tuple(problems))


def _damaged(where: str, number: int, last: bool, exc: Exception) -> str:
    what = "the last line is cut off" if last else "a damaged line"
    return f"{where}:{number}: {what}, skipped ({type(exc).__name__}: {exc})"


def read_session_log(path: Path) -> SessionLogData:
    """Read a session log file (or the ``session.jsonl`` inside a session folder)."""
    if path.is_dir():
        path = path / LOG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SessionLogError(f"{path}: no such session log") from exc
    except OSError as exc:
        raise SessionLogError(f"{path}: cannot read ({exc.strerror})") from exc
    text = raw.decode("utf-8", errors="replace")  # a cut-off last character must not stop reading
    return parse_session_log(text.splitlines(), str(path))
