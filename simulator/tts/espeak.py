"""Text-to-speech through pyttsx3 over espeak-ng, with emotion made audible.

Emotion maps to rate, pitch, pitch range, volume and voice variant. pyttsx3 traps on Linux,
handled here: ``say()`` is broken (we only ``save_to_file``), one ``save_to_file`` per
``runAndWait``, and one engine owned by one thread (a private worker thread). Pitch range
(espeak's RANGE, the strongest emotion cue) is not a pyttsx3 property, so it is set through the
espeak binding pyttsx3 itself loaded, on the engine's own thread.
"""

from __future__ import annotations

import contextlib
import io
import queue
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator import language as languages
from simulator.audio import Audio, VoiceSettings, read_audio
from simulator.errors import AudioError, SynthesisError
from simulator.language import LanguageTuning
from simulator.tts.expression import blend


@dataclass(frozen=True)
class Prosody:
    """espeak-ng settings for one emotion at full intensity."""

    rate: int  # words per minute
    pitch: int  # base pitch 0-100, 50 normal
    pitch_range: int  # 0 monotone - 100 lively, 50 normal
    volume: float  # 0-1
    variant: str  # espeak-ng voice variant


PRESETS: dict[str, Prosody] = {
    "calm": Prosody(rate=160, pitch=45, pitch_range=45, volume=0.8, variant="m3"),
    "angry": Prosody(rate=195, pitch=58, pitch_range=90, volume=1.0, variant="m3"),
    "anxious": Prosody(rate=205, pitch=72, pitch_range=70, volume=0.8, variant="m3"),
    "sad": Prosody(rate=125, pitch=32, pitch_range=12, volume=0.6, variant="m3"),
    "distrustful": Prosody(rate=150, pitch=40, pitch_range=28, volume=0.8, variant="m3"),
    "hopeful": Prosody(rate=170, pitch=55, pitch_range=62, volume=0.85, variant="m3"),
    "relieved": Prosody(rate=155, pitch=50, pitch_range=55, volume=0.8, variant="m3"),
    # Shame and guilt speak low, slow and quiet; hopelessness flattest of all; defensiveness
    # quick and loud like anger but less wide; overwhelm fast and high like anxiety; confusion
    # slow with a lifted, searching pitch.
    "ashamed": Prosody(rate=135, pitch=36, pitch_range=20, volume=0.6, variant="m3"),
    "guilty": Prosody(rate=140, pitch=40, pitch_range=25, volume=0.65, variant="m3"),
    "defensive": Prosody(rate=185, pitch=55, pitch_range=75, volume=0.95, variant="m3"),
    "overwhelmed": Prosody(rate=200, pitch=64, pitch_range=62, volume=0.8, variant="m3"),
    "hopeless": Prosody(rate=115, pitch=30, pitch_range=8, volume=0.55, variant="m3"),
    "confused": Prosody(rate=145, pitch=56, pitch_range=60, volume=0.8, variant="m3"),
}


# Each language's measured tuning and voice come from its pack (simulator/language/<code>/),
# chosen with benchmarks/voice_wer.py (figures in benchmarks/README.md).
TUNING: dict[str, LanguageTuning] = {
    p.code: p.espeak_tuning for p in languages.packs() if p.espeak_tuning is not None
}
WORDGAP = 7  # espeak_PARAMETER espeakWORDGAP (pyttsx3's binding does not name it)

# espeak-ng voice identifiers: a language code such as "en-gb" is not a voice name, and
# selecting it silently keeps the previous voice (English then spoken with Finnish sounds).
ESPEAK_VOICE = {p.code: p.espeak_voice for p in languages.packs()}
ATTEMPTS = 3  # pyttsx3 over espeak-ng now and then writes an empty file: say it again
FILE_WAIT_S = 10.0  # longest wait for espeak's thread to write a line's WAV


def tuned(p: Prosody, tuning: LanguageTuning | None) -> Prosody:
    """The prosody with a language's tuning applied (rate, pitch range, variant)."""
    if tuning is None:
        return p
    variant = p.variant
    if variant.startswith("m") and tuning.male:
        variant = tuning.male
    elif variant.startswith("f") and tuning.female:
        variant = tuning.female
    return Prosody(
        rate=round(p.rate * tuning.rate_scale),
        pitch=p.pitch,
        pitch_range=min(max(round(p.pitch_range * tuning.range_scale), 0), 100),
        volume=p.volume,
        variant=variant,
    )


def prosody_for(voice: VoiceSettings) -> Prosody:
    """The espeak settings for a voice: the emotion preset scaled by intensity, then tweaked."""
    calm, target, mix = blend(PRESETS, voice)
    return Prosody(
        rate=round(mix(calm.rate, target.rate) * voice.rate_scale),
        pitch=min(max(round(mix(calm.pitch, target.pitch)) + voice.pitch_shift, 0), 100),
        pitch_range=round(mix(calm.pitch_range, target.pitch_range)),
        volume=round(mix(calm.volume, target.volume), 2),
        variant=voice.variant or target.variant,
    )


Job = tuple[str, VoiceSettings, "LanguageTuning | None", "Future[Audio]"]


class _EngineThread:
    """The one thread that owns pyttsx3's engine.

    espeak-ng is a single library instance per process (one voice, one set of parameters, one
    synthesis callback), so every synthesizer in a process shares this thread and its queue.
    """

    _lock = threading.Lock()
    _instance: _EngineThread | None = None

    def __init__(self) -> None:
        self.jobs: queue.Queue[Job] = queue.Queue()
        threading.Thread(target=self._run, name="tts-engine", daemon=True).start()

    @classmethod
    def shared(cls) -> _EngineThread:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _run(self) -> None:
        engine: Any = None
        espeak: Any = None
        while True:
            text, voice, tuning, done = self.jobs.get()
            try:
                if engine is None:
                    engine, espeak = _start_engine()
                done.set_result(_speak(engine, espeak, text, voice, tuning))
            except Exception as exc:  # handed to the caller's thread
                err = (
                    exc
                    if isinstance(exc, SynthesisError)
                    else SynthesisError(f"speech synthesis failed: {exc}")
                )
                done.set_exception(err)


class EspeakSynthesizer:
    """Speaks text to audio with pyttsx3/espeak-ng, through the process's one engine thread."""

    def __init__(self, tuning: dict[str, LanguageTuning] | None = None) -> None:
        """``tuning`` per language (default: the measured ``TUNING``; ``{}`` for plain espeak)."""
        self.tuning = TUNING if tuning is None else tuning

    def synthesize(self, text: str, voice: VoiceSettings) -> Audio:
        """Speak ``text`` with the voice's language and emotion and return the audio."""
        if not text.strip():
            raise SynthesisError("nothing to say: the line is empty")
        if voice.language not in ESPEAK_VOICE:
            raise SynthesisError(f"no voice for language '{voice.language}'")
        done: Future[Audio] = Future()
        tuning = self.tuning.get(voice.language)
        _EngineThread.shared().jobs.put((text, voice, tuning, done))
        return done.result()


def _start_engine() -> tuple[Any, Any]:
    try:
        import pyttsx3
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError) as exc:
        raise SynthesisError(
            "espeak-ng is not available: install the Debian packages espeak-ng and libespeak-ng1"
        ) from exc
    try:
        engine = pyttsx3.init("espeak")
    except Exception as exc:  # pyttsx3 raises bare errors when libespeak-ng is missing
        raise SynthesisError(f"cannot start espeak-ng through pyttsx3: {exc}") from exc
    return engine, _espeak


def _speak(
    engine: Any, espeak: Any, text: str, voice: VoiceSettings, tuning: LanguageTuning | None
) -> Audio:
    p = tuned(prosody_for(voice), tuning)
    engine.setProperty("voice", f"{ESPEAK_VOICE[voice.language]}+{p.variant}")
    engine.setProperty("rate", p.rate)
    engine.setProperty("volume", p.volume)
    engine.setProperty("pitch", p.pitch)
    espeak.SetParameter(espeak.RANGE, p.pitch_range, 0)
    espeak.SetParameter(WORDGAP, tuning.word_gap if tuning else 0, 0)
    # espeak runs asynchronously under pyttsx3: let queued settings apply before speaking.
    espeak.Synchronize()
    problem = "espeak-ng produced no audio"
    for _ in range(ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="roleplay-tts-") as tmp:
            path = Path(tmp) / "line.wav"
            if _save(engine, espeak, text, path):
                try:
                    return read_audio(path)
                except AudioError as exc:  # now and then pyttsx3 writes an empty file
                    problem = f"espeak-ng produced no audio ({exc})"
    raise SynthesisError(problem)


def _save(engine: Any, espeak: Any, text: str, path: Path) -> bool:
    """Have pyttsx3 write one line to ``path``; True once the WAV is written and closed."""
    written = threading.Event()
    token = engine.connect("finished-utterance", lambda **_: written.set())
    try:
        # pyttsx3 prints "Audio saved to ..." on stdout; keep the trainee's screen clean.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            # runAndWait can return while espeak's thread is still writing the file;
            # "finished-utterance" comes once the WAV is written and closed.
            finished = written.wait(FILE_WAIT_S)
            espeak.Synchronize()
    finally:
        engine.disconnect(token)
    return finished and path.is_file()
