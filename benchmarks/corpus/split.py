"""The corpus pipeline: blind copies for labellers, agreement and adjudication, the one split.

    python benchmarks/corpus/split.py blind         # written/ -> blind/ (no writer's intent)
    python benchmarks/corpus/split.py agree         # labels/a + labels/b -> agreement figures,
                                                    #   gold/disputed_<lang>.jsonl to adjudicate
    python benchmarks/corpus/split.py gold          # labels + gold/adjudicated_*.jsonl -> gold/
    python benchmarks/corpus/split.py split         # written + gold -> dev/ and test/, by line

The split is made once, by client line, from a seeded hash of the line id: a line's replies all
fall into one half, so near-miss twins (which share a client line) stay together.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("en", "fi", "nl")
SEED = "voice-roleplay-corpus-2026-11"  # fixed once; changing it would leak test lines into dev
SCORE_GAP = 25  # points between labellers' scores that make a disagreement

Record = dict[str, object]


def read_jsonl(path: Path) -> list[Record]:
    """The objects of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, records: Iterable[Record]) -> int:
    """Write objects one per line (UTF-8, readable ä/ö); return how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def blind(lang: str) -> None:
    """Copy the written exchanges without the writer's intended category."""
    keep = ("id", "lang", "line", "situation", "client_emotion", "client", "reply")
    rows = [{k: r[k] for k in keep} for r in read_jsonl(HERE / "written" / f"{lang}.jsonl")]
    print(f"{lang}: {write_jsonl(HERE / 'blind' / f'{lang}.jsonl', rows)} blind exchanges")


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's kappa of two labellers' nominal labels."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (ties share the mean rank), 1-based."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation."""
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def _labels(who: str, lang: str) -> dict[str, Record]:
    return {str(r["id"]): r for r in read_jsonl(HERE / "labels" / who / f"{lang}.jsonl")}


def _acts(r: Record) -> set[str]:
    alts = r.get("alternatives") or []
    assert isinstance(alts, list)
    return {str(r["main_act"]), *map(str, alts)}


def disputed(a: Record, b: Record) -> list[str]:
    """Why two labels disagree (empty when they agree closely enough)."""
    why = []
    if a["main_act"] != b["main_act"] and not (
        a["main_act"] in _acts(b) or b["main_act"] in _acts(a)
    ):
        why.append("main_act")
    if bool(a["harmful"]) != bool(b["harmful"]):
        why.append("harmful")
    for key in ("listening", "empathy"):
        if abs(float(str(a[key])) - float(str(b[key]))) > SCORE_GAP:
            why.append(key)
    return why


def agree(lang: str) -> None:
    """Agreement figures between labellers A and B; write the disputed exchanges."""
    la, lb = _labels("a", lang), _labels("b", lang)
    ids = sorted(set(la) & set(lb))
    missing = sorted(set(la) ^ set(lb))
    a = [la[i] for i in ids]
    b = [lb[i] for i in ids]
    k_act = cohen_kappa([r["main_act"] for r in a], [r["main_act"] for r in b])
    k_harm = cohen_kappa([bool(r["harmful"]) for r in a], [bool(r["harmful"]) for r in b])
    lenient = sum(x["main_act"] in _acts(y) or y["main_act"] in _acts(x)
                  for x, y in zip(a, b, strict=True)) / len(ids)
    rho = {k: spearman([float(str(r[k])) for r in a], [float(str(r[k])) for r in b])
           for k in ("listening", "empathy")}
    blind_rows = {str(r["id"]): r for r in read_jsonl(HERE / "blind" / f"{lang}.jsonl")}
    rows = []
    for x, y in zip(a, b, strict=True):
        why = disputed(x, y)
        if why:
            rows.append({**blind_rows[str(x["id"])], "why": why, "a": x, "b": y})
    write_jsonl(HERE / "gold" / f"disputed_{lang}.jsonl", rows)
    print(f"{lang}: n={len(ids)} (unmatched {len(missing)}); main act kappa {k_act:.3f}, "
          f"main act agreement accepting alternatives {lenient:.3f}; harm kappa {k_harm:.3f}; "
          f"Spearman listening {rho['listening']:.3f}, empathy {rho['empathy']:.3f}; "
          f"disputed {len(rows)}")


def gold(lang: str) -> None:
    """Gold: the adjudicator's label where disputed, else A's act and harm and the mean scores."""
    la, lb = _labels("a", lang), _labels("b", lang)
    adj_path = HERE / "gold" / f"adjudicated_{lang}.jsonl"
    adjudicated = {str(r["id"]): r for r in read_jsonl(adj_path)} if adj_path.exists() else {}
    out = []
    for i in sorted(set(la) & set(lb)):
        a, b = la[i], lb[i]
        if disputed(a, b) and i not in adjudicated:
            sys.exit(f"{lang}: {i} is disputed and not adjudicated")
        alts = sorted(_acts(a) | _acts(b))
        record: Record = {
            "id": i,
            "main_act": a["main_act"],
            "harmful": bool(a["harmful"]),
            "harm_kind": a.get("harm_kind"),
            "listening": round((float(str(a["listening"])) + float(str(b["listening"]))) / 2),
            "empathy": round((float(str(a["empathy"])) + float(str(b["empathy"]))) / 2),
            "adjudicated": False,
        }
        if i in adjudicated:
            record.update({k: v for k, v in adjudicated[i].items() if k != "id"})
            record["adjudicated"] = True
            alts = sorted(set(alts) | _acts(adjudicated[i]))
        record["alternatives"] = [x for x in alts if x != record["main_act"]]
        out.append(record)
    print(f"{lang}: {write_jsonl(HERE / 'gold' / f'{lang}.jsonl', out)} gold labels, "
          f"{len(adjudicated)} adjudicated")


def half_of(line: str) -> str:
    """'dev' or 'test' for a client line id, by a seeded hash (fixed once)."""
    digest = hashlib.sha256(f"{SEED}:{line}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def split(lang: str) -> None:
    """Write dev/ and test/ halves: each exchange with its gold labels, by client line."""
    labels = {str(r["id"]): r for r in read_jsonl(HERE / "gold" / f"{lang}.jsonl")}
    halves: dict[str, list[Record]] = {"dev": [], "test": []}
    for row in read_jsonl(HERE / "written" / f"{lang}.jsonl"):
        gold_row = labels.get(str(row["id"]))
        if gold_row is None:
            continue
        merged = {k: v for k, v in row.items() if k != "intent"}
        merged["gold"] = {k: v for k, v in gold_row.items() if k != "id"}
        merged["writer_intent"] = row["intent"]
        halves[half_of(str(row["line"]))].append(merged)
    for name, rows in halves.items():
        lines = len({r["line"] for r in rows})
        print(f"{lang} {name}: {write_jsonl(HERE / name / f'{lang}.jsonl', rows)} exchanges, "
              f"{lines} client lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("blind", "agree", "gold", "split"))
    parser.add_argument("--lang", choices=LANGS, action="append")
    args = parser.parse_args()
    step = {"blind": blind, "agree": agree, "gold": gold, "split": split}[args.step]
    for lang in args.lang or LANGS:
        step(lang)


if __name__ == "__main__":
    main()
