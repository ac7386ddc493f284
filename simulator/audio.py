"""Audio as data: mono float32 samples, WAV/FLAC reading and writing, resampling, adapter seams."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

from simulator.errors import AudioError
from simulator.ports import VoiceSettings as VoiceSettings  # its home is simulator.ports
from simulator.storage import write_private
from simulator.types import EmotionalState, Transcript

WHISPER_RATE = 16_000  # Hz, what Whisper and Silero VAD expect
SILENCE_RMS = 1e-3  # below this RMS (about -60 dBFS) a clip holds no speech
CLIP_LEVEL = 0.999  # samples at or above this magnitude are clipped
MIN_SPEECH_S = 0.2  # shorter clips cannot hold a word

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Audio:
    """Mono float32 samples in [-1, 1] at a sample rate in Hz."""

    samples: Samples
    sample_rate: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate

    def rms(self) -> float:
        """Root-mean-square level (0 for empty audio)."""
        if len(self.samples) == 0:
            return 0.0
        return float(np.sqrt(np.mean(np.square(self.samples, dtype=np.float64))))

    def clipped_fraction(self) -> float:
        """Share of samples at full scale, a sign of a clipping microphone."""
        if len(self.samples) == 0:
            return 0.0
        return float(np.mean(np.abs(self.samples) >= CLIP_LEVEL))

    def resampled(self, rate: int) -> Audio:
        """The same audio at another sample rate (high-quality soxr resampling)."""
        if rate == self.sample_rate:
            return self
        out = soxr.resample(self.samples, self.sample_rate, rate).astype(np.float32)
        return Audio(out, rate)


def finite_samples(samples: npt.NDArray[np.floating], source: str) -> Samples:
    """Samples with NaN/inf set to silence and the rest clipped to [-1, 1].

    A few broken samples (a faulty converter) leave the speech around them usable; a clip made
    mostly of them holds nothing to hear, which is one clear error.
    """
    out = np.asarray(samples, dtype=np.float32)
    bad = ~np.isfinite(out)
    if bad.any():
        if bad.mean() > 0.5:
            raise AudioError(f"{source}: most samples are not numbers (NaN or infinite)")
        out = np.where(bad, np.float32(0.0), out)
    return np.clip(out, -1.0, 1.0).astype(np.float32, copy=False)


def read_audio(path: Path) -> Audio:
    """Read a WAV/FLAC file as mono float32, naming the file in any error."""
    if path.is_dir():
        raise AudioError(f"{path}: is a folder, not an audio file")
    if not path.is_file():
        raise AudioError(f"{path}: no such audio file")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioError(f"{path}: not a readable WAV or FLAC file ({exc})") from exc
    if data.shape[0] == 0:
        raise AudioError(f"{path}: the file holds no audio")
    mono = finite_samples(data, str(path)).mean(axis=1)
    return Audio(np.ascontiguousarray(mono, dtype=np.float32), int(rate))


def for_whisper(audio: Audio, source: str = "audio") -> Audio:
    """Check a clip can hold speech and bring it to 16 kHz; explain silence or an empty clip."""
    if audio.duration < MIN_SPEECH_S:
        raise AudioError(f"{source}: too short to hold speech ({audio.duration:.2f} s)")
    samples = finite_samples(audio.samples, source)
    samples = np.clip(samples - np.float32(samples.mean()), -1.0, 1.0)  # DC offset is not sound
    audio = Audio(samples.astype(np.float32, copy=False), audio.sample_rate)
    if audio.rms() < SILENCE_RMS:
        raise AudioError(f"{source}: only silence, no speech was heard")
    out = audio.resampled(WHISPER_RATE)
    return Audio(np.clip(out.samples, -1.0, 1.0).astype(np.float32, copy=False), WHISPER_RATE)


def write_wav(path: Path, audio: Audio) -> None:
    """Save audio as 16-bit PCM WAV, readable only by the user."""
    buf = io.BytesIO()
    sf.write(buf, audio.samples, audio.sample_rate, format="WAV", subtype="PCM_16")
    write_private(path, buf.getvalue())


@dataclass(frozen=True)
class RecordedReply:
    """The trainee's reply audio and what the recorder measured around it."""

    audio: Audio
    response_latency_s: float | None = None
    talked_over: bool = False
    source: str = "microphone"
    client_stopped: bool = False  # the client's line faded out because the trainee talked over it


class Transcriber(Protocol):
    """Speech to text with word timings."""

    def transcribe(self, audio: Audio, language: str | None = None) -> Transcript:
        """Transcribe a clip; ``language`` None means detect it."""
        ...


class Synthesizer(Protocol):
    """Text to speech with an audible emotion."""

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` in the given voice and return the audio."""
        ...


class StreamingSynthesizer(Synthesizer, Protocol):
    """A synthesizer that can hand over a line sentence by sentence as it makes it."""

    def stream(self, text: str, voice: VoiceSettings) -> Iterator[Audio]:
        """Speak ``text`` one sentence at a time, each clip as soon as it is ready."""
        ...


# Called by a recorder with each closed stretch of a reply while the trainee goes on talking: the
# stretch's audio and where it starts, in seconds into the reply the recorder will return.
StretchSink = Callable[[Audio, float], None]


class AudioIO(Protocol):
    """Where the client's voice goes and the trainee's reply comes from (speakers or fixtures)."""

    def play(
        self, audio: Audio, yield_line: Audio | None = None, more: Iterator[Audio] | None = None
    ) -> None:
        """Let the trainee hear the client (may return before playback ends).

        If the trainee talks over the line, the client stops; ``yield_line`` ("Sorry — go on.")
        is what the client then says when the trainee pauses. ``more``, when given, yields the
        rest of the line (one clip per sentence) while ``audio``, its start, plays; a player
        that cannot use it leaves it to the caller.
        """
        ...

    def record_reply(
        self, state: EmotionalState, on_stretch: StretchSink | None = None
    ) -> RecordedReply:
        """Wait for the trainee's reply and return it once they stop talking.

        A recorder that can may hand each closed stretch of speech to ``on_stretch`` while the
        trainee is still talking; the stretches then tile the returned reply.
        """
        ...
