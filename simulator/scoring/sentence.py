"""The rules that give one sentence its act, in a fixed order, from the language's word lists.

Phrase lists are looked up in the whole sentence; position rules (question words, imperatives,
reflection openers) look at the sentence after leading discourse words (so, okay, well; no,
niin; nou, dus) are stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from simulator.scoring.features import emotion_of, feeling_words, person, subject_person
from simulator.scoring.text import (
    Form,
    Lexicon,
    content_forms,
    find_terms,
    shared_forms,
    starts_with,
    term_matches,
    term_positions,
    tokens,
)
from simulator.types import ActKind

_NEGATION = frozenset({"not", "no", "don't", "dunno", "ei", "en", "niet", "geen", "weet"})
OTHER_MAX_WORDS = 8  # "Sorry, let me just close the door." is still small talk
SOCIAL_SLACK = 4  # words a greeting formula may carry besides itself ("Nice to meet you, Sarah")
SUMMARY_MIN_WORDS = 12
_CLAUSE_RE = re.compile(r"[,;:]|\s[-–—]+\s?|--+")
MIN_CLIENT_FORMS = 4  # content words the client needs before 'adds words' can mean complex
LONG_SUMMARY_WORDS = 30  # a reflection this long that takes up 4+ client words is a summary
FRAGMENT_CONTENT_WORDS = 2  # a short statement naming this many things reflects, not chats


@dataclass(frozen=True)
class ClientContext:
    """What the classifier knows about the client's line."""

    forms: tuple[Form, ...]
    feelings: tuple[str, ...]
    emotion: str | None
    toks: tuple[str, ...] = ()  # the client's words, to tell a reflected "I need to" from advice


@dataclass(frozen=True)
class Sentence:
    """One sentence as the rules see it."""

    text: str
    toks: tuple[str, ...]  # every word
    core: tuple[str, ...]  # without leading discourse words
    n1: int  # first-person markers
    n2: int  # second-person markers
    is_question: bool

    def has(self, lex: Lexicon, key: str) -> tuple[str, ...]:
        """Phrases of list ``key`` found anywhere in the sentence."""
        return find_terms(lex.words(key), self.toks)

    def opens(self, lex: Lexicon, key: str) -> bool:
        """True when the sentence (after discourse words) begins with a phrase of ``key``."""
        return starts_with(lex.words(key), self.core) is not None


def strip_discourse(toks: tuple[str, ...], lex: Lexicon) -> tuple[str, ...]:
    """Drop leading discourse words (so, okay, well ...), longest phrases first."""
    terms = sorted(lex.words("discourse"), key=lambda t: -len(t.split()))
    while toks:
        hit = starts_with(terms, toks)
        if hit is None:
            break
        toks = toks[len(hit.split()):]
    return toks


def parse(text: str, lex: Lexicon) -> Sentence:
    """Tokenise a sentence and count its persons."""
    toks = tokens(text, lex.language)
    core = strip_discourse(toks, lex)
    n1, n2 = person(core, lex)
    return Sentence(text, toks, core, n1, n2, text.rstrip().endswith("?"))


# How a rule reached its act: a phrase of a word list ("lexicon"), the sentence's question form
# ("form"), or the weighing of content words, persons and length ("content"). The hybrid
# scorer lets the learned layer overrule "content" decisions; see docs/scoring.md.
Basis = Literal["lexicon", "form", "content"]


def classify_sentence(text: str, lex: Lexicon, ctx: ClientContext) -> ActKind:
    """The act of one sentence, given the client context."""
    return classify_traced(text, lex, ctx)[0]


def classify_traced(text: str, lex: Lexicon, ctx: ClientContext) -> tuple[ActKind, Basis]:
    """The act of one sentence and how the rules reached it."""
    s = parse(text, lex)
    if not s.core or " ".join(s.toks) in lex.words("encouragers"):
        return "encourager", "lexicon"
    if len(s.core) <= OTHER_MAX_WORDS and s.opens(lex, "other_phrases"):
        return "other", "lexicon"
    social = s.has(lex, "social")
    if social and len(s.core) - len(social[0].split()) <= SOCIAL_SLACK:
        return "other", "lexicon"
    evaluation = starts_with(lex.words("evaluations"), s.core)
    if evaluation and len(s.core) - len(evaluation.split()) <= SOCIAL_SLACK and s.n2 == 0:
        return "other", "lexicon"
    if not s.is_question and is_offer(s, lex):
        return "seeking_collaboration", "lexicon"
    harm = _harm(s, lex, ctx)
    if harm is not None:
        return harm, "lexicon"
    if s.opens(lex, "advice_questions") and not s.has(lex, "tell_verbs"):
        return "advice", "lexicon"
    marker = bool(s.has(lex, "reflection_markers"))
    if not s.is_question:
        if s.has(lex, "autonomy"):
            return "emphasizing_autonomy", "lexicon"
        if s.has(lex, "summary") and len(s.core) >= SUMMARY_MIN_WORDS and s.n2 > 0:
            return "summary", "lexicon"
    question = _question(s, lex, ctx, marker)
    if question is not None:
        return question, "form"
    return _statement(s, lex, ctx, marker)


def is_offer(s: Sentence, lex: Lexicon) -> bool:
    """A concrete offer or commitment the worker makes: the last metre, a boundary with an offer.

    "I don't know yet, but I'll check and ring you by Friday", "I can't lend you money, but I can
    help you apply", "I can ask my team leader to call you today": the worker partners with the
    client on a next step, so neither a deflection nor information. "I don't know" alone stays
    a deflection; an offer that also judges or advises is coded by that.
    """
    return bool(s.has(lex, "offers")) and not s.has(lex, "judgement") and not s.has(lex, "advice")


def _client_evaluation(judged: tuple[str, ...], s: Sentence, lex: Lexicon,
                       ctx: ClientContext) -> bool:
    """The evaluative words are the client's own, put in their mind: "You think it's ridiculous"."""
    return bool(s.has(lex, "attributions")) and all(
        term_matches(term, ctx.toks) >= 0 for term in judged)


def _harm(s: Sentence, lex: Lexicon, ctx: ClientContext) -> ActKind | None:
    """Deflection, self-disclosure, reassurance or judgement, if the sentence is one."""
    judged = s.has(lex, "judgement")
    if judged and not _client_evaluation(judged, s, lex, ctx):
        return "judgement"
    deflections = s.has(lex, "deflection")
    # "You're not sure" reflects the client; "I'm not sure" or "check online" deflects.
    if deflections and (s.n2 <= s.n1 or any(not _NEGATION & set(d.split()) for d in deflections)):
        return "deflection"
    if not s.is_question and (
        s.has(lex, "self_disclosure")
        or (subject_person(s.core, lex) == 1 and s.n2 == 0 and s.has(lex, "self_history"))
    ):
        return "self_disclosure"
    if s.has(lex, "reassurance"):
        return "reassurance"
    return None


def _question(s: Sentence, lex: Lexicon, ctx: ClientContext, marker: bool) -> ActKind | None:
    core = main_clause(s, lex) if s.is_question else s.core
    if s.opens(lex, "reflection_markers"):
        return None  # "What I'm hearing is ..." opens like a question but reflects
    opens = _open_start(core, lex, s.is_question)
    closed = _closed_start(core, lex)
    if not (s.is_question or opens or (closed and len(core) > 3 and s.n2 > 0)):
        return None
    if s.has(lex, "collaboration"):
        return "seeking_collaboration"
    if opens or closed:
        return "open_question" if is_open(core, s, lex) else "closed_question"
    if len(s.core) <= 2 and not marker:
        return "open_question"  # "Yeah?" "And then?"
    # A statement said with a rising voice ("So you feel let down?") reflects.
    if marker:
        return None
    shared = shared_forms(content_forms(s.text, lex.language), ctx.forms)
    if s.n2 > 0 and len(shared) >= 2:
        return None
    return "closed_question"


def main_clause(s: Sentence, lex: Lexicon) -> tuple[str, ...]:
    """The clause that asks: "When you go out, do you drink?" asks after the comma.

    The last clause that opens with a question word wins, so a lead-in such as
    "Mike, if you don't mind me asking, what would you do?" is skipped, and so is a trailing
    opinion tag ("What else would help, do you think?" stays open).
    """
    clauses = [strip_discourse(tokens(c, lex.language), lex) for c in _CLAUSE_RE.split(s.text)]
    tags = set(lex.words("opinion_tags"))
    asking = [c for c in clauses if c and " ".join(c).strip(" ?") not in tags and (
        starts_with(lex.words("open_starts"), c) or _closed_start(c, lex))]
    if asking and (len(clauses) > 1):
        return asking[-1]
    return s.core


def _open_start(core: tuple[str, ...], lex: Lexicon, is_question: bool) -> bool:
    """An open question word opens the sentence (followed by a verb if there is no '?')."""
    hit = starts_with(lex.words("open_starts"), core)
    if hit is None:
        return False
    if is_question or len(hit.split()) > 1:
        return True
    return len(core) > 2 and core[1] in lex.words("question_aux")


def is_open(core: tuple[str, ...], s: Sentence, lex: Lexicon) -> bool:
    """Whether the asking clause ``core`` invites a wide range of answers (MITI: open).

    A question word opens it, unless the word asks for a fact ("how many", "where") and not
    for a view ("Where do you think we should go from here?" is open).
    A yes/no form addressed to the client that asks them to tell, describe or share their
    thoughts is open too ("Can you tell me more?", "Have you given any thought to it?").
    """
    if s.toks and s.toks[-1] in lex.words("open_tails"):
        return True  # "Do you have any questions for me, or?" leaves the answer open
    if starts_with(lex.words("open_starts"), core):
        return starts_with(lex.words("closed_wh"), core) is None or bool(
            starts_with(lex.words("wh_opinion"), core)
        )
    invites = s.has(lex, "tell_verbs") or s.has(lex, "invitations")
    return bool(invites) and _addressed(core, lex)


def _addressed(core: tuple[str, ...], lex: Lexicon) -> bool:
    """A yes/no question whose subject is the client ("can you …", "voisitko …", "kun je …")."""
    if len(core) < 2:
        return False
    if lex.language == "fi" and core[0].endswith(("tko", "tkö", "tkos", "tkös")):
        return True
    return person(core[:2] if lex.language == "fi" else core[1:2], lex)[1] > 0


def _closed_start(core: tuple[str, ...], lex: Lexicon) -> bool:
    if not core:
        return False
    if starts_with(lex.words("closed_starts"), core) is not None:
        return True
    suffixes = lex.words("closed_suffixes")
    return any(len(t) > 3 and t.endswith(s) for t in core[:2] for s in suffixes)


_TELLING: tuple[tuple[str, ActKind], ...] = (
    ("persuasion", "persuasion"),
    ("advice", "advice"),
    ("telling", "information"),
)


def _telling(s: Sentence, lex: Lexicon, ctx: ClientContext) -> ActKind | None:
    """Persuasion, advice or information: the sentence tells, whatever it opens with.

    A reflection opener covers only its own words: "It sounds like you drink a lot, and that's
    more than we recommend" informs, and "... you know what you need to do" advises, as MITI
    codes by what the sentence does. A directive the client said of themselves ("I need to
    stop" -> "You need to stop") or placed in the client's mind ("you feel you should")
    reflects.
    """
    opener = starts_with(lex.words("reflection_markers"), s.core)
    after = len(opener.split()) if opener else 0
    for key, kind in _TELLING:
        for term in lex.words(key):
            n = len(term.split())
            if any(
                i + n > after and not _reflected(term, i, s.core, lex, ctx)
                for i in term_positions(term, s.core)
            ):
                return kind
    if not opener and s.opens(lex, "advice_starts"):
        return "advice"
    return None


def _reflected(term: str, at: int, core: tuple[str, ...], lex: Lexicon, ctx: ClientContext) -> bool:
    """Whether the directive ``term`` at ``at`` repeats the client's own words or mind."""
    if find_terms(lex.words("attributions"), core[:at]):
        return True
    mine = {v: k for k, v in reversed(tuple(lex.section("perspective").items()))}
    words = term.split()
    first = [mine.get(w, w) for w in words] + list(core[at + len(words) : at + len(words) + 1])
    return first[: len(words)] != words and bool(find_terms((" ".join(first),), ctx.toks))


def _statement(
    s: Sentence, lex: Lexicon, ctx: ClientContext, marker: bool
) -> tuple[ActKind, Basis]:
    telling = _telling(s, lex, ctx)
    if telling is not None:
        return telling, "lexicon"
    if not marker and s.has(lex, "collaboration"):
        return "seeking_collaboration", "lexicon"
    shared = shared_forms(content_forms(" ".join(s.core), lex.language), ctx.forms)
    feelings = feeling_words(s.toks, lex)
    affirming = bool(s.has(lex, "affirmation"))
    if s.n2 > 0 and not marker and affirming and not feelings:
        return "affirmation", "lexicon"
    info = bool(s.has(lex, "information_markers"))
    subject = subject_person(s.core, lex)
    points = (3 if marker else 0) + min(s.n2, 2) + (1 if subject == 2 else 0)
    points += min(len(shared), 2) + (1 if feelings else 0)
    fragment = len(s.core) <= 8 and not info and (s.n2 > 0 or len(shared) >= 2)
    points += 1 if (shared or s.n2 > 0) and fragment else 0
    if s.toks[0] in lex.words("reflective_leads") and s.n1 == 0:
        points += 2  # "So, an event at your house." sums up what the client said
    if s.n1 > s.n2 and not marker:
        points -= 2
    if subject == 1 and not starts_with(lex.words("first_person_reflection_ok"), s.core):
        points -= 2  # "I think you're wrong", "I'd hate to see you ...": the speaker's view
    if info and not marker:
        points -= 1
    if points >= 2:
        if len(s.core) >= LONG_SUMMARY_WORDS and len(shared) >= 4:
            return "summary", "content"
        return reflection_depth(s, lex, ctx, shared), "lexicon" if marker else "content"
    if affirming:
        return "affirmation", "lexicon"
    min_words = int(lex.data.get("information_min_words", 8))
    if len(s.core) >= min_words or info:
        return "information", "lexicon" if info else "content"
    content = content_forms(" ".join(s.core), lex.language)
    if ctx.emotion is not None and s.n1 == 0 and len(content) >= FRAGMENT_CONTENT_WORDS:
        return "simple_reflection", "content"  # "Inner harmony, health and security."
    return "other", "content"


def reflection_depth(
    s: Sentence, lex: Lexicon, ctx: ClientContext, shared: tuple[Form, ...]
) -> ActKind:
    """Complex when the reflection adds feeling or meaning beyond the client's words."""
    named = feeling_words(s.toks, lex)
    known = {emotion_of(f, lex) for f in ctx.feelings}
    new_feelings = [f for f in named if emotion_of(f, lex) not in known]
    content = content_forms(" ".join(s.core), lex.language)
    added = len(content) - len(shared)
    if new_feelings or s.has(lex, "complex_markers"):
        return "complex_reflection"
    # Added words only show added meaning when the client said enough to compare with:
    # after a bare "Yeah." every word of a rephrase is new. (With no client turn at all,
    # emotion is None, added words still count.)
    short_client = ctx.emotion is not None and len(ctx.forms) < MIN_CLIENT_FORMS
    if added >= 3 and len(content) >= 4 and not short_client:
        return "complex_reflection"
    return "simple_reflection"
