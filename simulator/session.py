"""The practice loop: client speaks, trainee replies, the reply is scored, the client reacts.

``iter_session`` yields one event at a time so the caller shows each step as it happens; the
session log is written exchange by exchange, so an interrupted session loses nothing recorded.
This module sees only the adapter protocols of ``simulator.audio``, never a concrete adapter.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
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
from simulator.feedback import give_feedback, say_again
from simulator.persona import Persona, voice_for
from simulator.phases import PhaseClock, exchange_timings
from simulator.ports import ClientBrain, Heard, TextEncoder
from simulator.scoring import SessionSummary, score_exchange, summarize_session
from simulator.scoring.hybrid import prepare
from simulator.scoring.transcript import counts_in_summary
from simulator.session_log import (
    LOG_NAME,
    Source,
    encode,
    end_record,
    exchange_record,
    new_session_id,
    start_record,
)
from simulator.storage import append_private, new_private_dir, private_dir, tighten_dir
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


@dataclass(frozen=True)
class ExchangeTimings:
    """Where the time of the exchange just shown went (the ``timings`` of its log record)."""

    index: int
    timings: Mapping[str, float]


SessionEvent = ClientLine | NoReply | Exchange | ExchangeTimings | SessionEnd


class SessionLog:
    """A session folder readable only by the user: client and reply WAVs and a JSON Lines log.

    Every session has a folder of its own; a folder that already holds a log is never reused.
    """

    def __init__(
        self,
        folder: Path,
        session_id: str | None = None,
        source: Source = "demo",
        settings: Mapping[str, object] | None = None,
    ) -> None:
        """Use ``folder`` (made 0700) for one new session; its log file is created 0600."""
        self.folder = folder
        self.settings = dict(settings or {})
        self.session_id = session_id or folder.name
        self.source: Source = source
        self.path = folder / LOG_NAME
        private_dir(folder)
        tighten_dir(folder)
        if self.path.is_file() and self.path.stat().st_size > 0:
            raise StorageError(f"{folder}: holds another session; sessions never share a folder")
        append_private(self.path, b"")

    @classmethod
    def create(
        cls,
        root: Path,
        persona_id: str,
        source: Source,
        settings: Mapping[str, object] | None = None,
    ) -> SessionLog:
        """A new session folder ``<root>/<time>-<persona>-<random>`` that no other session uses."""
        private_dir(root)
        tighten_dir(root)
        for _ in range(10):
            session_id = new_session_id(persona_id)
            try:
                new_private_dir(root / session_id)
            except FileExistsError:
                continue
            return cls(root / session_id, session_id, source, settings)
        raise StorageError(f"{root}: could not make a new session folder")

    def append(self, record: Mapping[str, object]) -> None:
        """Append one record as a JSON line, whole or not at all; earlier lines stay as they are."""
        append_private(self.path, encode(record))

    def start(self, persona: Persona, seed: int) -> None:
        """Log the start of the session."""
        self.append(
            start_record(
                self.session_id,
                source=self.source,
                persona_id=persona.id,
                persona_name=persona.name,
                language=persona.language,
                situation=persona.situation,
                seed=seed,
                settings=self.settings,
            )
        )

    def exchange(self, ex: Exchange, timings: Mapping[str, float] | None = None) -> None:
        """Log one scored exchange (``timings``: seconds per phase of the exchange)."""
        self.append(exchange_record(self.session_id, ex, timings))

    def end(
        self,
        outcome: str,
        *,
        closing_line: str | None = None,
        final_state: EmotionalState | None = None,
        summary: SessionSummary | None = None,
        error: str | None = None,
    ) -> None:
        """Log how the session ended."""
        self.append(
            end_record(
                self.session_id,
                outcome,
                closing_line=closing_line,
                final_state=final_state,
                summary=summary,
                error=error,
            )
        )


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

    @property
    def parts(self) -> tuple[Audio, ...]:
        """The sentences made so far, in order."""
        return tuple(self._parts)

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


def iter_session(
    persona: Persona,
    audio_io: AudioIO,
    synthesizer: Synthesizer,
    transcriber: Transcriber,
    log: SessionLog,
    seed: int = 0,
    *,
    ask_again: bool = False,
    encoder: TextEncoder | None = None,
    brain: ClientBrain | None = None,
) -> Iterator[SessionEvent]:
    """Run one session, yielding each client line, each scored exchange and the end.

    ``brain`` chooses the client's lines by what the trainee said (default: the rules' rotation).

    With ``ask_again`` (live practice) a reply whose transcript is unclear is not scored at once:
    the trainee sees "I couldn't make that out clearly" with the doubtful words marked and may
    say it again, up to MAX_RETRIES times; the last try is scored (without praise) whatever it is.
    With an ``encoder`` replies are scored by the hybrid scorer; the client's line is embedded
    while it plays.
    """
    log.start(persona, seed)
    turn = first_turn(persona, seed)
    state = turn.state
    index = 0
    all_scores: list[Scores] = []
    client_speech_s: list[float] = []
    yield_audio: dict[VoiceSettings, Audio] = {}
    examples_used: Counter[str] = Counter()  # one wording at most twice per session
    while True:
        voice = voice_for(persona, turn.state)
        synthesis_began = time.monotonic()
        line = SpokenLine(synthesizer, turn.text, voice)  # the first sentence, or the whole line
        client_path = log.folder / f"{index + 1:02d}-client.wav"
        if not line.streaming:
            write_wav(client_path, line.whole())
        synthesize_s = time.monotonic() - synthesis_began
        yield ClientLine(index, turn, client_path)
        # "Sorry — go on." in this turn's voice, made once per emotion (not per intensity), so
        # that making it rarely delays the line.
        yield_voice = replace(voice, intensity=0.5)
        if yield_voice not in yield_audio:
            synthesis_began = time.monotonic()
            yield_audio[yield_voice] = synthesizer.synthesize(yield_line(persona), yield_voice)
            synthesize_s += time.monotonic() - synthesis_began
        audio_io.play(line.first, yield_audio[yield_voice], line.rest)
        if encoder is not None:
            prepare(turn, encoder)  # while the line plays: the reply's scoring then embeds only it
        for attempt in range(1, MAX_RETRIES + 1):
            # Stretches of the reply are transcribed while the trainee is still talking.
            stretches = StretchTranscriber(transcriber, persona.language)
            try:
                reply = audio_io.record_reply(turn.state, stretches.submit)
                wait = PhaseClock()  # the turn is over: the trainee now waits for the scores
                reply_path = log.folder / f"{index + 1:02d}-reply.wav"
                write_wav(reply_path, reply.audio)
                wait.lap("save_reply")
                transcript = stretches.result(reply.audio)
                wait.lap("transcribe")
            except StorageError:
                raise
            except AudioError as exc:
                if attempt == MAX_RETRIES:
                    raise
                yield NoReply(index, f"{exc} — try again?", attempt)
                continue
            finally:
                stretches.close()
            unclear = say_again(transcript, turn) if ask_again else None
            client_audio = line.whole()  # the rest of a streamed line has been made by now
            if line.streaming and attempt == 1:
                write_wav(client_path, client_audio)
            if unclear is None or attempt == MAX_RETRIES:
                break
            yield NoReply(index, unclear, attempt)
        scores = score_exchange(
            turn,
            transcript,
            response_latency_s=reply.response_latency_s,
            client_duration_s=client_audio.duration,
            encoder=encoder,
        )
        wait.lap("score")
        feedback = give_feedback(turn, scores, transcript, examples_used)
        wait.lap("feedback")
        if counts_in_summary(scores):  # an unclear transcript's acts may be invented words
            all_scores.append(scores)
            client_speech_s.append(client_audio.duration)
        heard = Heard(transcript.text, scores.acts, turn.text)
        step = respond(persona, index, turn.state, scores, seed, heard=heard, brain=brain)
        state = step.state
        wait.lap("respond")
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
        timings = exchange_timings(synthesize_s, wait, stretches.timings, transcript)
        log.exchange(exchange, timings)
        yield exchange
        yield ExchangeTimings(index, timings)
        index += 1
        if step.next_turn is None:
            closing = step.closing_line
            if closing:
                closing_audio = synthesizer.synthesize(closing, voice_for(persona, state))
                write_wav(log.folder / f"{index + 1:02d}-client-closing.wav", closing_audio)
                audio_io.play(closing_audio)
            outcome = step.outcome or "turn_limit"
            summary = summarize_session(all_scores, client_speech_s=client_speech_s)
            log.end(outcome, closing_line=closing, final_state=state, summary=summary)
            yield SessionEnd(outcome, closing, state, log.path, summary)
            return
        turn = step.next_turn
