"""One reply's recording loop: end-pointing, the echo gate, talking over the client, stretches.

Microphone blocks go through the echo gate to the Silero end-pointer until it decides the turn is
over. Meanwhile the loop keeps the turn-taking of a conversation: if the trainee talks over the
client for more than a backchannel, the client's line fades out, and if the trainee then pauses
the client says its yield line ("Sorry — go on.") and the turn is held open for them. With a
stretch sink, every stretch of speech a pause closes is handed over at once for transcription.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from simulator.audio import Audio, Samples, StretchSink
from simulator.devices._portaudio import (
    OUTPUT_LATENCY_S,
    PLAYBACK_GRACE_S,
    Playback,
    Port,
    Recorder,
    resampler,
)
from simulator.devices.echo import ECHO_WINDOW_S, EchoGate
from simulator.stretches import PAUSE_S, StretchCutter
from simulator.vad import FRAME_S, Decision, Endpointer, SileroModel, VadOptions

PRE_ROLL_S = 0.25  # seconds kept before the first detected speech, so no onset is clipped
POST_ROLL_S = 0.3  # seconds kept after the last speech
TALK_OVER_S = 0.7  # the client stops once the trainee has talked over it this long (not "mm-hmm")
RUN_GAP_S = 0.3  # a gap this long between words starts a new run of speech ("mm-hmm … mm-hmm")
YIELD_WITHIN_S = 4.0  # the yield line is said only if the trainee pauses within this much speech


@dataclass(frozen=True)
class Captured:
    """What the loop heard: 16 kHz samples from stream time ``origin``, speech times within."""

    samples: Samples
    origin: float
    speech_start_s: float | None
    speech_end_s: float | None
    client_stopped: bool
    answer_start_s: float | None = None  # first speech after the client's last word, if any


class ReplyCapture:
    """Runs the loop for one reply; ``yielded`` is the yield line's playback, for the caller."""

    def __init__(
        self,
        sd: ModuleType,
        speaker: Port,
        recorder: Recorder,
        model: SileroModel,
        options: VadOptions,
        client: Playback | None,
        *,
        echo_guard: bool,
        yield_line: Audio | None,
        on_stretch: StretchSink | None,
    ) -> None:
        self._sd = sd
        self._speaker = speaker
        self._recorder = recorder
        self._pointer = Endpointer(options, model)
        self._client = client
        self._echo_guard = echo_guard
        self._yield_line = yield_line
        self._on_stretch = on_stretch
        self._cutter = StretchCutter(PRE_ROLL_S, POST_ROLL_S) if on_stretch else None
        self._kept: list[Samples] = []
        self._echo: Playback | None = client if echo_guard else None  # what the gate listens for
        self._gate: EchoGate | None = None
        self.yielded: Playback | None = None
        self._run_from = 0.0  # where the trainee's current run of speech began
        self._runs: list[float] = []  # where each run of speech began
        self._run_end: float | None = None  # where it has got to

    def run(self) -> Captured:
        """Feed microphone blocks to the end-pointer until the turn ends."""
        pointer = self._pointer
        playing = self._client  # until the client's line has ended (or is overdue)
        pointer.listen_from(float("inf") if playing is not None else 0.0)
        resample = resampler(self._recorder.port.rate)
        origin: float | None = None  # stream clock time of the first sample fed to the pointer
        while not pointer.decision.final:
            block, at = self._recorder.next_block()
            origin = at if origin is None else origin
            if playing is not None:
                overdue = at - playing.started_at > playing.duration + PLAYBACK_GRACE_S
                if playing.ends_at is not None:
                    pointer.listen_from(playing.speech_end - origin)
                    if self._gate is not None and playing.stopped:
                        self._gate.until = min(self._gate.until, playing.ends_at + ECHO_WINDOW_S)
                    playing = None
                elif overdue:
                    pointer.listen_from(at - origin)
                    playing = None
            if playing is not None and not playing.stopped:  # no turn ends while the client talks
                pointer.hold_until(pointer.decision.elapsed_s)
            chunk = resample(block)
            heard = self._gated(chunk, at)
            # The yield line is the client's voice: keep only what the gate lets through.
            self._kept.append(heard if self.yielded is not None else chunk)
            decision = pointer.feed(heard)
            self._take_turns(decision, playing is not None)
            self._cut(decision)
        decision = pointer.decision
        origin = origin if origin is not None else 0.0
        return Captured(
            np.concatenate(self._kept) if self._kept else np.zeros(0, np.float32),
            origin,
            decision.speech_start_s,
            decision.speech_end_s,
            self._client is not None and self._client.stopped,
            self._answer_start(origin),
        )

    def _answer_start(self, origin: float) -> float | None:
        """Where the reply proper began, when only backchannels overlapped the client's line."""
        client = self._client
        if client is None or client.stopped or client.ends_at is None:
            return None
        after = [run for run in self._runs if run >= client.speech_end - origin]
        return after[0] if after else None

    def _gated(self, chunk: Samples, at: float) -> Samples:
        """The block as the end-pointer should hear it: the client's own echo silenced."""
        echo = self._echo
        if echo is not None and echo.sounds_at is not None:
            old = self._gate
            # A line played as it is made grows: the gate listens for all of it made so far.
            if old is None or old.length != len(echo.reference):
                self._gate = EchoGate(echo.reference, echo.sounds_at, old)
        gate = self._gate
        return gate.filter(chunk, at) if gate is not None and at < gate.until else chunk

    def _take_turns(self, decision: Decision, client_playing: bool) -> None:
        """Stop the client when talked over; say the yield line when the trainee then pauses."""
        start, end = decision.speech_start_s, decision.speech_end_s
        if start is None or end is None or self._client is None:
            return
        client = self._client
        run = self._speech_run(start, end)
        if client_playing and not client.stopped and run >= TALK_OVER_S:
            client.stop()
            return
        paused = decision.status == "pausing" and decision.elapsed_s - end >= PAUSE_S
        if (
            client.stopped
            and client.ends_at is not None
            and self._yield_line is not None
            and self.yielded is None
            and paused
            and end - start <= YIELD_WITHIN_S
        ):
            self.yielded = Playback(self._sd, self._speaker, self._yield_line)
            self._echo = self.yielded if self._echo_guard else None
            self._gate = None
            # The trainee's closing silence counts only from the end of the yield line.
            self._pointer.hold_until(decision.elapsed_s + OUTPUT_LATENCY_S + self.yielded.duration)

    def _speech_run(self, start: float, end: float) -> float:
        """Seconds of the trainee's current run of speech, short gaps between words included."""
        if self._run_end is None:
            self._run_from = start
            self._runs.append(start)
        elif end > self._run_end and end - FRAME_S - self._run_end > RUN_GAP_S:
            self._run_from = end - FRAME_S
            self._runs.append(self._run_from)
        self._run_end = end
        return end - self._run_from

    def _cut(self, decision: Decision) -> None:
        """Hand a stretch that has just closed to the stretch sink."""
        if self._cutter is None or self._on_stretch is None:
            return
        cut = self._cutter.update(
            decision.speech_start_s, decision.speech_end_s, decision.elapsed_s, decision.final
        )
        if cut is not None:
            self._on_stretch(cut.clip(np.concatenate(self._kept)), cut.offset_s)
