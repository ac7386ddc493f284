"""openai-whisper (PyTorch) adapter on the bundled weights, converted once to a checkpoint.

It decodes as the faster-whisper adapter does, with its settings imported from there: the same
Silero VAD filter (faster-whisper's own functions) with word timings mapped back to the original
clip, the same beam size, one temperature (no fallback), the same token cap for the clip's
length, language forced when given, previous text not used as a prompt, words ``.strip()``ed
and rounded to ms.
Audio goes in as a numpy array, never a file path (openai-whisper's ``load_audio`` needs ffmpeg).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simulator.audio import WHISPER_RATE, Audio, for_whisper
from simulator.errors import AudioError, TranscriptionError
from simulator.models import cache_root
from simulator.stt.convert import convert
from simulator.stt.faster import segment_certainty
from simulator.stt.options import BEAM_SIZE, DecodeOptions
from simulator.types import Transcript, Word

NOT_INSTALLED = (
    "the openai-whisper backend is not installed: "
    "run `pip install 'voice-roleplay[openai-whisper]'`"
)


def checkpoint_path(model_dir: Path, cache: Path | None = None) -> Path:
    """Where the converted checkpoint of a CTranslate2 model folder is cached.

    The name carries a fingerprint of ``model.bin`` (path, size, modification time), so a
    reinstalled or different model never reuses a stale checkpoint.
    """
    source = (model_dir / "model.bin").resolve()
    try:
        info = source.stat()
    except OSError as exc:
        raise TranscriptionError(f"{model_dir}: not a Whisper model folder (no model.bin)") from exc
    key = f"{source}\0{info.st_size}\0{info.st_mtime_ns}".encode()
    digest = hashlib.sha256(key).hexdigest()[:16]
    folder = cache if cache is not None else cache_root() / "openai-whisper"
    return folder / f"{model_dir.name}-{digest}.pt"


def alignment_heads_dump(model_dir: Path, n_layers: int, n_heads: int) -> bytes | None:
    """The ``alignment_heads`` of ``config.json`` encoded as ``Whisper.set_alignment_heads`` wants.

    That is a boolean (layer, head) mask, gzipped and base85-encoded; None when the config
    lists no heads (openai-whisper then uses every head of the upper half of the layers).
    """
    config = model_dir / "config.json"
    if not config.is_file():
        return None
    try:
        pairs = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads")
    except (OSError, ValueError) as exc:
        raise TranscriptionError(f"{config}: unreadable model config ({exc})") from exc
    if not pairs:
        return None
    mask = np.zeros((n_layers, n_heads), dtype=bool)
    for layer, head in pairs:
        if not (0 <= layer < n_layers and 0 <= head < n_heads):
            raise TranscriptionError(f"{config}: alignment head {layer},{head} is out of range")
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def _speech_only(samples: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.float32], Any]:
    """Drop silence with faster-whisper's Silero VAD, as its ``vad_filter=True`` does.

    Returns the speech samples and the map back to times in the original clip.
    """
    from faster_whisper.vad import (
        SpeechTimestampsMap,
        VadOptions,
        collect_chunks,
        get_speech_timestamps,
    )

    chunks = get_speech_timestamps(samples, VadOptions())
    if not chunks:
        raise AudioError("no speech was recognised in the recording")
    pieces, _ = collect_chunks(samples, chunks)
    speech = np.ascontiguousarray(np.concatenate(pieces), dtype=np.float32)
    return speech, SpeechTimestampsMap(chunks, WHISPER_RATE)


class OpenAIWhisperTranscriber:
    """Transcribes audio with openai-whisper on a checkpoint converted from a CTranslate2 model."""

    def __init__(
        self,
        model_dir: Path,
        default_language: str | None = None,
        *,
        beam_size: int = BEAM_SIZE,
        cache_dir: Path | None = None,
        options: DecodeOptions | None = None,
    ) -> None:
        """Check the backend is installed and remember the model; loading waits for ``load()``."""
        try:
            import torch  # noqa: F401
            import whisper  # noqa: F401
        except ImportError as exc:
            raise TranscriptionError(NOT_INSTALLED) from exc
        self.model_dir = Path(model_dir)
        self.default_language = default_language
        self.options = options or DecodeOptions(beam_size=beam_size)
        self.beam_size = self.options.beam_size
        self.checkpoint = checkpoint_path(self.model_dir, cache_dir)
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Convert the weights if not cached yet, then load the model (thread-safe, once)."""
        with self._lock:
            if self._model is not None:
                return
            if not self.checkpoint.is_file():
                convert(self.model_dir, self.checkpoint)
            self._model = self._load_checkpoint()

    def _load_checkpoint(self) -> Any:
        import torch
        from whisper.model import ModelDimensions, Whisper

        try:
            checkpoint = torch.load(self.checkpoint, map_location="cpu", weights_only=True)
            dims = ModelDimensions(**checkpoint["dims"])
            model = Whisper(dims)
            model.load_state_dict(checkpoint["model_state_dict"], strict=True)
        except (OSError, RuntimeError, KeyError, TypeError) as exc:
            self.checkpoint.unlink(missing_ok=True)  # convert again next time
            raise TranscriptionError(
                f"cannot load the converted Whisper checkpoint {self.checkpoint}: {exc}"
            ) from exc
        dump = alignment_heads_dump(self.model_dir, dims.n_text_layer, dims.n_text_head)
        if dump is not None:
            model.set_alignment_heads(dump)
        return model.eval()

    def transcribe(self, audio: Audio, language: str | None = None) -> Transcript:
        """Transcribe a clip; raise AudioError when it holds no speech."""
        clip = for_whisper(audio)
        self.load()
        lang = language or self.default_language
        if not self._model.is_multilingual:
            if lang and lang != "en":
                raise TranscriptionError(
                    f"the English-only model cannot transcribe language '{lang}'"
                )
            lang = "en"
        speech, time_map = _speech_only(clip.samples)
        import torch
        import whisper

        opts = self.options
        torch.set_num_threads(opts.threads)
        try:
            with torch.inference_mode():
                result = whisper.transcribe(
                    self._model,
                    speech,
                    verbose=None,
                    language=lang,
                    beam_size=opts.beam_size,
                    best_of=opts.best_of,
                    temperature=opts.temperatures,
                    compression_ratio_threshold=opts.compression_ratio_threshold,
                    logprob_threshold=opts.log_prob_threshold,
                    no_speech_threshold=opts.no_speech_threshold,
                    sample_len=opts.max_new_tokens(clip.duration),
                    fp16=False,
                    word_timestamps=True,
                    condition_on_previous_text=False,
                )
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(f"openai-whisper failed: {exc}") from exc
        return self._transcript(result, time_map, clip.duration, opts.temperatures)

    @staticmethod
    def _transcript(
        result: dict[str, Any], time_map: Any, duration: float, temperatures: tuple[float, ...]
    ) -> Transcript:
        """Build the Transcript, mapping word times from speech-only back to the clip."""
        words: list[Word] = []
        texts: list[str] = []
        for segment in result["segments"]:
            texts.append(str(segment["text"]).strip())
            for w in segment.get("words", ()):
                chunk = time_map.get_chunk_index((w["start"] + w["end"]) / 2)
                start = time_map.get_original_time(w["start"], chunk)
                end = time_map.get_original_time(w["end"], chunk)
                words.append(
                    Word(
                        str(w["word"]).strip(),
                        round(float(start), 3),
                        round(float(end), 3),
                        float(w["probability"]),
                    )
                )
        if not words:
            raise AudioError("no speech was recognised in the recording")
        return Transcript(
            words=tuple(words),
            text=" ".join(t for t in texts if t),
            language=str(result["language"]),
            duration=duration,
            **segment_certainty([
                (s["no_speech_prob"], s["compression_ratio"], s["avg_logprob"])
                for s in result["segments"]
            ]),
            decode_passes=max(
                (
                    1 + temperatures.index(s["temperature"])
                    if s["temperature"] in temperatures
                    else 1
                    for s in result["segments"]
                ),
                default=1,
            ),
        )
