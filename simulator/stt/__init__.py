"""Speech recognition adapters: faster-whisper by default, openai-whisper as an optional backend.

This package is the only place that imports a Whisper package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.errors import TranscriptionError

if TYPE_CHECKING:
    from simulator.audio import Transcriber

BEAM_SIZE = 5  # Whisper's own default; the benchmark reports its speed
BACKENDS = ("faster-whisper", "openai-whisper")


def make_transcriber(
    backend: str = "faster-whisper",
    model: str | None = None,
    language: str | None = None,
    compute_type: str = "int8",
    beam_size: int = BEAM_SIZE,
) -> Transcriber:
    """Build a transcriber for a backend and a model name or folder (default: the language's)."""
    from simulator.models import default_model, is_bundled, model_dir

    name = model or default_model(language)
    if backend == "faster-whisper":
        from simulator.stt.faster import FasterWhisperTranscriber

        source = str(model_dir(name)) if is_bundled(name) else name
        return FasterWhisperTranscriber(
            source, default_language=language, compute_type=compute_type, beam_size=beam_size
        )
    if backend == "openai-whisper":
        from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

        if not is_bundled(name):
            raise TranscriptionError(
                "the openai-whisper backend loads only bundled models or model folders, "
                f"not '{name}'"
            )
        transcriber: Transcriber = OpenAIWhisperTranscriber(
            model_dir(name), default_language=language, beam_size=beam_size
        )
        return transcriber
    raise TranscriptionError(
        f"unknown speech recognition backend '{backend}': use {' or '.join(BACKENDS)}"
    )
