"""Shared by the AnnoMI tests: where the data lives and how a benchmark script is loaded."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from support.shared import shared_dir

REPO = Path(__file__).resolve().parents[2]


def load_benchmark(name: str) -> ModuleType:
    """Import ``benchmarks/<name>.py`` (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"{name}_bench", REPO / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def annomi_dir() -> Path:
    """Where AnnoMI lives: $VOICE_ROLEPLAY_SHARED/data/annomi or ../shared/data/annomi."""
    return shared_dir() / "data" / "annomi"
