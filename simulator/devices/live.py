"""LiveAudio: the client's line through the speaker, the trainee's reply from the microphone.

``play`` starts the line and opens the microphone at the same moment, so ``record_reply`` can
measure the pause before the trainee answers (or notice that they talked over the client), and
returns when the Silero end-pointer says the turn is over. The loop itself (echo gate, talking
over the client, stretches handed over for transcription mid-reply) is in
``simulator.devices.capture``. With ``push_to_talk`` the reply instead runs from one press of
Enter to the next, and is handed over whole.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from types import TracebackType
from typing import TextIO

import numpy as np

from simulator.audio import WHISPER_RATE, Audio, RecordedReply, Samples, StretchSink
from simulator.devices._portaudio import (
    Device,
    Playback,
    Recorder,
    load_sounddevice,
    resampler,
    resolve,
)
from simulator.devices.capture import POST_ROLL_S, PRE_ROLL_S, ReplyCapture
from simulator.errors import AudioError
from simulator.types import EmotionalState
from simulator.vad import FRAME_S, SileroModel, VadOptions, speech_probabilities

PRESS_LEAD_S = 0.5  # push-to-talk keeps this much before the key press: people start early
NOTHING_HEARD = "I didn't hear anything"  # the session adds "— try again?"


class NoSpeechError(AudioError):
    """The microphone was open but nobody spoke before the timeout."""


class LiveAudio:
    """Speakers and microphone as an ``AudioIO``: play the client, record the trainee's reply."""

    def __init__(
        self,
        input_device: Device = None,
        output_device: Device = None,
        vad_options: VadOptions | None = None,
        *,
        echo_guard: bool = True,
        push_to_talk: bool = False,
        keys: TextIO | None = None,
        prompt: TextIO | None = None,
        model: SileroModel | None = None,
    ) -> None:
        """Find both devices now, so a machine without sound fails before the session starts.

        ``echo_guard`` keeps the client's own voice, picked up from loudspeakers, from being
        taken for the trainee (see ``simulator.devices.echo``). With ``push_to_talk`` a reply
        lasts from one press of Enter on ``keys`` (default stdin) to the next, with hints
        written to ``prompt`` (default stderr). ``model`` shares an already loaded VAD.
        """
        self._sd = load_sounddevice()
        self._in = resolve(self._sd, input_device, "input")
        self._out = resolve(self._sd, output_device, "output")
        self.vad_options = vad_options or VadOptions()
        self.echo_guard = echo_guard
        self.push_to_talk = push_to_talk
        self._keys = keys or sys.stdin
        self._prompt = prompt or sys.stderr
        self._model = model or SileroModel()
        self._recorder: Recorder | None = None
        self._playback: Playback | None = None
        self._yield_line: Audio | None = None
        self._yielded: Playback | None = None  # the client's "Sorry — go on.", while it plays

    @property
    def input_name(self) -> str:
        """The microphone in use."""
        return self._in.name

    @property
    def output_name(self) -> str:
        """The speaker in use."""
        return self._out.name

    def play(
        self, audio: Audio, yield_line: Audio | None = None, more: Iterator[Audio] | None = None
    ) -> None:
        """Start the client's line and open the microphone with it; returns while it plays.

        If the trainee talks over the line, it fades out; ``yield_line`` is said when they pause.
        ``more`` gives the rest of the line while it plays (one clip per sentence).
        """
        self._finish_playback()
        self._listen()
        self._playback = Playback(self._sd, self._out, audio, more)
        self._yield_line = yield_line

    def wait_played(self) -> None:
        """Block until the client's line has finished playing."""
        if self._playback is not None:
            self._playback.wait()

    def record_reply(
        self, state: EmotionalState, on_stretch: StretchSink | None = None
    ) -> RecordedReply:
        """Record until the trainee stops talking; raise NoSpeechError if nobody spoke.

        With ``on_stretch``, each stretch of speech closed by a pause is handed over at once.
        """
        recorder = self._listen()
        try:
            if self.push_to_talk:
                return self._capture_between_presses(recorder)
            return self._capture(recorder, on_stretch)
        except BaseException:  # Ctrl-C or a failure: the client stops at once
            self._abort_playback()
            raise
        finally:
            self._finish_playback()
            self._stop_listening()

    def close(self) -> None:
        """Stop any playback and recording."""
        self._finish_playback()
        self._stop_listening()

    def __enter__(self) -> LiveAudio:
        """Use as a context manager that closes the streams."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close the streams; on Ctrl-C or an error, without letting the client finish the line."""
        if kind is not None:
            self._abort_playback()
        self.close()

    def _listen(self) -> Recorder:
        if self._recorder is None:
            self._recorder = Recorder(self._sd, self._in)
        return self._recorder

    def _stop_listening(self) -> None:
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None

    def _abort_playback(self) -> None:
        """Cut the client's line off now instead of waiting for it to end."""
        for playback in (self._playback, self._yielded):
            if playback is not None:
                playback.close()
        self._playback = self._yielded = None

    def _finish_playback(self) -> None:
        for playback in (self._playback, self._yielded):
            if playback is not None:
                playback.wait()
                playback.close()
        self._playback = self._yielded = None

    def _capture(self, recorder: Recorder, on_stretch: StretchSink | None) -> RecordedReply:
        """End-pointed capture with turn-taking (see ``simulator.devices.capture``)."""
        capture = ReplyCapture(
            self._sd,
            self._out,
            recorder,
            self._model,
            self.vad_options,
            self._playback,
            echo_guard=self.echo_guard,
            yield_line=self._yield_line,
            on_stretch=on_stretch,
        )
        try:
            got = capture.run()
        finally:
            self._yielded = capture.yielded
        if got.speech_start_s is None or got.speech_end_s is None:
            raise NoSpeechError(NOTHING_HEARD)
        reply = self._reply(
            got.samples, got.origin, got.speech_start_s, got.speech_end_s, got.answer_start_s
        )
        return replace(reply, client_stopped=got.client_stopped)

    def _capture_between_presses(self, recorder: Recorder) -> RecordedReply:
        """Push-to-talk: keep what was said between two presses of Enter."""
        self._tell("Press Enter, then speak; press Enter again when you have finished.")
        self._wait_for_enter()
        pressed = float(recorder.stream.time)
        self._tell("Recording… press Enter when you have finished.")
        self._wait_for_enter()
        released = float(recorder.stream.time)
        resample = resampler(recorder.port.rate)
        kept: list[Samples] = []
        origin: float | None = None
        heard_until = float("-inf")
        while heard_until < released:
            block, at = recorder.next_block()
            origin = at if origin is None else origin
            heard_until = at + len(block) / recorder.port.rate
            kept.append(resample(block))
        if origin is None:  # the loop runs at least once; this keeps the type checker informed
            raise NoSpeechError(NOTHING_HEARD)
        samples = np.concatenate(kept)
        offset = max(0, round((pressed - PRESS_LEAD_S - origin) * WHISPER_RATE))
        end = round((released - origin) * WHISPER_RATE)
        probs = speech_probabilities(samples[offset:end], self._model)
        speech = np.nonzero(probs >= self.vad_options.threshold)[0]
        if len(speech) * FRAME_S < self.vad_options.min_speech_s:
            raise NoSpeechError(NOTHING_HEARD)
        base = offset / WHISPER_RATE
        return self._reply(
            samples, origin, base + speech[0] * FRAME_S, base + (speech[-1] + 1) * FRAME_S
        )

    def _tell(self, message: str) -> None:
        print(message, file=self._prompt, flush=True)

    def _wait_for_enter(self) -> None:
        if self._keys.readline() == "":
            raise AudioError(
                "push-to-talk needs the Enter key, but there is no keyboard input; "
                "practise without push-to-talk"
            )

    def _reply(
        self,
        samples: Samples,
        origin: float,
        start_s: float,
        end_s: float,
        answer_s: float | None = None,
    ) -> RecordedReply:
        """The reply cut from the recording, with its latency after the client's last word.

        ``samples`` start at stream time ``origin``; speech lies from ``start_s`` to ``end_s``
        seconds into them. ``answer_s``, when only a backchannel overlapped the client, is where
        the answer proper began: the latency is counted to it.
        """
        first = max(0, round((start_s - PRE_ROLL_S) * WHISPER_RATE))
        last = round((end_s + POST_ROLL_S) * WHISPER_RATE)
        latency = None
        if self._playback is not None:
            answer = start_s if answer_s is None else answer_s
            latency = origin + answer - self._playback.speech_end
        return RecordedReply(
            audio=Audio(samples[first:last], WHISPER_RATE),
            response_latency_s=latency,
            talked_over=latency is not None and latency < 0,
            source="microphone",
        )
