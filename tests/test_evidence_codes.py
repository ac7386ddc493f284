"""Evidence codes: set by every scorer, chosen by in the feedback, kept in the session log."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from test_session_log import write_session

from simulator.feedback import give_feedback
from simulator.scoring import score_exchange
from simulator.session_log import parse_session_log
from simulator.types import EVIDENCE_CODES, ClientTurn, EmotionalState, Transcript, Word

SCORING = Path(__file__).resolve().parents[1] / "simulator" / "scoring"
CLIENT = ClientTurn(
    "I've called five times and nobody calls back. I'm so angry I could scream.",
    EmotionalState("angry", 0.8, 0.2, 0),
    ("called five times", "nobody calls back"),
)
# Replies that draw most kinds of evidence: cues, feelings, harms, stacked questions, length.
REPLIES = (
    "You've called five times and nobody calls back, and you're angry about it.",
    "Calm down, you should just send an email instead.",
    "Did you call? Was it today? Did they answer?",
    "When I had a problem like that I just waited, it happens to everyone, don't worry.",
    "What has that been like for you?",
    " ".join(["I understand that this is frustrating and I think you should wait a bit more"] * 4),
)


def timed(text: str, word_s: float) -> Transcript:
    """The reply as spoken words of one length each, with a two-second pause in the middle."""
    words = []
    t = 0.0
    for i, w in enumerate(text.split()):
        t += 2.0 if i == 3 else 0.05
        words.append(Word(w, t, t + word_s, 0.95))
        t += word_s
    return Transcript(tuple(words), text, "en", t + 0.2)


def test_feedback_does_not_read_the_reason_text() -> None:
    """With every reason blanked, the feedback is the same: it chooses by evidence code alone."""
    checked = 0
    for reply in REPLIES:
        for transcript, latency in ((Transcript.from_text(reply, "en"), None),
                                    (timed(reply, 0.08), 0.05), (timed(reply, 0.9), 6.0)):
            scores = score_exchange(CLIENT, transcript, response_latency_s=latency)
            blank = replace(scores, evidence=tuple(replace(e, reason="") for e in scores.evidence))
            assert give_feedback(CLIENT, blank, transcript) == give_feedback(
                CLIENT, scores, transcript)
            checked += len(scores.evidence)
    assert checked > 40


def test_every_code_is_set_by_a_scorer() -> None:
    """Each code but "unrecorded" is written in the scoring code, so the list holds no dead code."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SCORING.glob("*.py"))
    unused = [c for c in EVIDENCE_CODES if c != "unrecorded" and f'"{c}"' not in source]
    assert not unused
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", c) for c in EVIDENCE_CODES)


def test_the_log_keeps_codes_and_reads_old_logs_without_them(tmp_path: Path) -> None:
    """A log records each evidence code; a log from before codes still loads, as "unrecorded"."""
    lines = write_session(tmp_path).path.read_text().splitlines()
    logged = json.loads(lines[1])["evidence"]
    assert logged and all(e["code"] in EVIDENCE_CODES for e in logged)
    read = parse_session_log(lines).exchanges[0].exchange.scores.evidence
    assert [e.code for e in read] == [e["code"] for e in logged]
    old = [re.sub(r'"code": "[a-z_]+", ', "", line) for line in lines]
    assert '"code"' not in old[1]
    data = parse_session_log(old)
    assert not data.problems and len(data.exchanges) == 2
    assert {e.code for e in data.exchanges[0].exchange.scores.evidence} == {"unrecorded"}


def test_an_unknown_code_in_a_log_is_named(tmp_path: Path) -> None:
    """A log line with an evidence code this version does not know is skipped with a message."""
    lines = write_session(tmp_path).path.read_text().splitlines()
    lines[1] = re.sub(r'"code": "[a-z_]+"', '"code": "no_such_code"', lines[1], count=1)
    data = parse_session_log(lines)
    assert len(data.exchanges) == 1 and "no_such_code" in " ".join(data.problems)
