"""Recorded trainee replies in ``audio_fixtures/``: the reply source of the demo and of tests.

``audio_fixtures/manifest.json`` lists each file with its persona, exchange number, quality
(good or poor), language, text and the acts a coder would give it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from simulator.audio import Audio, RecordedReply, StretchSink, Transcriber, read_audio
from simulator.errors import AudioError
from simulator.types import EmotionalState, Transcript

Quality = Literal["good", "poor"]
PLANS: dict[str, tuple[Quality, ...]] = {
    "good": ("good",),
    "poor": ("poor",),
    # A mixed trainee: mostly good, with two slips that show what poor replies cost.
    "mixed": ("good", "poor", "good", "good", "poor", "good"),
}


def fixtures_dir() -> Path:
    """The repository's ``audio_fixtures/`` folder."""
    return Path(__file__).resolve().parents[1] / "audio_fixtures"


@dataclass(frozen=True)
class Fixture:
    """One recorded reply and what it holds."""

    path: Path
    persona: str
    exchange: int
    quality: Quality
    language: str
    text: str
    expected_acts: tuple[str, ...]
    response_latency_s: float


def load_manifest(folder: Path | None = None) -> tuple[Fixture, ...]:
    """Read the manifest of recorded replies."""
    root = folder or fixtures_dir()
    path = root / "manifest.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["fixtures"]
    except (OSError, ValueError, KeyError) as exc:
        raise AudioError(f"{path}: cannot read the fixture manifest ({exc})") from exc
    return tuple(
        Fixture(
            path=root / e["file"],
            persona=e["persona"],
            exchange=int(e["exchange"]),
            quality=e["quality"],
            language=e["language"],
            text=e["text"],
            expected_acts=tuple(e["expected_acts"]),
            response_latency_s=float(e["response_latency_s"]),
        )
        for e in entries
    )


class FixtureAudio:
    """An AudioIO that plays nothing and answers each client line with the next recorded reply."""

    def __init__(self, persona_id: str, plan: str = "mixed", folder: Path | None = None) -> None:
        """Pick the persona's recordings and the order of good and poor replies."""
        if plan not in PLANS:
            raise AudioError(f"unknown reply plan '{plan}': use {', '.join(PLANS)}")
        mine = [f for f in load_manifest(folder) if f.persona == persona_id]
        if not mine:
            raise AudioError(f"no recorded replies for persona '{persona_id}' in audio_fixtures/")
        self._by_quality = {
            q: sorted((f for f in mine if f.quality == q), key=lambda f: f.exchange)
            for q in ("good", "poor")
        }
        self._plan = PLANS[plan]
        self._count = 0
        self._last: Path | None = None

    def play(
        self, audio: Audio, yield_line: Audio | None = None, more: Iterator[Audio] | None = None
    ) -> None:
        """Nobody is listening in a replay: the client's line is only saved in the session."""

    def record_reply(
        self, state: EmotionalState, on_stretch: StretchSink | None = None
    ) -> RecordedReply:
        """Return the planned quality's reply written for the client's current stage.

        Replies are recorded in stage order; a reply is not repeated twice running. A recording
        comes whole, so no stretches are handed over: the session transcribes it in one go.
        """
        quality = self._plan[self._count % len(self._plan)]
        options = (
            self._by_quality[quality] or self._by_quality["good" if quality == "poor" else "poor"]
        )
        pick = min(state.stage, len(options) - 1)
        if options[pick].path == self._last and len(options) > 1:
            pick = (pick + 1) % len(options)
        fixture = options[pick]
        self._count += 1
        self._last = fixture.path
        return RecordedReply(
            audio=read_audio(fixture.path),
            response_latency_s=fixture.response_latency_s,
            source=str(fixture.path),
        )


class OncePerRecording:
    """A transcriber that transcribes each recording once and gives the same words again after.

    A demo answers a client who stays in one stage with the same few recordings, and each
    took a base model about 2.3 CPU-seconds to transcribe again (about half of a Finnish or
    Dutch demo's time). The recording's samples are the key, so only an identical recording
    is taken from memory; a failed transcription is not kept.
    """

    def __init__(self, inner: Transcriber) -> None:
        self._inner = inner
        self._heard: dict[tuple[str, int, str | None], Transcript] = {}

    def load(self) -> None:
        """Load the model now, if the inner transcriber loads lazily (the session's warm-up)."""
        load = getattr(self._inner, "load", None)
        if callable(load):
            load()

    def transcribe(self, audio: Audio, language: str | None = None) -> Transcript:
        """The recording's transcript: made the first time, remembered after."""
        digest = hashlib.sha256(audio.samples.tobytes()).hexdigest()
        key = (digest, audio.sample_rate, language)
        heard = self._heard.get(key)
        if heard is None:
            heard = self._inner.transcribe(audio, language)
            self._heard[key] = heard
        return heard
