"""Blind review of two samples of example phrasings: shuffle them together, then score the ratings.

    review_blind.py mix --lang fi --a after --b final --seed 11
        writes benchmarks/review/ratings/blind2_fi.md (for the reviewer, no labels) and
        blind2_fi.key.json (which sample and item each numbered example came from).
    review_blind.py score --lang fi --ratings RATINGS.jsonl
        reads the reviewer's ratings (one JSON line per numbered example:
        {"n": 7, "grammar": "ok"|"error", "naturalness": "natural"|"stilted",
         "fit": "fits"|"doesn't", "note": "..."}) and prints, per sample, the rates of
        docs/review-protocol.md with 95% Wilson intervals, and every negative note.

An example that both samples hold word for word is shown once and its rating counts for both.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

REVIEW = Path(__file__).resolve().parent / "review"
RATINGS = REVIEW / "ratings"
FIELDS = ("grammar", "naturalness", "fit")
GOOD = {"grammar": "ok", "naturalness": "natural", "fit": "fits"}


def read_sample(name: str, lang: str) -> list[dict[str, str]]:
    """The items of ``<name>_<lang>.jsonl`` in their listed order (item numbers from 1)."""
    path = REVIEW / f"{name}_{lang}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def mix(lang: str, a: str, b: str, seed: int, stem: str) -> tuple[Path, Path]:
    """Write the shuffled, unlabelled list and its key; return both paths."""
    shown: dict[str, dict[str, str]] = {}
    sources: dict[str, list[list[object]]] = {}
    for name in dict.fromkeys((a, b)):  # one sample may be reviewed alone (a == b)
        for number, item in enumerate(read_sample(name, lang), 1):
            shown.setdefault(item["example"], item)
            sources.setdefault(item["example"], []).append([name, number])
    order = sorted(shown)
    random.Random(seed).shuffle(order)
    parts = [f"# Review sample: {lang}, {len(order)} examples\n",
             "Rate each example as in docs/review-protocol.md.\n"]
    key = []
    for n, example in enumerate(order, 1):
        item = shown[example]
        parts.append(
            f"## {n}\n\n- Client: {item['client']}\n- Trainee: {item['reply']}\n"
            f"- Suggestion: {item['heading']}\n- **Example: {example}**\n"
        )
        key.append({"n": n, "from": sources[example]})
    md = RATINGS / f"{stem}_{lang}.md"
    md.write_text("\n".join(parts), encoding="utf-8")
    key_path = RATINGS / f"{stem}_{lang}.key.json"
    key_path.write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    return md, key_path


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of k successes in n trials."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def score(lang: str, ratings_path: Path, stem: str) -> str:
    """The rates per sample as a Markdown table, then the negative notes."""
    key = json.loads((RATINGS / f"{stem}_{lang}.key.json").read_text(encoding="utf-8"))
    rated = {int(r["n"]): r for r in map(json.loads, ratings_path.read_text().splitlines()) if r}
    missing = [k["n"] for k in key if k["n"] not in rated]
    if missing:
        raise SystemExit(f"no rating for examples {missing}")
    per: dict[str, list[dict[str, str]]] = {}
    for entry in key:
        for name, _ in entry["from"]:
            per.setdefault(name, []).append(rated[entry["n"]])
    lines = ["| sample | n | ungrammatical | natural | fitting | natural and fitting |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, rows in per.items():
        n = len(rows)
        bad = sum(r["grammar"] != "ok" for r in rows)
        nat = sum(r["naturalness"] == "natural" for r in rows)
        fit = sum(r["fit"] == "fits" for r in rows)
        both = sum(r["naturalness"] == "natural" and r["fit"] == "fits" for r in rows)
        cells = []
        for k in (bad, nat, fit, both):
            lo, hi = wilson(k, n)
            cells.append(f"{k} ({100 * k / n:.0f}%, {100 * lo:.0f}-{100 * hi:.0f}%)")
        lines.append(f"| {name} | {n} | " + " | ".join(cells) + " |")
    ordered = sorted(rated.values(), key=lambda r: int(r["n"]))
    notes = [f"- {r['n']}: {r.get('note', '')}" for r in ordered
             if any(r[f] != GOOD[f] for f in FIELDS)]
    return "\n".join([*lines, "", "Negative ratings:", *notes])


def main(argv: list[str] | None = None) -> int:
    """Mix two samples for a blind review, or score the ratings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mix")
    m.add_argument("--lang", required=True)
    m.add_argument("--a", default="after")
    m.add_argument("--b", default="final")
    m.add_argument("--seed", type=int, default=11)
    m.add_argument("--stem", default="blind2")
    s = sub.add_parser("score")
    s.add_argument("--lang", required=True)
    s.add_argument("--ratings", type=Path, required=True)
    s.add_argument("--stem", default="blind2")
    args = parser.parse_args(argv)
    if args.cmd == "mix":
        for path in mix(args.lang, args.a, args.b, args.seed, args.stem):
            print(path)
    else:
        print(score(args.lang, args.ratings, args.stem))
    return 0


if __name__ == "__main__":
    sys.exit(main())
