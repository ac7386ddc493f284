"""Speech recognition adapters: faster-whisper by default, openai-whisper as an optional backend.

This package is the only place that imports a Whisper package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.errors import TranscriptionError
from simulator.stt.options import BEAM_SIZE, DecodeOptions, quiet_openmp

if TYPE_CHECKING:
    from simulator.audio import Transcriber

__all__ = ["BACKENDS", "BEAM_SIZE", "DecodeOptions", "make_transcriber"]

quiet_openmp()  # before faster-whisper or torch loads libgomp; see its docstring

BACKENDS = ("faster-whisper", "openai-whisper")


def make_transcriber(
    backend: str = "faster-whisper",
    model: str | None = None,
    language: str | None = None,
    compute_type: str = "int8",
    beam_size: int = BEAM_SIZE,
    options: DecodeOptions | None = None,
) -> Transcriber:
    """Build a transcriber for a backend and a model name or folder (default: the language's).

    ``options`` (default: ``DecodeOptions(beam_size=beam_size)``) sets how every clip is decoded.
    """
    options = options or DecodeOptions(beam_size=beam_size)
    from simulator.models import default_model, is_bundled, model_dir

    name = model or default_model(language)
    if backend == "faster-whisper":
        from simulator.stt.faster import FasterWhisperTranscriber

        source = str(model_dir(name)) if is_bundled(name) else name
        return FasterWhisperTranscriber(
            source, default_language=language, compute_type=compute_type, options=options
        )
    if backend == "openai-whisper":
        from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

        if not is_bundled(name):
            raise TranscriptionError(
                "the openai-whisper backend loads only bundled models or model folders, "
                f"not '{name}'"
            )
        transcriber: Transcriber = OpenAIWhisperTranscriber(
            model_dir(name), default_language=language, options=options
        )
        return transcriber
    raise TranscriptionError(
        f"unknown speech recognition backend '{backend}': use {' or '.join(BACKENDS)}"
    )
