"""A seeded random sample of the example phrasings the feedback suggests, for a fluent reviewer.

Run: .venv/bin/python benchmarks/review_sample.py --lang fi --n 60 --seed 10
     (writes benchmarks/review/sample_fi.md and .jsonl; --out names another stem)

Every line of every persona of the language (said in its stage's emotion and trust) is answered
with every trainee reply of ``benchmarks/review/replies.yaml`` (good, mediocre and harmful), each
reply is scored and given feedback as in a session, and every suggestion that carries an example
("Try: “…”") is collected, each wording once (with the first line and reply that drew it). The
items are sorted and ``--n`` of them drawn with ``--seed``, so the same code and replies give
the same sample. How a reviewer rates the sample is in docs/review-protocol.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulator import language as languages  # noqa: E402
from simulator.dialogue import cues_of  # noqa: E402
from simulator.feedback import give_feedback  # noqa: E402
from simulator.persona import Persona, list_personas  # noqa: E402
from simulator.scoring import score_exchange  # noqa: E402
from simulator.scoring.text import feedback_texts  # noqa: E402
from simulator.types import ClientTurn, EmotionalState, Transcript  # noqa: E402

REVIEW_DIR = REPO / "benchmarks" / "review"
REPLIES = REVIEW_DIR / "replies.yaml"
# The example closes a suggestion, quoted after a colon: “…” (en), ”…” (fi), ‘…’ (nl).
EXAMPLE_RE = re.compile(r"^(?P<heading>.*):\s*[“”‘„«\"](?P<example>.+)[”’»\"]\s*$", re.S)
QUESTION_RE = re.compile(r"[^.!?…]+[?]")
TRY_RE = re.compile(r"\s*(Try|Kokeile|Probeer)\s*$")


@dataclass(frozen=True)
class Item:
    """One example phrasing the tool suggested, with the line and reply that drew it."""

    persona: str
    client: str
    reply_kind: str
    reply: str
    heading: str
    example: str


def replies(language: str) -> list[tuple[str, str]]:
    """The (kind, text) trainee replies of the language, in file order."""
    data = yaml.safe_load(REPLIES.read_text(encoding="utf-8"))
    if language not in data:
        raise SystemExit(f"{REPLIES.relative_to(REPO)} has no replies for language {language!r}")
    return [(kind, str(text)) for kind, texts in data[language].items() for text in texts]


def client_turns(persona: Persona) -> list[ClientTurn]:
    """Every line of the persona, in its stage's emotion and trust at the starting intensity."""
    turns = []
    for index, stage in enumerate(persona.stages):
        state = EmotionalState(stage.emotion or persona.start.emotion, persona.start.intensity,
                               stage.trust, index)
        for line in stage.lines:
            turns.append(ClientTurn(line.text, state, cues_of(persona, line), persona.language,
                                    persona.address, tuple(line.examples.items())))
    return turns


def split_suggestion(text: str) -> tuple[str, str] | None:
    """(heading, example) of a suggestion with a quoted example, else None."""
    m = EXAMPLE_RE.match(text)
    if m is None:
        return None
    return TRY_RE.sub("", m.group("heading")).rstrip(" :"), m.group("example").strip()


def collect(language: str) -> list[Item]:
    """Each distinct example wording given to the replies on every line of the language."""
    seen: set[str] = set()
    items: list[Item] = []
    answers = replies(language)
    for persona in sorted(list_personas(), key=lambda p: p.id):
        if persona.language != language:
            continue
        for client in client_turns(persona):
            for kind, reply in answers:
                scores = score_exchange(client, Transcript.from_text(reply, language))
                for suggestion in give_feedback(client, scores).suggestions:
                    parts = split_suggestion(suggestion)
                    if parts is None or parts[1] in seen:
                        continue
                    seen.add(parts[1])
                    items.append(Item(persona.id, client.text, kind, reply, *parts))
    return items


def sample(items: list[Item], n: int, seed: int) -> list[Item]:
    """``n`` items drawn with ``seed`` from the sorted items (all of them if fewer)."""
    ordered = sorted(items, key=lambda i: (i.persona, i.client, i.heading, i.example, i.reply))
    return random.Random(seed).sample(ordered, min(n, len(ordered)))


def session_variety(language: str) -> tuple[float, int]:
    """Worst share of one open-question wording in a session, and the open questions counted.

    The wording is the example's last sentence, the question itself ("You said X. What has that
    been like for you?" counts as "What has that been like for you?").

    Only the suggestions that show an open question count. A session per persona: every line
    in order, answered with the replies of ``replies.yaml``
    in turn, all feedback in one session memory (as ``roleplay`` gives it).
    """
    answers = replies(language)
    templates = feedback_texts(language)["suggestions"].values()
    heads = tuple(t.split("{")[0][:30] for t in templates if "{open_question}" in t)
    worst, total = 0.0, 0
    for persona in sorted(list_personas(), key=lambda p: p.id):
        if persona.language != language:
            continue
        used: Counter[str] = Counter()
        asked: Counter[str] = Counter()
        for n, client in enumerate(client_turns(persona)):
            reply = Transcript.from_text(answers[n % len(answers)][1], language)
            feedback = give_feedback(client, score_exchange(client, reply), reply, used)
            for suggestion in feedback.suggestions:
                parts = split_suggestion(suggestion)
                if parts is not None and suggestion.startswith(heads):
                    asked[QUESTION_RE.findall(parts[1])[-1].strip()] += 1
        if asked:
            worst = max(worst, max(asked.values()) / sum(asked.values()))
            total += sum(asked.values())
    return worst, total


def markdown(language: str, chosen: list[Item], total: int, seed: int) -> str:
    """The sample as a numbered list with a blank rating line per item."""
    out = [
        f"# Review sample: {language}, {len(chosen)} of {total} distinct examples, seed {seed}",
        "",
        "Rate each example as in docs/review-protocol.md: grammar ok/error, naturalness",
        "natural/stilted, fit fits/doesn't.",
        "",
    ]
    for number, item in enumerate(chosen, 1):
        out += [
            f"## {number}. {item.persona}",
            "",
            f"- Client: {item.client}",
            f"- Trainee ({item.reply_kind}): {item.reply}",
            f"- Suggestion: {item.heading}",
            f"- **Example: {item.example}**",
            "- Rating: grammar ___ · naturalness ___ · fit ___ · note:",
            "",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Collect, sample and write the review list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True, choices=languages.codes())
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--out", help="output stem (default benchmarks/review/sample_<lang>)")
    parser.add_argument("--variety", action="store_true",
                        help="also report the most frequent open-question wording per session")
    args = parser.parse_args(argv)
    items = collect(args.lang)
    chosen = sample(items, args.n, args.seed)
    stem = Path(args.out) if args.out else REVIEW_DIR / f"sample_{args.lang}"
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".md").write_text(markdown(args.lang, chosen, len(items), args.seed) + "\n",
                                       encoding="utf-8")
    with stem.with_suffix(".jsonl").open("w", encoding="utf-8") as fh:
        for item in chosen:
            fh.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
    print(f"{args.lang}: {len(items)} distinct examples, {len(chosen)} sampled -> "
          f"{stem.with_suffix('.md')}")
    if args.variety:
        share, asked = session_variety(args.lang)
        print(f"{args.lang}: most frequent open-question wording in a session: {share:.0%} "
              f"(worst persona; {asked} open-question examples in all sessions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
