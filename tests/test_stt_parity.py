"""The CTranslate2 reader, the checkpoint converter, and openai-whisper vs faster-whisper parity."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support.shared import shared_dir

from simulator.audio import Audio, read_audio
from simulator.errors import TranscriptionError
from simulator.models import model_dir
from simulator.stt.convert import (
    SPEC_NAME,
    read_ct2_model,
    whisper_dims,
    whisper_state_dict,
)
from simulator.types import Transcript

os.environ.setdefault("HF_HUB_OFFLINE", "1")

AUDIO = shared_dir() / "audio"
JFK = AUDIO / "en_jfk_openai-whisper.flac"
FINNISH = AUDIO / "fi_librivox_reader5698_fdeloche.wav"
TIMING_TOLERANCE_S = 0.02  # word start/end may differ by this much between the backends
PROBABILITY_TOLERANCE = 0.02

# OpenAI's published dimensions of the two bundled models (whisper/model.py, the model card).
PUBLISHED_DIMS = {
    "tiny.en": {"n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4, "n_vocab": 51864},
    "base": {"n_audio_state": 512, "n_audio_head": 8, "n_audio_layer": 6, "n_vocab": 51865},
}
SHARED_DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_text_ctx": 448}
# Tensors of a WhisperSpec: conv1/conv2 weight+bias, encoder positions, encoder final norm (2),
# token embedding, decoder positions, decoder final norm (2) = 11; each encoder layer holds
# self-attention (norm 2, fused QKV 2, output 2) + FFN (norm 2, two linears 4) = 12 tensors;
# each decoder layer adds cross-attention (norm 2, three linears 6) = 20.
TOP_TENSORS, ENCODER_LAYER_TENSORS, DECODER_LAYER_TENSORS = 11, 12, 20


def _whisper_or_skip() -> Any:
    return pytest.importorskip(
        "whisper", reason="openai-whisper is not installed (the optional openai-whisper extra)"
    )


@pytest.mark.parametrize("name", ["tiny.en", "base"])
def test_reader_finds_every_variable_with_the_published_dims(name: str) -> None:
    """The reader parses all of model.bin: Whisper spec, published dims, expected tensor count."""
    model = read_ct2_model(model_dir(name) / "model.bin")
    assert model.spec_name == SPEC_NAME
    dims = whisper_dims(model)
    expected = PUBLISHED_DIMS[name] | SHARED_DIMS
    assert {k: dims[k] for k in expected} == expected
    assert dims["n_text_state"] == dims["n_audio_state"]
    assert dims["n_text_head"] == dims["n_audio_head"]
    assert dims["n_text_layer"] == dims["n_audio_layer"]
    stored = {k: v for k, v in model.variables.items() if k not in model.aliases}
    tensors = [v for v in stored.values() if v.ndim > 0]
    layers = dims["n_audio_layer"]
    assert len(tensors) == (
        TOP_TENSORS + ENCODER_LAYER_TENSORS * layers + DECODER_LAYER_TENSORS * layers
    )
    assert all(t.dtype == np.float16 for t in tensors)
    assert model.aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}


def test_reader_rejects_a_truncated_file(tmp_path: Path) -> None:
    """A model.bin cut short (like the incomplete whisper-small packages) gives a clear error."""
    data = (model_dir("tiny.en") / "model.bin").read_bytes()
    cut = tmp_path / "model.bin"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(TranscriptionError, match="truncated"):
        read_ct2_model(cut)


def test_state_dict_splits_fused_projections_exactly() -> None:
    """Q, K and V come from the fused rows unchanged, and every key bias dropped is zero."""
    model = read_ct2_model(model_dir("tiny.en") / "model.bin")
    state = whisper_state_dict(model)
    fused = model.variables["decoder/layer_2/self_attention/linear_0/weight"].astype(np.float32)
    width = fused.shape[1]
    attn = "decoder.blocks.2.attn"
    np.testing.assert_array_equal(state[f"{attn}.query.weight"], fused[:width])
    np.testing.assert_array_equal(state[f"{attn}.key.weight"], fused[width : 2 * width])
    np.testing.assert_array_equal(state[f"{attn}.value.weight"], fused[2 * width :])
    cross_kv = model.variables["decoder/layer_0/attention/linear_1/weight"].astype(np.float32)
    np.testing.assert_array_equal(
        state["decoder.blocks.0.cross_attn.value.weight"], cross_kv[width:]
    )
    assert "decoder.blocks.0.attn.key.bias" not in state
    assert all(a.dtype == np.float32 for a in state.values())


def test_missing_backend_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openai-whisper installed the constructor names the extra to install."""
    from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

    monkeypatch.setitem(sys.modules, "whisper", None)  # makes `import whisper` fail
    with pytest.raises(TranscriptionError, match=r"pip install 'voice-roleplay\[openai-whisper\]'"):
        OpenAIWhisperTranscriber(model_dir("tiny.en"))


@pytest.mark.openai_whisper
@pytest.mark.parametrize("name", ["tiny.en", "base"])
def test_converted_checkpoint_loads_strictly(name: str, tmp_path: Path) -> None:
    """The command-line tool writes a checkpoint openai-whisper loads with every key matched."""
    whisper = _whisper_or_skip()
    out = tmp_path / f"{name}.pt"
    done = subprocess.run(
        [sys.executable, "-m", "simulator.stt.convert", str(model_dir(name)), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    model = whisper.load_model(str(out), device="cpu")  # load_state_dict is strict there
    expected = PUBLISHED_DIMS[name]
    assert model.dims.n_audio_layer == expected["n_audio_layer"]
    assert model.dims.n_vocab == expected["n_vocab"]
    assert model.is_multilingual == (name == "base")


def test_converter_tool_reports_a_missing_model(tmp_path: Path) -> None:
    """Pointing the tool at a folder without model.bin fails with one line and exit code 1."""
    done = subprocess.run(
        [sys.executable, "-m", "simulator.stt.convert", str(tmp_path), str(tmp_path / "x.pt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private checkpoint cache, so the tests exercise conversion and reuse."""
    return tmp_path_factory.mktemp("openai-whisper-cache")


def _both(name: str, clip: Path, language: str, cache: Path) -> tuple[Transcript, Transcript]:
    """Transcribe one clip with faster-whisper at float32 and openai-whisper on the same weights."""
    _whisper_or_skip()
    from simulator.stt.faster import FasterWhisperTranscriber
    from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

    folder = model_dir(name)
    audio: Audio = read_audio(clip).resampled(16_000)
    faster = FasterWhisperTranscriber(str(folder), compute_type="float32")
    openai = OpenAIWhisperTranscriber(folder, cache_dir=cache)
    return faster.transcribe(audio, language), openai.transcribe(audio, language)


def _assert_same(faster: Transcript, openai: Transcript) -> None:
    assert openai.text == faster.text
    assert openai.language == faster.language
    assert [w.text for w in openai.words] == [w.text for w in faster.words]
    for a, b in zip(faster.words, openai.words, strict=True):
        assert abs(a.start - b.start) <= TIMING_TOLERANCE_S, (a, b)
        assert abs(a.end - b.end) <= TIMING_TOLERANCE_S, (a, b)
        assert abs(a.probability - b.probability) <= PROBABILITY_TOLERANCE, (a, b)


@pytest.mark.openai_whisper
def test_tiny_en_parity_on_jfk(cache: Path) -> None:
    """On the JFK clip both adapters give the same words, text and timings with tiny.en."""
    faster, openai = _both("tiny.en", JFK, "en", cache)
    _assert_same(faster, openai)
    assert "ask not what your country can do for you" in openai.text.lower()


def _decode_both(name: str, clip: Path, language: str, cache: Path) -> tuple[Any, Any]:
    """Decode with both libraries directly, same options, no VAD and no token cap.

    This isolates the converted weights: the adapters' token cap is not comparable (CTranslate2's
    beam search treats ``max_length`` differently from openai-whisper's ``sample_len``).
    """
    whisper = _whisper_or_skip()
    from faster_whisper import WhisperModel

    from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

    folder = model_dir(name)
    samples = read_audio(clip).resampled(16_000).samples
    options: dict[str, Any] = {
        "language": language,
        "beam_size": 5,
        "temperature": 0.0,
        "word_timestamps": True,
        "condition_on_previous_text": False,
    }
    segments, _ = WhisperModel(str(folder), compute_type="float32").transcribe(samples, **options)
    openai = OpenAIWhisperTranscriber(folder, cache_dir=cache)
    openai.load()
    result = whisper.transcribe(openai._model, samples, verbose=None, fp16=False, **options)
    return list(segments), result["segments"]


@pytest.mark.openai_whisper
def test_base_weights_decode_finnish_alike(cache: Path) -> None:
    """On a Finnish clip, base decodes to the same words and timings in both libraries."""
    faster, openai = _decode_both("base", FINNISH, "fi", cache)
    assert [s.text for s in faster] == [s["text"] for s in openai]
    words_f = [w for s in faster for w in s.words]
    words_o = [w for s in openai for w in s["words"]]
    assert [w.word for w in words_f] == [w["word"] for w in words_o]
    assert len(words_o) >= 10
    for a, b in zip(words_f, words_o, strict=True):
        assert abs(a.start - b["start"]) <= TIMING_TOLERANCE_S, (a, b)
        assert abs(a.end - b["end"]) <= TIMING_TOLERANCE_S, (a, b)
        assert abs(a.probability - b["probability"]) <= PROBABILITY_TOLERANCE, (a, b)


@pytest.mark.openai_whisper
def test_checkpoint_is_converted_once_with_the_config_alignment_heads(cache: Path) -> None:
    """The cached checkpoint is reused, and the model carries config.json's alignment heads."""
    _whisper_or_skip()
    import json

    from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

    folder = model_dir("tiny.en")
    first = OpenAIWhisperTranscriber(folder, cache_dir=cache)
    first.load()
    stamp = first.checkpoint.stat().st_mtime_ns
    second = OpenAIWhisperTranscriber(folder, cache_dir=cache)
    second.load()
    assert second.checkpoint == first.checkpoint
    assert second.checkpoint.stat().st_mtime_ns == stamp
    heads = second._model.alignment_heads.to_dense().nonzero().tolist()
    config = json.loads((folder / "config.json").read_text())
    assert sorted(heads) == sorted(config["alignment_heads"])


@pytest.mark.openai_whisper
def test_english_only_model_refuses_another_language(cache: Path) -> None:
    """Asking tiny.en for Finnish is a TranscriptionError, not a silent English transcript."""
    _whisper_or_skip()
    from simulator.stt.openai_whisper import OpenAIWhisperTranscriber

    transcriber = OpenAIWhisperTranscriber(model_dir("tiny.en"), cache_dir=cache)
    with pytest.raises(TranscriptionError, match="English-only"):
        transcriber.transcribe(read_audio(JFK), "fi")
