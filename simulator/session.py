"""The practice loop: client speaks, trainee replies, the reply is scored, the client reacts.

``iter_session`` yields one event at a time so the caller shows each step as it happens; the
session log is written exchange by exchange, so an interrupted session loses nothing recorded.
This module sees only the adapter protocols of ``simulator.audio``, never a concrete adapter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from simulator.audio import (
    Audio,
    AudioIO,
    Samples,
    Synthesizer,
    Transcriber,
    VoiceSettings,
    write_wav,
)
from simulator.dialogue import first_turn, respond, yield_line
from simulator.errors import AudioError, StorageError, SynthesisError
from simulator.feedback import give_feedback
from simulator.persona import Persona, voice_for
from simulator.ports import ClientBrain, Heard
from simulator.scoring import SessionSummary, score_exchange, summarize_session, summary_to_dict
from simulator.scoring.serialize import result_to_dict
from simulator.storage import append_private
from simulator.stretches import StretchTranscriber
from simulator.types import ClientTurn, EmotionalState, Exchange, Scores

MAX_RETRIES = 3  # times the trainee is asked again after a reply with no speech
SENTENCE_GAP_S = 0.12  # silence between sentences, as the player leaves it


@dataclass(frozen=True)
class ClientLine:
    """The client is about to speak this line (shown before it plays)."""

    index: int
    turn: ClientTurn
    audio_path: Path


@dataclass(frozen=True)
class NoReply:
    """No usable reply was heard; the trainee is asked to try again."""

    index: int
    message: str
    attempt: int


@dataclass(frozen=True)
class SessionEnd:
    """The session is over: how it ended, the client's last words and final state."""

    outcome: str
    closing_line: str | None
    state: EmotionalState
    log_path: Path
    summary: SessionSummary


SessionEvent = ClientLine | NoReply | Exchange | SessionEnd


class SessionLog:
    """A session folder readable only by the user: client and reply WAVs and a JSON Lines log."""

    def __init__(self, folder: Path) -> None:
        """Create the folder (mode 0700) and an empty log file (mode 0600)."""
        self.folder = folder
        self.path = folder / "session.jsonl"
        append_private(self.path, b"")

    def append(self, record: dict[str, object]) -> None:
        """Append one record as a JSON line, flushed to disk; earlier lines are never rewritten."""
        line = json.dumps(record, ensure_ascii=False) + "\n"
        append_private(self.path, line.encode("utf-8"))

    def exchange(self, ex: Exchange) -> None:
        """Log one scored exchange."""
        record: dict[str, object] = {
            "type": "exchange",
            "index": ex.index,
            "client": {
                "text": ex.client.text,
                "state": asdict(ex.client.state),
                "topics": list(ex.client.topics),
                "raised": list(ex.client.raised),
            },
            "reply": {
                "text": ex.reply.text,
                "language": ex.reply.language,
                "duration": ex.reply.duration,
                "words": [asdict(w) for w in ex.reply.words],
            },
            "client_audio": ex.client_audio,
            "reply_audio": ex.reply_audio,
            "response_latency_s": ex.response_latency_s,
            "client_stopped": ex.client_stopped,
            "client_state_after": asdict(ex.client_state_after),
        }
        record.update(result_to_dict(ex.scores, ex.feedback))
        self.append(record)


class SpokenLine:
    """The client's line as it is made: the first sentence at once, the rest while it plays.

    A synthesizer without ``stream`` makes the whole line first; ``rest`` is then empty.
    """

    def __init__(self, synthesizer: Synthesizer, text: str, voice: VoiceSettings) -> None:
        """Make the first sentence (or the whole line) now."""
        stream = getattr(synthesizer, "stream", None)
        self.streaming = callable(stream)
        self._parts: list[Audio] = []
        self._error: BaseException | None = None
        if callable(stream):
            self._source: Iterator[Audio] = iter(stream(text, voice))
            first = next(self._source, None)
            if first is None:
                raise SynthesisError(f"the synthesizer produced no audio for: {text}")
            self.first = first
        else:
            self.first = synthesizer.synthesize(text, voice)
            self._source = iter(())
        self._parts.append(self.first)
        self.rest = self._more()

    def _more(self) -> Iterator[Audio]:
        """The remaining sentences, kept for the session log as they are handed out."""
        try:
            for part in self._source:
                self._parts.append(part)
                yield part
        except BaseException as exc:  # raised again by whole(), in the session's thread
            self._error = exc
            raise

    def whole(self) -> Audio:
        """The whole line (what was not played yet is made now), sentences joined by a gap."""
        for _ in self.rest:
            pass
        if self._error is not None:
            raise self._error
        if len(self._parts) == 1:
            return self.first
        rate = self.first.sample_rate
        gap = np.zeros(round(SENTENCE_GAP_S * rate), dtype=np.float32)
        pieces: list[Samples] = []
        for part in self._parts:
            pieces.extend([gap, part.resampled(rate).samples] if pieces else [part.samples])
        return Audio(np.concatenate(pieces), rate)


def default_session_dir(root: Path, persona_id: str) -> Path:
    """A new, time-stamped folder for one session under ``root``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return root / f"{stamp}-{persona_id}"


def iter_session(
    persona: Persona,
    audio_io: AudioIO,
    synthesizer: Synthesizer,
    transcriber: Transcriber,
    log: SessionLog,
    seed: int = 0,
    brain: ClientBrain | None = None,
) -> Iterator[SessionEvent]:
    """Run one session, yielding each client line, each scored exchange and the end.

    ``brain`` chooses the client's lines by what the trainee said (default: the rules' rotation).
    """
    log.append(
        {
            "type": "start",
            "persona": persona.id,
            "language": persona.language,
            "seed": seed,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    turn = first_turn(persona, seed)
    state = turn.state
    index = 0
    all_scores: list[Scores] = []
    client_speech_s: list[float] = []
    yield_audio: dict[VoiceSettings, Audio] = {}
    while True:
        voice = voice_for(persona, turn.state)
        line = SpokenLine(synthesizer, turn.text, voice)
        client_path = log.folder / f"{index + 1:02d}-client.wav"
        if not line.streaming:
            write_wav(client_path, line.whole())
        yield ClientLine(index, turn, client_path)
        # The yield line in this turn's voice, made once per voice (intensity to a tenth).
        yield_voice = replace(voice, intensity=round(voice.intensity, 1))
        if yield_voice not in yield_audio:
            yield_audio[yield_voice] = synthesizer.synthesize(yield_line(persona), yield_voice)
        audio_io.play(line.first, yield_audio[yield_voice], line.rest)
        for attempt in range(1, MAX_RETRIES + 1):
            # Stretches of the reply are transcribed while the trainee is still talking.
            stretches = StretchTranscriber(transcriber, persona.language)
            try:
                reply = audio_io.record_reply(turn.state, stretches.submit)
                reply_path = log.folder / f"{index + 1:02d}-reply.wav"
                write_wav(reply_path, reply.audio)
                transcript = stretches.result(reply.audio)
                break
            except StorageError:
                raise
            except AudioError as exc:
                if attempt == MAX_RETRIES:
                    raise
                yield NoReply(index, f"{exc} — try again?", attempt)
            finally:
                stretches.close()
        client_audio = line.whole()
        if line.streaming:
            write_wav(client_path, client_audio)
        scores = score_exchange(
            turn,
            transcript,
            response_latency_s=reply.response_latency_s,
            client_duration_s=client_audio.duration,
        )
        feedback = give_feedback(turn, scores)
        all_scores.append(scores)
        client_speech_s.append(client_audio.duration)
        heard = Heard(transcript.text, scores.acts)
        step = respond(persona, index, turn.state, scores, seed, heard=heard, brain=brain)
        state = step.state
        exchange = Exchange(
            index=index,
            client=turn,
            reply=transcript,
            scores=scores,
            feedback=feedback,
            client_state_after=state,
            client_audio=client_path.name,
            reply_audio=reply_path.name,
            response_latency_s=reply.response_latency_s,
            client_stopped=reply.client_stopped,
        )
        log.exchange(exchange)
        yield exchange
        index += 1
        if step.next_turn is None:
            closing = step.closing_line
            if closing:
                closing_audio = synthesizer.synthesize(closing, voice_for(persona, state))
                write_wav(log.folder / f"{index + 1:02d}-client-closing.wav", closing_audio)
                audio_io.play(closing_audio)
            outcome = step.outcome or "turn_limit"
            summary = summarize_session(all_scores, client_speech_s=client_speech_s)
            log.append(
                {
                    "type": "end",
                    "outcome": outcome,
                    "closing_line": closing,
                    "final_state": asdict(state),
                    "summary": summary_to_dict(summary),
                }
            )
            yield SessionEnd(outcome, closing, state, log.path, summary)
            return
        turn = step.next_turn
