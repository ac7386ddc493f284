"""PortAudio through sounddevice: find devices, and the input and output streams LiveAudio uses.

The package ``simulator.devices`` is the only place that imports sounddevice, and it does so
lazily, so the rest of the program runs on a machine without PortAudio. Stream callbacks live
here and only put data on a queue or set an event; nothing outside sees a callback.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import soxr

from simulator.audio import WHISPER_RATE, Audio, Samples
from simulator.errors import AudioError, NoAudioDeviceError

BLOCK_S = 0.032  # seconds per microphone callback block (one Silero frame at 16 kHz)
TAIL_LEVEL = 10 ** (-30 / 20)  # of the peak: quieter samples at a clip's end are not speech
OUTPUT_LATENCY_S = 0.2  # seconds of playback buffer: enough to ride out a busy 2-core CPU
STALL_S = 3.0  # no microphone data for this long means the device stopped working
FADE_S = 0.08  # a line stopped mid-way fades out over this long instead of clicking
SENTENCE_GAP_S = 0.12  # silence between the sentences of a line that is played as it is made
PLAYBACK_GRACE_S = 5.0  # playback not finished this long after its length is treated as done

Device = int | str | None


@dataclass(frozen=True)
class DeviceInfo:
    """One sound device as PortAudio sees it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False


def load_sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into a one-line AudioError."""
    try:
        import sounddevice
    except OSError as exc:  # raised at import when libportaudio2 is absent
        raise NoAudioDeviceError(
            f"No microphone or speaker found: the PortAudio library is missing ({exc})."
        ) from exc
    module: ModuleType = sounddevice
    return module


def list_devices() -> list[DeviceInfo]:
    """Every input and output device PortAudio can reach, with the defaults marked."""
    sd = load_sounddevice()
    try:
        raw: Any = sd.query_devices()
        apis: Any = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise NoAudioDeviceError(f"No microphone or speaker found: {exc}.") from exc
    default_in, default_out = (int(i) for i in sd.default.device)
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            hostapi=str(apis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in raw
    ]


@dataclass(frozen=True)
class Port:
    """A resolved device with the stream settings it accepts."""

    index: int
    name: str
    rate: int
    channels: int


def resolve(sd: ModuleType, device: Device, kind: str) -> Port:
    """Find the device (index, name substring or default) and a rate/channel count it accepts."""
    want = WHISPER_RATE if kind == "input" else 48_000
    if isinstance(device, str) and device.strip().isdigit():
        device = int(device)
    try:
        info: Any = sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError) as exc:
        role = "microphone" if kind == "input" else "speaker"
        which = f"'{device}'" if device is not None else "default"
        raise NoAudioDeviceError(
            f"No microphone or speaker found: no {which} {role} ({exc})."
        ) from exc
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    index = int(info["index"])
    for channels in (1, 2):
        for rate in (want, int(info["default_samplerate"])):
            try:
                check(device=index, samplerate=rate, channels=channels, dtype="float32")
            except sd.PortAudioError:
                continue
            return Port(index, str(info["name"]), rate, channels)
    raise NoAudioDeviceError(f"{info['name']}: accepts no usable sample rate for {kind}.")


class Recorder:
    """An open input stream whose callback queues blocks with their capture times."""

    def __init__(self, sd: ModuleType, port: Port) -> None:
        self.port = port
        self.blocks: queue.Queue[tuple[Samples, float]] = queue.Queue()
        self.started_at: float | None = None  # stream clock time of the first captured sample
        self._count = 0  # samples captured so far, at the device rate

        def on_audio(indata: Any, frames: int, time: Any, status: Any) -> None:
            if self.started_at is None:
                adc = float(time.inputBufferAdcTime)
                self.started_at = adc if adc > 0 else float(time.currentTime)
            mono = np.asarray(indata, dtype=np.float32).mean(axis=1)
            self.blocks.put((mono, self.started_at + self._count / port.rate))
            self._count += frames

        try:
            self.stream: Any = sd.InputStream(
                device=port.index,
                samplerate=port.rate,
                channels=port.channels,
                dtype="float32",
                blocksize=round(BLOCK_S * port.rate),
                callback=on_audio,
            )
            self.stream.start()
        except sd.PortAudioError as exc:
            raise AudioError(f"cannot open the microphone {port.name}: {exc}") from exc

    def next_block(self) -> tuple[Samples, float]:
        """The next captured block and its capture time; AudioError if the microphone stalls."""
        try:
            return self.blocks.get(timeout=STALL_S)
        except queue.Empty:
            raise AudioError(f"the microphone {self.port.name} stopped sending sound") from None

    def close(self) -> None:
        """Stop and close the stream."""
        self.stream.abort()
        self.stream.close()


def silent_tail_s(audio: Audio) -> float:
    """Seconds of near-silence (30 dB under the peak) at the end of a clip, as after TTS speech."""
    magnitude = np.abs(audio.samples)
    if len(magnitude) == 0:
        return 0.0
    loud = np.nonzero(magnitude >= magnitude.max() * TAIL_LEVEL)[0]
    return (len(magnitude) - 1 - int(loud[-1])) / audio.sample_rate


class Playback:
    """An output stream playing one clip; knows on the stream clock when its last sample sounds.

    With ``more`` the clip grows while it plays: a feeder thread appends each further clip
    (the next sentences of the line, synthesized meanwhile) after a short gap, so the first
    sentence sounds before the last is made.
    """

    def __init__(
        self, sd: ModuleType, port: Port, audio: Audio, more: Iterator[Audio] | None = None
    ) -> None:
        samples = audio.resampled(port.rate).samples
        self._samples = samples
        self._rate = port.rate
        self.duration = len(samples) / port.rate
        self.tail_s = silent_tail_s(audio)  # the clip's own silence after the client's last word
        self.done = threading.Event()
        self.ends_at: float | None = None  # stream clock time the last sample reaches the speaker
        self.sounds_at: float | None = None  # stream clock time the first sample does
        self.reference = audio.resampled(WHISPER_RATE).samples  # what the microphone may echo
        self.stopped = False  # cut short by stop(): the client stopped mid-line
        self._pos = 0
        self._end = len(samples)  # the clip plays up to here; stop() brings it forward
        self._feeder: threading.Thread | None = None
        self.feed_error: BaseException | None = None  # a failure of the feeder, for the caller
        fade = max(1, round(FADE_S * port.rate))

        def on_request(outdata: Any, frames: int, time: Any, status: Any) -> None:
            if self.sounds_at is None:
                dac = float(time.outputBufferDacTime)
                self.sounds_at = dac if dac > 0 else float(time.currentTime) + self.stream.latency
            data, end = self._samples, self._end
            chunk = data[self._pos : min(self._pos + frames, end)]
            if end < len(data):  # fading out after stop()
                left = end - np.arange(self._pos, self._pos + len(chunk))
                chunk = chunk * np.clip(left / fade, 0.0, 1.0).astype(np.float32)
            self._pos += len(chunk)
            outdata[: len(chunk)] = chunk[:, None]
            outdata[len(chunk) :] = 0
            if self._pos >= end and self.ends_at is None and not self.feeding:
                dac = float(time.outputBufferDacTime)
                base = dac if dac > 0 else float(time.currentTime) + float(self.stream.latency)
                self.ends_at = base + len(chunk) / port.rate
                raise sd.CallbackStop

        try:
            self.stream: Any = sd.OutputStream(
                device=port.index,
                samplerate=port.rate,
                channels=port.channels,
                dtype="float32",
                latency=OUTPUT_LATENCY_S,
                callback=on_request,
                finished_callback=self.done.set,
            )
            if more is not None:
                self._feeder = threading.Thread(
                    target=self._feed, args=(more,), name="playback-feed", daemon=True
                )
                self._feeder.start()
            self.stream.start()
        except sd.PortAudioError as exc:
            raise AudioError(f"cannot play through {port.name}: {exc}") from exc
        self.started_at = float(self.stream.time)

    @property
    def feeding(self) -> bool:
        """Whether more of the line is still being made."""
        return self._feeder is not None and self._feeder.is_alive()

    def _feed(self, more: Iterator[Audio]) -> None:
        """Append each further clip after a sentence gap, until the line ends or is stopped."""
        gap = np.zeros(round(SENTENCE_GAP_S * self._rate), dtype=np.float32)
        gap16 = np.zeros(round(SENTENCE_GAP_S * WHISPER_RATE), dtype=np.float32)
        try:
            for clip in more:
                if self.stopped:
                    return
                samples = np.concatenate([self._samples, gap, clip.resampled(self._rate).samples])
                self.reference = np.concatenate(
                    [self.reference, gap16, clip.resampled(WHISPER_RATE).samples]
                )
                self.tail_s = silent_tail_s(clip)
                self._samples = samples  # the callback reads the longer clip from here on
                if not self.stopped:
                    self._end = len(samples)
                self.duration = len(samples) / self._rate
        except BaseException as exc:  # handed to whoever waits for the playback
            self.feed_error = exc

    @property
    def speech_end(self) -> float:
        """When the client's last word ends: measured once played, estimated while playing."""
        end = self.ends_at
        if end is None:
            end = self.started_at + float(self.stream.latency) + self.duration
        if self.stopped:  # the last word heard ends before the quiet the line was cut in
            return end - silent_tail_s(Audio(self._samples[: self._end], self._rate))
        return end - self.tail_s

    def stop(self) -> None:
        """Fade the line out within ``FADE_S``: the client stops talking mid-sentence."""
        self.stopped = True
        self._end = min(self._end, self._pos + round(FADE_S * self._rate))

    def wait(self) -> None:
        """Block until the clip has been handed to the speaker (or its grace time ran out)."""
        if self._feeder is not None:
            self._feeder.join()
        self.done.wait(self.duration + PLAYBACK_GRACE_S)

    def close(self) -> None:
        """Stop and close the stream."""
        self.stream.abort()
        self.stream.close()


def resampler(rate: int) -> Callable[[Samples], Samples]:
    """A streaming converter from the device rate to 16 kHz (identity when they match)."""
    if rate == WHISPER_RATE:
        return lambda block: block
    stream = soxr.ResampleStream(rate, WHISPER_RATE, 1, dtype="float32")
    return lambda block: np.asarray(stream.resample_chunk(block), dtype=np.float32)
