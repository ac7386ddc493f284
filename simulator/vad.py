"""Silero VAD: streaming end-of-turn detection, and judging a microphone's speech and noise levels.

Pure numpy + onnxruntime; the model file ships inside faster-whisper. The recorder feeds 16 kHz
mono blocks of any length as they arrive; the end-pointer cuts them into 32 ms frames, carries
the model's recurrent state from frame to frame and decides when speech started and when the
trainee has finished (a long enough silence after speech), or that nobody spoke at all.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from simulator.audio import WHISPER_RATE, Audio, Samples
from simulator.errors import AudioError

VAD_RATE = WHISPER_RATE  # 16000 Hz, the rate the model was trained at
FRAME = 512  # samples per model step: 32 ms at 16 kHz
FRAME_S = FRAME / VAD_RATE  # 0.032 s
CONTEXT = 64  # samples of the previous frame the model sees before each frame (4 ms)
STATE_SHAPE = (1, 1, 128)  # the LSTM's h and c
MODEL_FILE = "silero_vad_v6.onnx"

Status = Literal["waiting", "speaking", "pausing", "ended", "no_speech", "too_long"]
FINAL: frozenset[Status] = frozenset({"ended", "no_speech", "too_long"})


@dataclass(frozen=True)
class VadOptions:
    """How the end-pointer decides: probability thresholds and the durations that end a turn."""

    threshold: float = 0.5  # a frame at or above this speech probability is speech
    neg_threshold: float = 0.35  # a frame below this is silence (in between keeps the last state)
    min_speech_s: float = 0.25  # speech must add up to this much before a reply counts as begun
    start_gap_s: float = 0.3  # silence this long before min_speech_s is reached drops the start
    end_silence_s: float = 1.2  # silence after speech that ends the turn; a ~1 s pause does not
    no_speech_timeout_s: float = 8.0  # give up if no speech begins this long after listening starts
    max_reply_s: float = 60.0  # a reply is cut off after this long (from its first speech)

    def __post_init__(self) -> None:
        """Reject settings that cannot work together."""
        if not 0.0 < self.neg_threshold <= self.threshold < 1.0:
            raise ValueError("need 0 < neg_threshold <= threshold < 1")
        for name in ("min_speech_s", "end_silence_s", "no_speech_timeout_s", "max_reply_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


@dataclass(frozen=True)
class Decision:
    """Where the turn stands; times in seconds from the first sample fed to the end-pointer."""

    status: Status
    elapsed_s: float
    speech_start_s: float | None = None
    speech_end_s: float | None = None

    @property
    def final(self) -> bool:
        """True once the turn is over (ended, timed out without speech, or too long)."""
        return self.status in FINAL


def model_path() -> Path:
    """Locate the Silero model inside the installed faster-whisper package without importing it."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or not spec.submodule_search_locations:
        raise AudioError("the Silero VAD model needs faster-whisper; reinstall the project")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "assets" / MODEL_FILE
        if path.is_file():
            return path
    raise AudioError(f"{MODEL_FILE} is missing from faster-whisper; reinstall the project")


class SileroModel:
    """The Silero VAD network loaded once; ``step`` runs frames with explicit recurrent state."""

    def __init__(self, path: Path | None = None) -> None:
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        self._session: Any = onnxruntime.InferenceSession(
            str(path or model_path()), providers=["CPUExecutionProvider"], sess_options=opts
        )

    def step(
        self, frames: Samples, context: Samples, h: Samples, c: Samples
    ) -> tuple[Samples, Samples, Samples]:
        """Speech probability per 512-sample frame (shape (n, 512)); returns (probs, h, c)."""
        prev = np.concatenate([context[None, :], frames[:-1, -CONTEXT:]], axis=0)
        batch = np.ascontiguousarray(np.concatenate([prev, frames], axis=1), dtype=np.float32)
        probs, h_out, c_out = self._session.run(None, {"input": batch, "h": h, "c": c})
        return (
            np.asarray(probs, dtype=np.float32).reshape(-1),
            np.asarray(h_out, dtype=np.float32),
            np.asarray(c_out, dtype=np.float32),
        )


class Endpointer:
    """Streaming turn detector: ``feed`` 16 kHz blocks, read the ``Decision`` it returns."""

    def __init__(self, options: VadOptions | None = None, model: SileroModel | None = None) -> None:
        self.options = options or VadOptions()
        self._model = model or SileroModel()
        self._pending = np.zeros(0, dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._h = np.zeros(STATE_SHAPE, dtype=np.float32)
        self._c = np.zeros(STATE_SHAPE, dtype=np.float32)
        self._frames = 0  # frames judged so far
        self._in_speech = False  # hysteresis state of the last frame
        self._candidate: int | None = None  # first frame of speech not yet long enough to count
        self._candidate_speech = 0  # speech frames since the candidate began
        self._start: int | None = None  # first frame of the confirmed reply
        self._last_speech: int | None = None  # last speech frame of the confirmed reply
        self._listen_from = 0.0  # seconds; the no-speech timeout counts from here
        self._hold_until = 0.0  # seconds; the closing silence counts from here at the earliest
        self._decision = Decision("waiting", 0.0)

    @property
    def decision(self) -> Decision:
        """The latest decision (final ones stay final)."""
        return self._decision

    def listen_from(self, seconds: float) -> None:
        """Count the no-speech timeout from this time (e.g. when the client stops talking)."""
        self._listen_from = max(0.0, seconds)

    def hold_until(self, seconds: float) -> None:
        """Let the turn end no earlier than ``end_silence_s`` after this time (the client spoke)."""
        self._hold_until = max(self._hold_until, seconds)

    def feed(self, samples: Samples) -> Decision:
        """Judge the new 16 kHz samples (any length) and return the updated decision."""
        if self._decision.final:
            return self._decision
        data = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32).reshape(-1)])
        usable = len(data) // FRAME * FRAME
        self._pending = data[usable:]
        if usable == 0:
            return self._decision
        frames = data[:usable].reshape(-1, FRAME)
        probs, self._h, self._c = self._model.step(frames, self._context, self._h, self._c)
        self._context = frames[-1, -CONTEXT:].copy()
        for prob in probs:
            self._judge(float(prob))
            if self._decision.final:
                break
        return self._decision

    def _judge(self, prob: float) -> None:
        """Advance the state machine by one frame with its speech probability."""
        opt = self.options
        index = self._frames
        self._frames += 1
        if prob >= opt.threshold:
            self._in_speech = True
        elif prob < opt.neg_threshold:
            self._in_speech = False
        now = self._frames * FRAME_S
        if self._start is None:
            self._track_candidate(index)
        elif self._in_speech:
            self._last_speech = index
        self._decide(now)

    def _track_candidate(self, index: int) -> None:
        """Before the reply begins: confirm a start once enough speech gathers, drop blips."""
        opt = self.options
        if self._in_speech:
            if self._candidate is None:
                self._candidate, self._candidate_speech = index, 0
            self._candidate_speech += 1
            self._last_speech = index
            if self._candidate_speech * FRAME_S >= opt.min_speech_s:
                self._start = self._candidate
        elif (
            self._candidate is not None
            and self._last_speech is not None
            and (index - self._last_speech) * FRAME_S >= opt.start_gap_s
        ):
            self._candidate, self._last_speech = None, None

    def _decide(self, now: float) -> None:
        """Turn the frame counters into a decision."""
        opt = self.options
        if self._start is None or self._last_speech is None:
            status: Status = "waiting"
            if now - self._listen_from >= opt.no_speech_timeout_s:
                status = "no_speech"
            self._decision = Decision(status, now)
            return
        start_s = self._start * FRAME_S
        end_s = (self._last_speech + 1) * FRAME_S
        if now - max(end_s, self._hold_until) >= opt.end_silence_s:
            status = "ended"
        elif now - start_s >= opt.max_reply_s:
            status = "too_long"
        else:
            status = "speaking" if self._in_speech else "pausing"
        self._decision = Decision(status, now, start_s, end_s)


def find_turn(
    samples: Samples, options: VadOptions | None = None, model: SileroModel | None = None
) -> Decision:
    """Run a whole 16 kHz clip through a fresh end-pointer, block by block, as a recorder would."""
    pointer = Endpointer(options, model)
    for offset in range(0, len(samples), 1600):  # 0.1 s blocks, like a sound card's callback
        decision = pointer.feed(samples[offset : offset + 1600])
        if decision.final:
            return decision
    return pointer.decision


def speech_probabilities(samples: Samples, model: SileroModel | None = None) -> Samples:
    """Speech probability of each whole 32 ms frame of a 16 kHz clip (any rest is dropped)."""
    usable = len(samples) // FRAME * FRAME
    if usable == 0:
        return np.zeros(0, dtype=np.float32)
    zeros = np.zeros(STATE_SHAPE, dtype=np.float32)
    frames = np.asarray(samples[:usable], dtype=np.float32).reshape(-1, FRAME)
    probs, _, _ = (model or SileroModel()).step(frames, np.zeros(CONTEXT, np.float32), zeros, zeros)
    return probs


def to_db(value: float) -> float:
    """Amplitude to dBFS, floored at -100 dB for silence."""
    return float(20 * np.log10(max(value, 1e-5)))


SILENT_PEAK_DB = -40.0  # dBFS; a microphone whose loudest sample stays below this is not working
QUIET_SPEECH_DB = -35.0  # dBFS; speech RMS below this is too quiet for reliable recognition
NOISY_FLOOR_DB = -45.0  # dBFS; a background RMS above this disturbs end-of-turn detection
MIN_SNR_DB = 15.0  # dB between voice and background below which the room counts as noisy
NOISE_PERCENTILE = 20  # the background level is this percentile of the non-speech frames' energy
CLIPPED_SHARE = 0.001  # share of samples at full scale that means the input gain is too high


@dataclass(frozen=True)
class MicReport:
    """What a microphone check heard: levels in dBFS, clipping, and plain-language warnings."""

    peak_db: float
    speech_db: float | None
    noise_db: float | None
    clipped_fraction: float
    warnings: tuple[str, ...]

    @property
    def usable(self) -> bool:
        """True when speech was heard and nothing is badly wrong."""
        return not self.warnings


def assess_mic(
    audio: Audio, options: VadOptions | None = None, model: SileroModel | None = None
) -> MicReport:
    """Judge a 16 kHz microphone recording: silent, clipping, too quiet or too noisy."""
    options = options or VadOptions()
    samples = audio.resampled(VAD_RATE).samples
    peak_db = to_db(float(np.max(np.abs(samples)))) if len(samples) else to_db(0.0)
    clipped = audio.clipped_fraction()
    if peak_db < SILENT_PEAK_DB:
        silent = (
            f"The microphone seems silent (peak {peak_db:.0f} dBFS): check it is plugged in, "
            "not muted, and the one you meant."
        )
        return MicReport(peak_db, None, None, clipped, (silent,))
    probs = speech_probabilities(samples, model)
    frames = samples[: len(probs) * FRAME].reshape(-1, FRAME)
    energy = np.mean(np.square(frames, dtype=np.float64), axis=1)
    speech = energy[probs >= options.threshold]
    background = energy[probs < options.neg_threshold]
    speech_db = to_db(float(np.sqrt(np.mean(speech)))) if len(speech) else None
    # the quieter frames between words: a floor that ignores the fading ends of words
    floor = np.percentile(background if len(background) else energy, NOISE_PERCENTILE)
    noise_db = to_db(float(np.sqrt(floor)))
    warnings: list[str] = []
    if speech_db is None:
        warnings.append("No speech heard: say a sentence or two while the check runs.")
    if clipped > CLIPPED_SHARE:
        warnings.append(
            f"The microphone clips ({clipped:.1%} of samples at full scale): "
            "lower its input gain or move it further away."
        )
    if speech_db is not None and speech_db < QUIET_SPEECH_DB:
        warnings.append(
            f"Your voice is quiet ({speech_db:.0f} dBFS): move closer or raise the input gain."
        )
    if noise_db > NOISY_FLOOR_DB or (speech_db is not None and speech_db - noise_db < MIN_SNR_DB):
        warnings.append(
            f"Background noise is high ({noise_db:.0f} dBFS): a quieter room or a headset "
            "helps the program hear when you have finished."
        )
    return MicReport(peak_db, speech_db, noise_db, clipped, tuple(warnings))
