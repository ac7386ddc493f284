"""The session loop on real parts: interruption and a full disk lose nothing already recorded."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.audio import RecordedReply, StretchSink
from simulator.errors import StorageError
from simulator.fixtures import FixtureAudio
from simulator.persona import find_persona
from simulator.session import NoReply, SessionEnd, SessionLog, iter_session
from simulator.stt import make_transcriber
from simulator.tts import EspeakSynthesizer
from simulator.types import EmotionalState, Exchange


class InterruptedAfter(FixtureAudio):
    """Recorded replies, then Ctrl-C while waiting for the next one."""

    def __init__(self, persona_id: str, replies: int) -> None:
        """Answer ``replies`` times, then act as if the trainee pressed Ctrl-C."""
        super().__init__(persona_id, plan="good")
        self.left = replies

    def record_reply(
        self, state: EmotionalState, on_stretch: StretchSink | None = None
    ) -> RecordedReply:
        """Return a recorded reply, or raise KeyboardInterrupt once they run out."""
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().record_reply(state, on_stretch)


def read_log(path: Path) -> list[dict[str, object]]:
    """The session log as a list of records."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_ctrl_c_keeps_every_exchange_already_recorded(tmp_path: Path) -> None:
    """Interrupting in the third exchange leaves the first two logged with their audio."""
    persona = find_persona("en-angry-caller")
    log = SessionLog(tmp_path)
    events = iter_session(
        persona,
        InterruptedAfter(persona.id, 2),
        EspeakSynthesizer(),
        make_transcriber(language="en"),
        log,
    )
    seen = []
    with pytest.raises(KeyboardInterrupt):
        for event in events:
            seen.append(event)
    exchanges = [r for r in read_log(log.path) if r["type"] == "exchange"]
    assert len(exchanges) == 2 == sum(isinstance(e, Exchange) for e in seen)
    assert all((tmp_path / str(r["reply_audio"])).is_file() for r in exchanges)


def test_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    """When the log cannot be written because the disk is full, the message says so."""
    (tmp_path / "session.jsonl").symlink_to("/dev/full")
    with pytest.raises(StorageError, match="disk is full"):
        SessionLog(tmp_path).append({"type": "start"})


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    """Record (and block) every attempt to open a network connection during the test."""
    attempts: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not active[0] or event not in ("socket.connect", "socket.getaddrinfo"):
            return
        if event == "socket.connect" and getattr(args[0], "family", None) == socket.AF_UNIX:
            return
        attempts.append(f"{event} {args[1:]!r}")
        raise OSError("network use during an offline test")

    sys.addaudithook(hook)
    yield attempts
    active[0] = False


def test_a_whole_session_makes_no_network_connection(tmp_path: Path, no_network: list[str]) -> None:
    """Loading models, speaking, transcribing and scoring a session never touch the network."""
    persona = find_persona("nl-weduwnaar")
    events = list(
        iter_session(
            persona,
            FixtureAudio(persona.id, plan="mixed"),
            EspeakSynthesizer(),
            make_transcriber(language="nl"),
            SessionLog(tmp_path),
        )
    )
    assert isinstance(events[-1], SessionEnd)
    assert no_network == []


def test_an_unclear_reply_is_offered_again_in_live_practice(tmp_path: Path) -> None:
    """A Finnish reply Whisper garbles: 'say it again?' with doubtful words marked, then scored."""
    persona = find_persona("fi-epaluuloinen")
    events = iter_session(
        persona,
        FixtureAudio(persona.id, plan="good"),
        EspeakSynthesizer(),
        make_transcriber(language="fi"),
        SessionLog(tmp_path),
        ask_again=True,
    )
    seen: list[object] = []
    for event in events:
        seen.append(event)
        if isinstance(event, Exchange):
            break
    retries = [e for e in seen if isinstance(e, NoReply)]
    assert retries and retries[0].message.startswith("En saanut vastauksestasi selvää")
    assert "[" in retries[0].message and retries[0].message.endswith("Sanotko uudestaan?")
    exchange = seen[-1]
    assert isinstance(exchange, Exchange)
    assert exchange.feedback.praise is None or exchange.feedback.notice is None
