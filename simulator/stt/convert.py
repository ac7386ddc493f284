"""Turn a CTranslate2 Whisper model (``model.bin``) into an openai-whisper checkpoint.

The CTranslate2 file (binary version 6, written by ``ctranslate2/specs/model_spec.py``) is
little-endian: ``u32 version``, ``str spec_name``, ``u32 revision``, ``u32 n_variables``, then per
variable ``str name``, ``u8 ndim``, ``u32 dims[ndim]``, ``u8 dtype``, ``u32 nbytes`` and the raw
bytes, then ``u32 n_aliases`` and pairs of ``str alias``, ``str target``. A ``str`` is a ``u16``
byte length that counts a trailing NUL, the UTF-8 bytes, and the NUL.

The reader and the name mapping need only numpy; writing the ``.pt`` file needs torch.

Usage as a tool::

    python -m simulator.stt.convert MODEL_DIR OUT.pt
"""

from __future__ import annotations

import argparse
import os
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simulator.errors import TranscriptionError

SUPPORTED_VERSION = 6  # the CTranslate2 binary format this reader understands
SPEC_NAME = "WhisperSpec"
# dtype ids in the order of ctranslate2's DataType enum (include/ctranslate2/types.h)
DTYPES: tuple[str, ...] = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
_LAYER = re.compile(r"^layer_(\d+)/")  # "layer_norm" also starts with "layer_": match the digits

Array = npt.NDArray[Any]
Weights = dict[str, npt.NDArray[np.float32]]


@dataclass(frozen=True)
class CT2Model:
    """The variables of a CTranslate2 model file, aliases resolved, by their ``/``-joined names."""

    spec_name: str
    revision: int
    variables: dict[str, Array]
    aliases: dict[str, str]


class _Cursor:
    """Reads little-endian fields from a byte buffer, naming the file when it runs short."""

    def __init__(self, data: bytes, source: Path) -> None:
        self.data = memoryview(data)
        self.pos = 0
        self.source = source

    def take(self, size: int) -> memoryview:
        if self.pos + size > len(self.data):
            raise TranscriptionError(f"{self.source}: truncated CTranslate2 model file")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str) -> int:
        (value,) = struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))
        return int(value)

    def string(self) -> str:
        raw = bytes(self.take(self.unpack("H")))
        return raw.rstrip(b"\0").decode("utf-8")


def _decode(raw: memoryview, dtype_id: int, shape: tuple[int, ...], name: str) -> Array:
    """Turn a variable's raw bytes into a numpy array of its stored type."""
    if dtype_id >= len(DTYPES):
        raise TranscriptionError(f"variable {name}: unknown dtype id {dtype_id}")
    kind = DTYPES[dtype_id]
    if kind == "bfloat16":  # numpy has no bfloat16: widen the upper 16 bits of a float32
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(shape)
    return np.frombuffer(raw, dtype=np.dtype(kind).newbyteorder("<")).reshape(shape)


def read_ct2_model(path: Path) -> CT2Model:
    """Read every variable of a CTranslate2 ``model.bin`` (version 6) into numpy arrays."""
    try:
        cursor = _Cursor(path.read_bytes(), path)
    except OSError as exc:
        raise TranscriptionError(f"{path}: cannot read the model file ({exc.strerror})") from exc
    version = cursor.unpack("I")
    if version != SUPPORTED_VERSION:
        raise TranscriptionError(
            f"{path}: CTranslate2 binary version {version}, this reader knows {SUPPORTED_VERSION}"
        )
    spec_name = cursor.string()
    revision = cursor.unpack("I")
    variables: dict[str, Array] = {}
    for _ in range(cursor.unpack("I")):
        name = cursor.string()
        shape = tuple(cursor.unpack("I") for _ in range(cursor.unpack("B")))
        dtype_id = cursor.unpack("B")
        variables[name] = _decode(cursor.take(cursor.unpack("I")), dtype_id, shape, name)
    aliases: dict[str, str] = {}
    for _ in range(cursor.unpack("I")):
        alias = cursor.string()
        aliases[alias] = cursor.string()
    for alias, target in aliases.items():
        if target not in variables:
            raise TranscriptionError(f"{path}: alias {alias} points to missing {target}")
        variables.setdefault(alias, variables[target])
    if cursor.pos != len(cursor.data):
        raise TranscriptionError(f"{path}: {len(cursor.data) - cursor.pos} unread bytes at the end")
    return CT2Model(spec_name, revision, variables, aliases)


def _count_layers(names: list[str], prefix: str) -> int:
    """Number of ``prefix/layer_N/`` blocks (0-based N, contiguous)."""
    found = {int(m.group(1)) for n in names if (m := _LAYER.match(n[len(prefix) :]))}
    if found != set(range(len(found))):
        raise TranscriptionError(f"{prefix} layers are not numbered 0..N-1: {sorted(found)}")
    return len(found)


def whisper_dims(model: CT2Model) -> dict[str, int]:
    """The ``ModelDimensions`` fields of openai-whisper, read from the variable shapes."""
    try:
        return _dims(model.variables)
    except KeyError as exc:
        raise TranscriptionError(f"not a Whisper model: no variable {exc}") from exc


def _dims(v: dict[str, Array]) -> dict[str, int]:
    names = list(v)
    conv1 = v["encoder/conv1/weight"]  # (n_audio_state, n_mels, kernel 3)
    return {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(conv1.shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": _count_layers(names, "encoder/"),
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": _count_layers(names, "decoder/"),
    }


def _split_rows(array: Array, parts: int) -> list[Array]:
    """Split a fused projection (weight or bias) into equal blocks of rows."""
    return list(np.split(array, parts, axis=0))


def _f32(array: Array) -> npt.NDArray[np.float32]:
    """A contiguous float32 copy, the type openai-whisper uses on the CPU."""
    if array.dtype.kind not in "f":
        raise TranscriptionError(
            f"quantized ({array.dtype}) weights are not supported; convert a float16/float32 model"
        )
    return np.ascontiguousarray(array.astype(np.float32))  # always a fresh, writable copy


def _linear(v: dict[str, Array], src: str, dst: str, out: Weights, bias: bool = True) -> None:
    out[f"{dst}.weight"] = _f32(v[f"{src}/weight"])
    if bias:
        out[f"{dst}.bias"] = _f32(v[f"{src}/bias"])


def _norm(v: dict[str, Array], src: str, dst: str, out: Weights) -> None:
    out[f"{dst}.weight"] = _f32(v[f"{src}/gamma"])
    out[f"{dst}.bias"] = _f32(v[f"{src}/beta"])


def _attention(v: dict[str, Array], src: str, dst: str, out: Weights, cross: bool) -> None:
    """Map one CTranslate2 attention block: fused Q/K/V rows -> separate query/key/value."""
    _norm(v, f"{src}/layer_norm", f"{dst}_ln", out)
    if cross:  # linear_0 is Q; linear_1 holds K and V fused; linear_2 the output
        _linear(v, f"{src}/linear_0", f"{dst}.query", out)
        weights = _split_rows(v[f"{src}/linear_1/weight"], 2)
        biases = _split_rows(v[f"{src}/linear_1/bias"], 2)
        names: tuple[str, ...] = ("key", "value")
        output = f"{src}/linear_2"
    else:  # linear_0 holds Q, K and V fused; linear_1 is the output
        weights = _split_rows(v[f"{src}/linear_0/weight"], 3)
        biases = _split_rows(v[f"{src}/linear_0/bias"], 3)
        names = ("query", "key", "value")
        output = f"{src}/linear_1"
    for name, weight, bias in zip(names, weights, biases, strict=True):
        out[f"{dst}.{name}.weight"] = _f32(weight)
        if name != "key":
            out[f"{dst}.{name}.bias"] = _f32(bias)
        elif np.any(bias):  # Whisper's key projection has no bias: CTranslate2 stores zeros
            raise TranscriptionError(f"{src}: non-zero key bias, not a Whisper model")
    _linear(v, output, f"{dst}.out", out)


def _block(v: dict[str, Array], src: str, dst: str, out: Weights, cross: bool) -> None:
    """Map one residual block: self-attention, optional cross-attention, and the MLP."""
    _attention(v, f"{src}/self_attention", f"{dst}.attn", out, cross=False)
    if cross:
        _attention(v, f"{src}/attention", f"{dst}.cross_attn", out, cross=True)
    _norm(v, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln", out)
    _linear(v, f"{src}/ffn/linear_0", f"{dst}.mlp.0", out)
    _linear(v, f"{src}/ffn/linear_1", f"{dst}.mlp.2", out)


def whisper_state_dict(model: CT2Model) -> Weights:
    """The openai-whisper ``model_state_dict`` as float32 numpy arrays, keyed like ``Whisper``."""
    if model.spec_name != SPEC_NAME:
        raise TranscriptionError(f"not a Whisper model: spec {model.spec_name!r}")
    try:
        return _map_variables(model)
    except KeyError as exc:
        raise TranscriptionError(f"the model file lacks the variable {exc}") from exc


def _map_variables(model: CT2Model) -> Weights:
    v = model.variables
    dims = whisper_dims(model)
    out: Weights = {}
    for conv in ("conv1", "conv2"):
        _linear(v, f"encoder/{conv}", f"encoder.{conv}", out)
    out["encoder.positional_embedding"] = _f32(v["encoder/position_encodings/encodings"])
    for i in range(dims["n_audio_layer"]):
        _block(v, f"encoder/layer_{i}", f"encoder.blocks.{i}", out, cross=False)
    _norm(v, "encoder/layer_norm", "encoder.ln_post", out)
    out["decoder.token_embedding.weight"] = _f32(v["decoder/embeddings/weight"])
    out["decoder.positional_embedding"] = _f32(v["decoder/position_encodings/encodings"])
    for i in range(dims["n_text_layer"]):
        _block(v, f"decoder/layer_{i}", f"decoder.blocks.{i}", out, cross=True)
    _norm(v, "decoder/layer_norm", "decoder.ln", out)
    return out


def convert(model_dir: Path, out_path: Path) -> Path:
    """Write ``{"dims", "model_state_dict"}`` for ``model_dir/model.bin`` to a torch file."""
    import torch

    model = read_ct2_model(model_dir / "model.bin")
    state = {k: torch.from_numpy(a) for k, a in whisper_state_dict(model).items()}
    checkpoint = {"dims": whisper_dims(model), "model_state_dict": state}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f"{out_path.name}.{os.getpid()}.partial")  # one per process
    try:
        torch.save(checkpoint, partial)
        partial.replace(out_path)  # atomic: a reader never sees half a checkpoint
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TranscriptionError(f"{out_path}: cannot write the checkpoint ({exc})") from exc
    return out_path


def main(argv: list[str] | None = None) -> int:
    """Command line: convert MODEL_DIR (with model.bin) into an openai-whisper OUT.pt."""
    parser = argparse.ArgumentParser(prog="python -m simulator.stt.convert", description=__doc__)
    parser.add_argument("model_dir", type=Path, help="folder holding a CTranslate2 model.bin")
    parser.add_argument("out", type=Path, help="checkpoint file to write (.pt)")
    args = parser.parse_args(argv)
    try:
        path = convert(args.model_dir, args.out)
    except TranscriptionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
