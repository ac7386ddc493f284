"""Speakers and microphone through sounddevice: play the client, record the reply until it ends.

The only module that imports sounddevice (lazily, so the rest of the program runs without
PortAudio). ``LiveAudio`` implements the ``AudioIO`` seam: ``play`` starts the client's line and
opens the microphone at the same moment, so ``record_reply`` can measure the pause before the
trainee answers (or notice that they talked over the client) and stops when the Silero
end-pointer says the turn is over.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any

import numpy as np
import soxr

from simulator.audio import WHISPER_RATE, Audio, RecordedReply, Samples
from simulator.errors import AudioError
from simulator.types import EmotionalState
from simulator.vad import Endpointer, SileroModel, VadOptions, to_db

BLOCK_S = 0.032  # seconds per microphone callback block (one Silero frame at 16 kHz)
PRE_ROLL_S = 0.25  # seconds kept before the first detected speech, so no onset is clipped
POST_ROLL_S = 0.3  # seconds kept after the last speech
TAIL_LEVEL = 10 ** (-30 / 20)  # of the peak: quieter samples at a clip's end are not speech
STALL_S = 3.0  # no microphone data for this long means the device stopped working
PLAYBACK_GRACE_S = 5.0  # playback not finished this long after its length is treated as done
NO_DEVICE_HINT = "Try `roleplay demo`, which needs no microphone."
NOTHING_HEARD = "I didn't hear anything"  # the session adds "— try again?"

Device = int | str | None


class NoSpeechError(AudioError):
    """The microphone was open but nobody spoke before the timeout."""


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


def _sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into a one-line AudioError."""
    try:
        import sounddevice
    except OSError as exc:  # raised at import when libportaudio2 is absent
        raise AudioError(
            f"No microphone or speaker found: the PortAudio library is missing ({exc}). "
            + NO_DEVICE_HINT
        ) from exc
    module: ModuleType = sounddevice
    return module


def list_devices() -> list[DeviceInfo]:
    """Every input and output device PortAudio can reach, with the defaults marked."""
    sd = _sounddevice()
    try:
        raw: Any = sd.query_devices()
        apis: Any = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioError(f"No microphone or speaker found: {exc}. {NO_DEVICE_HINT}") from exc
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
class _Port:
    """A resolved device with the stream settings it accepts."""

    index: int
    name: str
    rate: int
    channels: int


def _resolve(sd: ModuleType, device: Device, kind: str) -> _Port:
    """Find the device (index, name substring or default) and a rate/channel count it accepts."""
    want = WHISPER_RATE if kind == "input" else 48_000
    if isinstance(device, str) and device.strip().isdigit():
        device = int(device)
    try:
        info: Any = sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError) as exc:
        role = "microphone" if kind == "input" else "speaker"
        which = f"'{device}'" if device is not None else "default"
        raise AudioError(
            f"No microphone or speaker found: no {which} {role} ({exc}). {NO_DEVICE_HINT}"
        ) from exc
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    index = int(info["index"])
    for channels in (1, 2):
        for rate in (want, int(info["default_samplerate"])):
            try:
                check(device=index, samplerate=rate, channels=channels, dtype="float32")
            except sd.PortAudioError:
                continue
            return _Port(index, str(info["name"]), rate, channels)
    raise AudioError(f"{info['name']}: accepts no usable sample rate for {kind}. {NO_DEVICE_HINT}")


class _Recorder:
    """An open input stream whose callback queues blocks with their capture times."""

    def __init__(self, sd: ModuleType, port: _Port) -> None:
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


class _Playback:
    """An output stream playing one clip; knows on the stream clock when its last sample sounds."""

    def __init__(self, sd: ModuleType, port: _Port, audio: Audio) -> None:
        samples = audio.resampled(port.rate).samples
        self.duration = len(samples) / port.rate
        self.tail_s = silent_tail_s(audio)  # the clip's own silence after the client's last word
        self.done = threading.Event()
        self.ends_at: float | None = None  # stream clock time the last sample reaches the speaker
        self._pos = 0

        def on_request(outdata: Any, frames: int, time: Any, status: Any) -> None:
            chunk = samples[self._pos : self._pos + frames]
            self._pos += len(chunk)
            outdata[: len(chunk)] = chunk[:, None]
            outdata[len(chunk) :] = 0
            if self._pos >= len(samples) and self.ends_at is None:
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
                latency=0.1,
                callback=on_request,
                finished_callback=self.done.set,
            )
            self.stream.start()
        except sd.PortAudioError as exc:
            raise AudioError(f"cannot play through {port.name}: {exc}") from exc
        self.started_at = float(self.stream.time)

    @property
    def speech_end(self) -> float:
        """When the client's last word ends: measured once played, estimated while playing."""
        end = self.ends_at
        if end is None:
            end = self.started_at + float(self.stream.latency) + self.duration
        return end - self.tail_s

    def wait(self) -> None:
        """Block until the clip has been handed to the speaker (or its grace time ran out)."""
        self.done.wait(self.duration + PLAYBACK_GRACE_S)

    def close(self) -> None:
        """Stop and close the stream."""
        self.stream.abort()
        self.stream.close()


def _resampler(rate: int) -> Callable[[Samples], Samples]:
    """A streaming converter from the device rate to 16 kHz (identity when they match)."""
    if rate == WHISPER_RATE:
        return lambda block: block
    stream = soxr.ResampleStream(rate, WHISPER_RATE, 1, dtype="float32")
    return lambda block: np.asarray(stream.resample_chunk(block), dtype=np.float32)


class LiveAudio:
    """Speakers and microphone as an ``AudioIO``: play the client, record the trainee's reply."""

    def __init__(
        self,
        input_device: Device = None,
        output_device: Device = None,
        vad_options: VadOptions | None = None,
        *,
        model: SileroModel | None = None,
    ) -> None:
        """Find both devices now, so a machine without sound fails before the session starts."""
        self._sd = _sounddevice()
        self._in = _resolve(self._sd, input_device, "input")
        self._out = _resolve(self._sd, output_device, "output")
        self.vad_options = vad_options or VadOptions()
        self._model = model or SileroModel()
        self._recorder: _Recorder | None = None
        self._playback: _Playback | None = None

    @property
    def input_name(self) -> str:
        """The microphone in use."""
        return self._in.name

    @property
    def output_name(self) -> str:
        """The speaker in use."""
        return self._out.name

    def play(self, audio: Audio) -> None:
        """Start the client's line and open the microphone with it; returns while it plays."""
        self._finish_playback()
        self._listen()
        self._playback = _Playback(self._sd, self._out, audio)

    def wait_played(self) -> None:
        """Block until the client's line has finished playing."""
        if self._playback is not None:
            self._playback.wait()

    def record_reply(self, state: EmotionalState) -> RecordedReply:
        """Record until the trainee stops talking; raise NoSpeechError if nobody spoke."""
        recorder = self._listen()
        try:
            return self._capture(recorder)
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
        """Close the streams."""
        self.close()

    def _listen(self) -> _Recorder:
        if self._recorder is None:
            self._recorder = _Recorder(self._sd, self._in)
        return self._recorder

    def _stop_listening(self) -> None:
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None

    def _finish_playback(self) -> None:
        if self._playback is not None:
            self._playback.wait()
            self._playback.close()
            self._playback = None

    def _capture(self, recorder: _Recorder) -> RecordedReply:
        """Feed microphone blocks to the end-pointer until the turn ends."""
        pointer = Endpointer(self.vad_options, self._model)
        playback = self._playback
        pointer.listen_from(float("inf") if playback is not None else 0.0)
        resample = _resampler(recorder.port.rate)
        kept: list[Samples] = []
        origin: float | None = None  # stream clock time of the first sample fed to the pointer
        while not pointer.decision.final:
            try:
                block, at = recorder.blocks.get(timeout=STALL_S)
            except queue.Empty:
                raise AudioError(
                    f"the microphone {recorder.port.name} stopped sending sound"
                ) from None
            origin = at if origin is None else origin
            if playback is not None:
                overdue = at - playback.started_at > playback.duration + PLAYBACK_GRACE_S
                if playback.ends_at is not None:
                    pointer.listen_from(playback.speech_end - origin)
                    playback = None
                elif overdue:
                    pointer.listen_from(at - origin)
                    playback = None
            chunk = resample(block)
            kept.append(chunk)
            pointer.feed(chunk)
        decision = pointer.decision
        if decision.speech_start_s is None or decision.speech_end_s is None:
            raise NoSpeechError(NOTHING_HEARD)
        samples = np.concatenate(kept)
        first = max(0, round((decision.speech_start_s - PRE_ROLL_S) * WHISPER_RATE))
        last = round((decision.speech_end_s + POST_ROLL_S) * WHISPER_RATE)
        latency = None
        if self._playback is not None and origin is not None:
            latency = origin + decision.speech_start_s - self._playback.speech_end
        return RecordedReply(
            audio=Audio(samples[first:last], WHISPER_RATE),
            response_latency_s=latency,
            talked_over=latency is not None and latency < 0,
            source="microphone",
        )


@dataclass(frozen=True)
class Level:
    """One slice of a microphone level meter: RMS and peak in dBFS over ``seconds``."""

    rms_db: float
    peak_db: float
    seconds: float


def iter_levels(
    input_device: Device = None, seconds: float = 5.0, every_s: float = 0.1
) -> Iterator[tuple[Level, Samples]]:
    """Open the microphone and yield its level every ``every_s`` with the 16 kHz samples heard."""
    sd = _sounddevice()
    recorder = _Recorder(sd, _resolve(sd, input_device, "input"))
    resample = _resampler(recorder.port.rate)
    pending: list[Samples] = []
    heard = 0.0
    try:
        while heard < seconds:
            try:
                block, _ = recorder.blocks.get(timeout=STALL_S)
            except queue.Empty:
                raise AudioError(f"the microphone {recorder.port.name} sends no sound") from None
            pending.append(resample(block))
            span = sum(len(p) for p in pending) / WHISPER_RATE
            if span >= every_s:
                chunk = np.concatenate(pending)
                pending = []
                heard += span
                audio = Audio(chunk, WHISPER_RATE)
                peak = float(np.max(np.abs(chunk))) if len(chunk) else 0.0
                yield Level(to_db(audio.rms()), to_db(peak), span), chunk
    finally:
        recorder.close()
