"""Word forms every language shares: the word pattern and dictionary forms (simplemma).

Kept beside the language packs, not in the scorer, so that a language's own morphology module
(``simulator/language/<code>/morphology.py``) can use lemmas without importing the scorer.
"""

from __future__ import annotations

import re
from functools import cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, StreamDictionaryFactory

from simulator import language as languages

TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)

# simplemma's default factory unpacks a language's whole dictionary into a dict (Finnish:
# about 400 MB). The stream factory keeps the compressed-format bytes and decodes a block
# per lookup: the same dictionary and lemmas for a few MB.
_LEMMATIZER = Lemmatizer(
    lemmatization_strategy=DefaultStrategy(dictionary_factory=StreamDictionaryFactory())
)


@cache
def lemma(word: str, language: str) -> str:
    """Dictionary form of one word (simplemma, low-memory dictionary), lower-cased."""
    return str(_LEMMATIZER.lemmatize(word, lang=languages.get(language).code)).lower()


def lemma_cased(word: str, language: str) -> str:
    """Dictionary form of one word with the dictionary's own case (names keep a capital)."""
    return str(_LEMMATIZER.lemmatize(word, lang=languages.get(language).code))
