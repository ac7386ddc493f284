"""How far a reply's transcript can be trusted, and whether it is in the client's language.

Whisper says how sure it was: a probability per word, per segment the chance that there was no
speech and the compression ratio of the text (a ratio over 2.4 means a repetition loop, as in
"1, 2, 4, 4, 4, 4"). A transcript is unreliable when too many words are doubtful, when it loops,
or when the segments look like no speech; typed text is always reliable. The reply's language is
read from its words (the function words of each language's lexicon), so a reply in English to a
Finnish client is named as such whether it was typed or spoken; a language Whisper detected that
no language pack provides ("de") is named too, so it is never scored as the client's language
without a word.
"""

from __future__ import annotations

from simulator import language as languages
from simulator.scoring.text import lexicon, tokens
from simulator.types import Scores, Transcript, TranscriptCheck

DOUBTFUL_WORD = 0.5  # a word Whisper gave less than this probability
MAX_DOUBTFUL_SHARE = 0.2  # more doubtful words than this share: the transcript is unclear
MIN_MEAN_PROBABILITY = 0.6
MAX_COMPRESSION_RATIO = 2.4  # Whisper's own threshold for a repetition loop
MAX_NO_SPEECH = 0.6  # Whisper's own threshold, with a low average log-probability
MIN_AVG_LOGPROB = -1.0
LOOP_REPEATS = 3  # the same word or pair of words this many times in a row is a loop
MIN_LANGUAGE_WORDS = 3  # function words needed before the reply's language is judged
OTHER_LANGUAGE_FACTOR = 2.0  # another language's function words must outnumber this many times


def _loop(toks: tuple[str, ...]) -> tuple[str, ...]:
    """Words that repeat in a run ("4 4 4", "pun pun pun", "ja ja ja ja")."""
    looped: list[str] = []
    for size in (1, 2):
        for i in range(len(toks) - size * LOOP_REPEATS + 1):
            chunk = toks[i : i + size]
            if all(toks[i + k * size : i + (k + 1) * size] == chunk for k in range(LOOP_REPEATS)):
                looped.extend(chunk)
    return tuple(dict.fromkeys(looped))


def reply_language(text: str, expected: str) -> str | None:
    """The language the text is written in when it is clearly not ``expected``, else None."""
    toks = tokens(text)
    known = languages.codes()
    hits: dict[str, int] = {lang: sum(t in set(lexicon(lang).words("stopwords")) for t in toks)
            for lang in known}
    own = hits.get(expected, 0)
    best = max((lang for lang in known if lang != expected), key=lambda lang: hits[lang])
    if hits[best] >= MIN_LANGUAGE_WORDS and hits[best] > OTHER_LANGUAGE_FACTOR * own:
        return best
    return None


def _unsupported(reply: Transcript) -> str | None:
    """The reply's detected language when no language pack provides it ("de"), else None."""
    code = reply.language.strip().lower()
    return code if code and not languages.is_known(code) else None


def counts_in_summary(scores: Scores) -> bool:
    """Whether a scored reply belongs in the session summary: not when its words were unclear."""
    return scores.transcript is None or scores.transcript.reliable


def check_transcript(reply: Transcript, language: str) -> TranscriptCheck:
    """Whether the reply's words can be scored, which words are doubtful, and its language."""
    other = reply_language(reply.text, language) or _unsupported(reply)
    if not reply.words:
        return TranscriptCheck(reliable=True, other_language=other)
    reasons: list[str] = []
    probs = [w.probability for w in reply.words]
    doubtful = [w.text.strip(" ,.?!…") for w in reply.words if w.probability < DOUBTFUL_WORD]
    if len(doubtful) > MAX_DOUBTFUL_SHARE * len(probs):
        reasons.append(f"{len(doubtful)} of {len(probs)} words doubtful")
    mean = sum(probs) / len(probs)
    if mean < MIN_MEAN_PROBABILITY:
        reasons.append(f"mean word probability {mean:.2f}")
    looped = _loop(tokens(reply.text))
    if looped or (reply.compression_ratio or 0.0) > MAX_COMPRESSION_RATIO:
        reasons.append("repetition loop")
    if ((reply.no_speech_prob or 0.0) > MAX_NO_SPEECH
            and (reply.avg_logprob if reply.avg_logprob is not None else 0.0) < MIN_AVG_LOGPROB):
        reasons.append("little sign of speech")
    marked = tuple(dict.fromkeys(w for w in (*doubtful, *looped) if w))
    return TranscriptCheck(reliable=not reasons, doubtful=marked, reasons=tuple(reasons),
                           other_language=other)
