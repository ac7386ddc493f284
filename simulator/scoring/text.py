"""Text helpers shared by the scorers: lexicons, sentences, tokens, stems, syllables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

import snowballstemmer

from simulator import language as languages
from simulator.language.wordforms import TOKEN_RE as _TOKEN_RE
from simulator.language.wordforms import lemma as lemma
from simulator.language.wordforms import lemma_cased as lemma_cased

_SENTENCE_RE = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+|(?<=[.!?])(?=[A-ZÄÖÅ])|\n+")
_VOWELS = "aeiouyäöåéèëïü"


@dataclass(frozen=True)
class Lexicon:
    """One language's word lists, loaded from ``simulator/language/<lang>/words.yaml``."""

    language: str
    data: Mapping[str, Any] = field(hash=False, compare=False)

    def words(self, key: str) -> tuple[str, ...]:
        """Return the flat word or phrase list stored under ``key`` (empty if absent).

        Finnish phrases are given in standard forms ("en mä tiiä" reads "en minä tiedä"), as
        ``tokens`` gives them for a language.
        """
        return _lexicon_words(self, key)

    def section(self, key: str) -> Mapping[str, Any]:
        """Return the mapping stored under ``key`` (empty if absent)."""
        value = self.data.get(key, {})
        return cast(Mapping[str, Any], value)


@cache
def lexicon(language: str) -> Lexicon:
    """Load (once) the word lists for ``language``; UnknownLanguage if it has no pack."""
    pack = languages.get(language)
    return Lexicon(pack.code, pack.read_yaml("words.yaml"))


@cache
def feedback_texts(language: str) -> Mapping[str, Any]:
    """The feedback phrasing of one language (``simulator/language/<lang>/feedback.yaml``)."""
    return languages.get(language).read_yaml("feedback.yaml")


def norm_lang(language: str) -> str:
    """The registry's code for a language code such as ``en-GB`` or ``FI``; else UnknownLanguage."""
    return languages.get(language).code


def split_sentences(text: str) -> tuple[str, ...]:
    """Split a reply into sentences, keeping their end punctuation."""
    parts = (p.strip() for p in _SENTENCE_RE.split(text.strip()))
    return tuple(p for p in parts if p and _TOKEN_RE.search(p))


_STUTTER_RE = re.compile(r"\b([^\W_]+(?:['’][^\W_]+)?)(?:-\1\b)+", re.UNICODE)
# A false start that the next word completes: "wh-what", "w-where", "n-not".
_FALSE_START_RE = re.compile(r"\b([^\W\d_]{1,4})-(?=\1[^\W_])", re.UNICODE)


def tokens(text: str, language: str | None = None) -> tuple[str, ...]:
    """Lower-case word tokens; apostrophes normalised, stutters (you-you, wh-what) collapsed.

    With a ``language`` whose rules read spoken forms as standard (Finnish), they are.
    """
    low = _STUTTER_RE.sub(r"\1", text.lower())
    low = _STUTTER_RE.sub(r"\1", _FALSE_START_RE.sub("", low))
    toks = tuple(t.replace("’", "'") for t in _TOKEN_RE.findall(low))
    standard = None if language is None else languages.get(language).rules().standard_word
    if standard is None:
        return toks
    return tuple(w for t in toks for w in standard(t).split())


@cache
def _lexicon_words(lex: Lexicon, key: str) -> tuple[str, ...]:
    words = tuple(str(v).lower() for v in lex.data.get(key, ()))
    standard = languages.get(lex.language).rules().standard_word
    if standard is None or key == "spoken":
        return words
    return tuple(" ".join(standard(w) for w in phrase.split()) for phrase in words)


@cache
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(languages.get(language).stemmer)


@cache
def stem(word: str, language: str) -> str:
    """Snowball stem of one lower-case word."""
    return str(_stemmer(language).stemWord(word))


@dataclass(frozen=True)
class Form:
    """A word with its stem and lemma, so inflected forms can be matched."""

    word: str
    stem: str
    lemma: str

    def matches(self, other: Form) -> bool:
        """True when two forms share a lemma or stem, or one stem extends the other."""
        if self.lemma == other.lemma or self.stem == other.stem:
            return True
        short, long_ = sorted((self.stem, other.stem), key=len)
        return len(short) >= 4 and long_.startswith(short)


def forms(words: Iterable[str], language: str) -> tuple[Form, ...]:
    """Stem and lemmatise each token."""
    return tuple(Form(w, stem(w, language), lemma(w, language)) for w in words)


def content_forms(text: str, language: str) -> tuple[Form, ...]:
    """Forms of the content words of ``text`` (stop words and very short words dropped)."""
    stop = set(lexicon(language).words("stopwords"))
    kept = [t for t in tokens(text, language) if t not in stop and len(t) >= 3 and not t.isdigit()]
    return forms(kept, language)


def shared_forms(reply: Sequence[Form], source: Sequence[Form]) -> tuple[Form, ...]:
    """Forms of ``reply`` that match some form of ``source``, each reply word once."""
    seen: set[str] = set()
    out: list[Form] = []
    for f in reply:
        if f.word not in seen and any(f.matches(s) for s in source):
            seen.add(f.word)
            out.append(f)
    return tuple(out)


MAX_GAP = 4  # "~" in a phrase skips up to this many words (verb-final Dutch, Finnish)


def term_matches(term: str, toks: Sequence[str]) -> int:
    """Index where a lexicon phrase occurs in ``toks`` (-1 if absent).

    A phrase is space-separated words; a word ending in ``*`` matches any word it begins,
    and ``~`` matches up to MAX_GAP words ("had je ~ moeten" finds "had je eerder moeten").
    """
    parts = tuple(term.split())
    for i in _starts(parts, toks):
        if _match_from(parts, toks, i):
            return i
    return -1


def term_positions(term: str, toks: Sequence[str]) -> tuple[int, ...]:
    """Every index where a lexicon phrase begins in ``toks``."""
    parts = tuple(term.split())
    return tuple(i for i in _starts(parts, toks) if _match_from(parts, toks, i))


def _starts(parts: tuple[str, ...], toks: Sequence[str]) -> Iterable[int]:
    """Indexes where a phrase can begin: where its first word matches (all, for ``~`` or none)."""
    if not parts or parts[0] == "~":
        return range(len(toks))
    head = parts[0]
    if head.endswith("*"):
        prefix = head[:-1]
        return [i for i, t in enumerate(toks) if t.startswith(prefix)]
    return [i for i, t in enumerate(toks) if t == head]


def _match_from(parts: tuple[str, ...], toks: Sequence[str], i: int) -> bool:
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if head == "~":
        return any(_match_from(rest, toks, i + k) for k in range(MAX_GAP + 1))
    return i < len(toks) and _word_match(head, toks[i]) and _match_from(rest, toks, i + 1)


def _word_match(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def find_terms(terms: Iterable[str], toks: Sequence[str]) -> tuple[str, ...]:
    """The lexicon phrases that occur in ``toks``."""
    return tuple(t for t in terms if term_matches(t, toks) >= 0)


def starts_with(terms: Iterable[str], toks: Sequence[str]) -> str | None:
    """The first lexicon phrase that ``toks`` begins with, if any."""
    for t in terms:
        parts = t.split()
        if len(parts) <= len(toks) and all(
            _word_match(p, toks[j]) for j, p in enumerate(parts)
        ):
            return t
    return None


def syllables(word: str, language: str) -> int:
    """Approximate syllable count: vowel groups, by the language's rules (diphthongs, silent e)."""
    w = word.lower()
    rules = languages.get(language).rules()
    groups = re.findall(f"[{_VOWELS}]+", w)
    if not groups:
        return 1 if any(c.isalnum() for c in w) else 0
    count = 0
    for g in groups:
        count += rules.vowel_syllables(g) if rules.vowel_syllables else 1
    if rules.silent_ending:
        count = rules.silent_ending(w, count)
    return max(count, 1)
