"""Core data passed forward through the loop: small frozen dataclasses, standard library only.

Times are float seconds named ``start`` / ``end``, as in Whisper's word timings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Language = Literal["en", "fi", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "fi", "nl")

# The act vocabulary of ../shared/PRACTICE.md (MITI 4.2.1 + open/closed split + anti-patterns).
ActKind = Literal[
    "open_question",
    "closed_question",
    "simple_reflection",
    "complex_reflection",
    "summary",
    "affirmation",
    "encourager",
    "seeking_collaboration",
    "emphasizing_autonomy",
    "information",
    "advice",
    "persuasion",
    "judgement",
    "reassurance",
    "self_disclosure",
    "deflection",
    "other",
]
ACT_KINDS: tuple[ActKind, ...] = ActKind.__args__  # type: ignore[attr-defined]
# The act categories, defined here once and imported wherever acts are grouped.
# Harmful acts (MITI 4.2.1 "MI-non-adherent" plus the anti-patterns of PRACTICE.md), most
# harmful first: the first one found in a reply is the feedback's first correction.
HARMFUL_ACTS: tuple[ActKind, ...] = (
    "judgement",
    "deflection",
    "persuasion",
    "reassurance",
    "advice",
    "self_disclosure",
)
HARMFUL: frozenset[ActKind] = frozenset(HARMFUL_ACTS)
REFLECTIONS: frozenset[ActKind] = frozenset({"simple_reflection", "complex_reflection", "summary"})
# Reflections that add meaning rather than repeat the client's words (MITI complex reflections).
DEEP_REFLECTIONS: frozenset[ActKind] = frozenset({"complex_reflection", "summary"})
QUESTIONS: frozenset[ActKind] = frozenset({"open_question", "closed_question"})

# How the trainee addresses the client in Dutch: informal "je" or formal "u".
Address = Literal["informal", "formal"]

Emotion = Literal[
    "calm",
    "angry",
    "anxious",
    "sad",
    "distrustful",
    "hopeful",
    "relieved",
    "ashamed",
    "guilty",
    "defensive",
    "overwhelmed",
    "hopeless",
    "confused",
]
EMOTIONS: tuple[Emotion, ...] = Emotion.__args__  # type: ignore[attr-defined]



@dataclass(frozen=True)
class Word:
    """One recognised word with its timing in seconds from the start of the reply audio."""

    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Transcript:
    """What the trainee said: words with timings (empty for typed text), full text, duration."""

    words: tuple[Word, ...]
    text: str
    language: str
    duration: float
    # What Whisper said about its own certainty (None for typed text): the detected language's
    # probability, and over the segments the highest no-speech probability, the highest
    # compression ratio (over 2.4: a repetition loop) and the lowest average log-probability.
    language_probability: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    avg_logprob: float | None = None
    decode_passes: int = 1  # times Whisper decoded the busiest window (2 after a fallback)

    def certainty(self) -> dict[str, float | None]:
        """Whisper's certainty fields by name, to carry over to a transcript built from this."""
        return {
            "language_probability": self.language_probability,
            "no_speech_prob": self.no_speech_prob,
            "compression_ratio": self.compression_ratio,
            "avg_logprob": self.avg_logprob,
        }

    @classmethod
    def from_text(cls, text: str, language: str) -> Transcript:
        """Wrap typed text as a transcript without timings (pacing cannot be scored)."""
        return cls(words=(), text=text.strip(), language=language, duration=0.0)


def _least(values: list[float | None], highest: bool) -> float | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return max(known) if highest else min(known)


def joined_certainty(parts: list[Transcript]) -> dict[str, float | None]:
    """The least certain of each field over transcripts joined into one (stretches of a reply)."""
    return {
        "language_probability": _least([p.language_probability for p in parts], highest=False),
        "no_speech_prob": _least([p.no_speech_prob for p in parts], highest=True),
        "compression_ratio": _least([p.compression_ratio for p in parts], highest=True),
        "avg_logprob": _least([p.avg_logprob for p in parts], highest=False),
    }


@dataclass(frozen=True)
class EmotionalState:
    """The client's inner state: emotion, intensity 0-1, trust 0-1 and disclosure stage."""

    emotion: Emotion
    intensity: float
    trust: float = 0.5
    stage: int = 0


@dataclass(frozen=True)
class ClientTurn:
    """One line the client says, the state it is said in and the cues a listener should catch."""

    text: str
    state: EmotionalState
    cues: tuple[str, ...] = ()
    language: Language = "en"
    address: Address = "informal"
    # Example replies an instructor wrote for this line: (move, examples) pairs, e.g.
    # ("reflection", ("It sounds like the letter scared you.",)); the feedback uses them first.
    examples: tuple[tuple[str, tuple[str, ...]], ...] = ()
    topics: tuple[str, ...] = ()  # the persona's topics this line answers
    raised: tuple[str, ...] = ()  # the topics the trainee's previous reply raised


# Which part of the hybrid scorer chose an act: the word-list rules, the learned heads on the
# sentence embedding, or both agreeing (see docs/scoring.md, "The hybrid scorer").
DecidedBy = Literal["rule", "model", "rule+model"]


@dataclass(frozen=True)
class Act:
    """What one sentence (or minimal encourager) of the reply does, with its timing if known.

    ``confidence`` is the calibrated probability (0-1) that ``kind`` is right, as measured on
    held-out labelled replies; ``decided_by`` says which part of the scorer chose it.
    """

    kind: ActKind
    text: str
    start: float | None = None
    end: float | None = None
    confidence: float = 1.0
    decided_by: DecidedBy = "rule"


# What a piece of evidence says, as a stable machine code (the feedback chooses by it; the
# ``reason`` beside it is the human text and may be reworded). docs/scoring.md lists them.
EvidenceCode = Literal[
    # listening
    "cues_picked_up",  # took up some or all of the client's cues
    "cues_none",  # took up none of them
    "heard_summary",  # the listening act itself: a summary, reflection, open question, ...
    "heard_complex_reflection",
    "heard_simple_reflection",
    "heard_open_question",
    "heard_encourager",
    "closed_stacked",  # two or more closed questions in one reply
    "dismissed_deflection",  # a reply that closes down what the client said
    "dismissed_judgement",
    "dismissed_reassurance",
    "subject_changed",  # moved away from what the client said
    "advice_first",  # advice before any sign of having heard
    "talk_long",  # far more words than the client
    "talked_over",  # started before the client had finished
    # empathy (EPITOME reaction, interpretation, exploration; harms)
    "feeling_named",  # named the client's own feeling
    "feeling_other",  # named a feeling, not the client's
    "hardship_acknowledged",  # "that sounds hard"
    "meaning_understood",  # complex reflection or summary
    "reflection_simple",
    "question_personal",  # open question about the client's experience
    "question_open",
    "affirmation",
    "harm_judgement",
    "harm_deflection",
    "harm_persuasion",
    "harm_advice",
    "harm_reassurance",
    "harm_self_disclosure",
    "advice_solicited",  # advice the client asked for, given early
    # listening and empathy: risk and language
    "risk_asked",
    "risk_acknowledged",  # took up a risk cue without asking about it directly
    "risk_missed",
    "other_language",
    # pacing
    "rate_fast",
    "rate_slow",
    "rate_ok",
    "pauses_long",
    "fillers",
    "latency_slow",
    "latency_quick",  # answered a distressed client at once
    "latency_ok",
    "turn_long",  # spoke far longer than the client
    # read from a session log written before evidence carried a code
    "unrecorded",
]
EVIDENCE_CODES: tuple[EvidenceCode, ...] = EvidenceCode.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Evidence:
    """Why a score moved: which score, by how many points, the reason and the words or timing.

    ``code`` says what the evidence is for a program; ``reason`` says it for a person.
    """

    score: Literal["listening", "empathy", "pacing"]
    points: float
    reason: str
    quote: str = ""
    code: EvidenceCode = field(kw_only=True)


@dataclass(frozen=True)
class PacingMetrics:
    """Timing measures of a spoken reply, all over speech time (pauses excluded)."""

    wpm: float
    syllables_per_second: float
    response_latency_s: float | None
    long_pauses: tuple[tuple[float, float], ...]
    fillers_per_100_words: float
    speech_time_s: float
    word_count: int
    reply_to_client_ratio: float | None = None
    fillers: tuple[str, ...] = ()  # the filler words and phrases heard, in order


@dataclass(frozen=True)
class RiskCheck:
    """A risk cue in the client's line and what the reply did with it."""

    kind: str  # suicide, self_harm, harm_others or child
    cue: str  # the client's words that carry it
    acknowledged: bool  # the reply took up what was said or said it was concerned
    asked: str = ""  # the reply's sentence that asked about the risk directly ("" if none)


@dataclass(frozen=True)
class TranscriptCheck:
    """How far the words of a reply can be trusted, and which language they seem to be in."""

    reliable: bool
    doubtful: tuple[str, ...] = ()  # words heard with low confidence or in a repetition loop
    reasons: tuple[str, ...] = ()
    other_language: str | None = None  # the reply's language when it is not the client's


@dataclass(frozen=True)
class Scores:
    """The three scores 0-100 (pacing None for typed text), the acts and the evidence for them."""

    listening: int
    empathy: int
    pacing: int | None
    acts: tuple[Act, ...]
    evidence: tuple[Evidence, ...] = ()
    pacing_metrics: PacingMetrics | None = None
    risk: RiskCheck | None = None  # set when the client's line carries a risk cue
    transcript: TranscriptCheck | None = None  # set for every scored reply
    # The harm head's calibrated probability that the reply as a whole is harmful (None when
    # scored by the rules alone). ``harm_flagged``: a harmful act, or this at the threshold.
    harm_probability: float | None = None
    harm_flagged: bool = False


@dataclass(frozen=True)
class Feedback:
    """Short, concrete feedback: at most one thing that worked and up to two things to try."""

    praise: str | None
    suggestions: tuple[str, ...]
    notice: str | None = None  # said first: an unclear transcript or a reply in another language


@dataclass(frozen=True)
class Exchange:
    """One full turn of the loop: the client's line, the trainee's reply, scores and feedback."""

    index: int
    client: ClientTurn
    reply: Transcript
    scores: Scores
    feedback: Feedback
    client_state_after: EmotionalState
    client_audio: str | None = None
    reply_audio: str | None = None
    response_latency_s: float | None = None
    client_stopped: bool = False  # the client stopped mid-line because the trainee talked over it

