"""faster-whisper (CTranslate2) adapter: word timings on, Silero VAD filter on, language forced."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simulator.audio import Audio, for_whisper
from simulator.errors import AudioError, TranscriptionError
from simulator.stt.options import BEAM_SIZE, DecodeOptions
from simulator.types import Transcript, Word


def decode_passes(segments: Iterable[Any], options: DecodeOptions) -> int:
    """How many times the busiest 30-second window was decoded (1, or 2 after a fallback).

    faster-whisper marks each segment with the temperature of the decode it kept; a window whose
    first decode failed ends at the last temperature, kept or not.
    """
    temps = options.temperatures
    passes = [1 + temps.index(s.temperature) if s.temperature in temps else 1 for s in segments]
    return max(passes, default=1)


class FasterWhisperTranscriber:
    """Transcribes 16 kHz audio with a CTranslate2 Whisper model loaded once, on first use."""

    def __init__(
        self,
        model: str,
        default_language: str | None = None,
        compute_type: str = "int8",
        beam_size: int = BEAM_SIZE,
        options: DecodeOptions | None = None,
    ) -> None:
        """Remember the model folder (or name) and options; loading waits for ``load()``."""
        self.model_source = model
        self.default_language = default_language
        self.compute_type = compute_type
        self.options = options or DecodeOptions(beam_size=beam_size)
        self.beam_size = self.options.beam_size
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now (safe to call from a background thread while the client speaks)."""
        with self._lock:
            if self._model is not None:
                return
            try:
                from faster_whisper import WhisperModel
            except ImportError as exc:  # pragma: no cover - a broken install
                raise TranscriptionError("faster-whisper is not installed") from exc
            local = Path(self.model_source).is_dir()
            try:
                self._model = WhisperModel(
                    self.model_source,
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self.options.threads,
                    local_files_only=local,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise TranscriptionError(
                    f"cannot load the Whisper model '{self.model_source}': {exc}"
                ) from exc

    def transcribe(self, audio: Audio, language: str | None = None) -> Transcript:
        """Transcribe a clip; raise AudioError when it holds no speech."""
        clip = for_whisper(audio)
        self.load()
        lang = language or self.default_language
        if lang and lang != "en" and not self._model.model.is_multilingual:
            raise TranscriptionError(f"the English-only model cannot transcribe language '{lang}'")
        opts = self.options
        segments, info = self._model.transcribe(
            clip.samples,
            language=lang,
            beam_size=opts.beam_size,
            best_of=opts.best_of,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,
            temperature=list(opts.temperatures),
            compression_ratio_threshold=opts.compression_ratio_threshold,
            log_prob_threshold=opts.log_prob_threshold,
            no_speech_threshold=opts.no_speech_threshold,
            max_new_tokens=opts.max_new_tokens(clip.duration),
        )
        words: list[Word] = []
        texts: list[str] = []
        decoded = list(segments)  # transcribe() is lazy: decoding happens here
        for segment in decoded:
            texts.append(segment.text.strip())
            for w in segment.words or ():
                words.append(
                    Word(
                        w.word.strip(),
                        round(float(w.start), 3),
                        round(float(w.end), 3),
                        float(w.probability),
                    )
                )
        text = " ".join(t for t in texts if t)
        if not words:
            raise AudioError("no speech was recognised in the recording")
        return Transcript(
            words=tuple(words),
            text=text,
            language=info.language,
            duration=clip.duration,
            language_probability=float(info.language_probability),
            **segment_certainty(
                [(s.no_speech_prob, s.compression_ratio, s.avg_logprob) for s in decoded]
            ),
            decode_passes=decode_passes(decoded, opts),
        )


def segment_certainty(segments: list[tuple[float, float, float]]) -> dict[str, float | None]:
    """Whisper's least certain segment figures: highest no-speech and compression, lowest logprob.

    Each segment is (no-speech probability, compression ratio, average log-probability).
    """
    if not segments:
        return {"no_speech_prob": None, "compression_ratio": None, "avg_logprob": None}
    return {
        "no_speech_prob": round(max(float(s[0]) for s in segments), 4),
        "compression_ratio": round(max(float(s[1]) for s in segments), 4),
        "avg_logprob": round(min(float(s[2]) for s in segments), 4),
    }
