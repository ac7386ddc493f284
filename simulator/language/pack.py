"""What one language brings: a frozen record of its data, read by the registry.

Each language is a folder ``simulator/language/<code>/`` whose ``__init__.py`` defines
``PACK = LanguagePack(...)`` and which holds the language's data files (``words.yaml``,
``feedback.yaml``, ``risk.yaml``) and, if it needs word rules in code, a ``morphology.py``
whose ``RULES = WordRules(...)`` the scorer reaches through ``pack.rules()``.
docs/languages.md says how to add one.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, cast

DATA_FILES = ("words.yaml", "feedback.yaml", "risk.yaml")


@dataclass(frozen=True)
class LanguageTuning:
    """Per-language changes that make espeak-ng easier to understand (chosen by measurement).

    Applied on top of the emotion and the persona: the rate and pitch range are multiplied,
    ``word_gap`` adds silence between words (espeak's WORDGAP, in units of 10 ms), and a persona
    voice variant is swapped for the language's clearest variant of the same kind (male "m",
    female "f"). See benchmarks/README.md ("Client voice word error rate").
    """

    rate_scale: float = 1.0
    range_scale: float = 1.0
    word_gap: int = 0
    male: str | None = None
    female: str | None = None


@dataclass(frozen=True)
class WordRules:
    """A language's word rules in code; a rule left None leaves words as the word lists read them.

    ``standard_word`` gives a spoken form's standard form (possibly two words: Finnish "ootsä"
    -> "oletko sinä"); ``vowel_syllables`` counts the syllables of one run of vowels;
    ``silent_ending`` corrects a word's syllable count (English silent e); ``strip_clitic``
    takes a particle off a word; ``verb_person`` says 1 or 2 for a first- or second-person verb
    form; ``person_endings`` counts the first- and second-person endings of words that are not
    pronouns (given the pronoun sets).
    """

    standard_word: Callable[[str], str] | None = None
    vowel_syllables: Callable[[str], int] | None = None
    silent_ending: Callable[[str, int], int] | None = None
    strip_clitic: Callable[[str], str] | None = None
    verb_person: Callable[[str], int] | None = None
    person_endings: Callable[[tuple[str, ...], set[str], set[str]], tuple[int, int]] | None = None


NO_RULES = WordRules()


@dataclass(frozen=True)
class StarterSample:
    """The sample lines of ``roleplay personas new``: a starter persona written natively."""

    name: str
    situation: str
    open: str
    open2: str
    mid: str
    last: str
    resolution: str
    walk_out: str
    turn_limit: str
    good: str
    poor: str
    feeling: str  # the feeling word of ``mid``, used as the starter's cue


@dataclass(frozen=True)
class LanguagePack:
    """Everything language-specific that is data, for one language."""

    code: str  # ISO 639-1, as in persona files, --lang and session logs
    name: str  # the English name ("Finnish")
    own_name: str  # the language's own name ("suomi")
    stemmer: str  # the Snowball stemmer (snowballstemmer.algorithms())
    whisper_model: str  # the speech-recognition model used unless the user names another
    espeak_voice: str  # espeak-ng voice identifier ("urj/fi"; a bare "fi" is not a voice)
    yield_line: str  # what the client says when it stops because the trainee talked over it
    starter: StarterSample
    espeak_tuning: LanguageTuning | None = None  # None: espeak-ng as it comes
    piper_voice: str | None = None  # the Python package holding a Piper voice, if any
    yield_line_formal: str | None = None  # the yield line to a client addressed formally

    @property
    def package(self) -> str:
        """The Python package (and folder) that holds this language's data files."""
        return f"simulator.language.{self.code}"

    def data_file(self, name: str) -> Traversable:
        """One of the language's data files, e.g. ``words.yaml``."""
        return resources.files(self.package).joinpath(name)

    def read_yaml(self, name: str) -> Mapping[str, Any]:
        """The parsed contents of one of the language's YAML files (read once)."""
        return _read_yaml(self.package, name)

    def rules(self) -> WordRules:
        """The ``RULES`` of the language's ``morphology.py``; none if it has no such module.

        Imported on first use, so listing the languages (for ``--help``) loads no lemmatiser.
        """
        return _rules(self.package)


@cache
def _rules(package: str) -> WordRules:
    name = f"{package}.morphology"
    if importlib.util.find_spec(name) is None:
        return NO_RULES
    rules = getattr(importlib.import_module(name), "RULES", NO_RULES)
    if not isinstance(rules, WordRules):
        raise TypeError(f"{name}.RULES must be a WordRules")
    return rules


@cache
def _read_yaml(package: str, name: str) -> Mapping[str, Any]:
    import yaml  # here, so that listing the languages (for --help) stays quick

    raw = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return cast(Mapping[str, Any], yaml.safe_load(raw))
