"""The language registry: one pack per folder ``simulator/language/<code>/``.

``get(code)`` returns a language's ``LanguagePack`` (word lists, feedback texts, risk cues,
voice, model, yield line); an unknown code raises ``UnknownLanguage`` naming the known ones,
never a silent fallback. A code is matched without case and without a region ("en-GB" is en).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from simulator.errors import UnknownLanguage
from simulator.language.pack import (
    DATA_FILES,
    LanguagePack,
    LanguageTuning,
    StarterSample,
    WordRules,
)

__all__ = [
    "DATA_FILES",
    "LanguagePack",
    "LanguageTuning",
    "StarterSample",
    "UnknownLanguage",
    "WordRules",
    "codes",
    "get",
    "is_known",
    "packs",
]


@cache
def _registry() -> dict[str, LanguagePack]:
    """Every language folder's pack by code, in code order."""
    found: dict[str, LanguagePack] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        pack = importlib.import_module(f"{__name__}.{module.name}").PACK
        if not isinstance(pack, LanguagePack) or pack.code != module.name:
            raise TypeError(f"{__name__}.{module.name}.PACK must be a LanguagePack for that code")
        found[pack.code] = pack
    return found


def codes() -> tuple[str, ...]:
    """The codes of every language the program supports, sorted."""
    return tuple(_registry())


def packs() -> tuple[LanguagePack, ...]:
    """Every language pack, in code order."""
    return tuple(_registry().values())


def _base(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def is_known(code: str) -> bool:
    """Whether ``code`` (any case, with or without a region) names a supported language."""
    return _base(code) in _registry()


def get(code: str) -> LanguagePack:
    """The pack of a language; ``UnknownLanguage`` names the known codes if there is none."""
    pack = _registry().get(_base(code))
    if pack is None:
        raise UnknownLanguage(f"unknown language {code!r}; known languages: {', '.join(codes())}")
    return pack
