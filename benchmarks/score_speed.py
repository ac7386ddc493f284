"""Time to score one typed reply, rules alone against the hybrid scorer, and peak memory.

Run: .venv/bin/python benchmarks/score_speed.py [--runs 3]

Each scorer runs in its own fresh subprocess (so the peak memory, VmHWM, is its own): it scores
the team's held-out test-set replies in all three languages against their client lines, once
to warm up, then ``--runs`` times, and reports the median and 90th percentile per reply plus
the time of the first reply (word lists, encoder and heads loading). The hybrid's figures are
also given as a ratio to the rules measured in the same go.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _items() -> list[dict[str, Any]]:
    out = []
    for lang in ("en", "fi", "nl"):
        path = REPO / "benchmarks" / "testset" / f"{lang}_holdout.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [{**item, "lang": lang} for item in data["items"]]
    return out


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(scorer: str, runs: int) -> None:
    """Score every item ``runs`` times; print one JSON line of timings."""
    from simulator.feedback import give_feedback
    from simulator.scoring import score_exchange
    from simulator.types import ClientTurn, EmotionalState, Transcript

    encoder = None
    if scorer == "hybrid":
        from simulator.encoder import shared_encoder

        encoder = shared_encoder()
    items = _items()
    pairs = [(ClientTurn(i["client"], EmotionalState(i.get("emotion", "calm"), 0.7), (), i["lang"]),
              Transcript.from_text(i["reply"], i["lang"])) for i in items]
    t0 = time.perf_counter()
    give_feedback(pairs[0][0], score_exchange(*pairs[0], encoder=encoder))
    first = time.perf_counter() - t0
    times: list[float] = []
    for _ in range(runs):
        for client, reply in pairs:
            t = time.perf_counter()
            give_feedback(client, score_exchange(client, reply, encoder=encoder))
            times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"scorer": scorer, "first_s": first, "n": len(times),
                      "median_ms": 1000 * statistics.median(times),
                      "p90_ms": 1000 * times[int(0.9 * (len(times) - 1))],
                      "peak_mb": _peak_mb()}))


def main() -> int:
    """Run both scorers in subprocesses and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worker", choices=("rules", "hybrid"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.runs)
        return 0
    rows = {}
    for scorer in ("rules", "hybrid"):
        env = {"OMP_NUM_THREADS": "1"}
        done = subprocess.run([sys.executable, __file__, "--worker", scorer, "--runs",
                               str(args.runs)], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, **env})
        rows[scorer] = json.loads(done.stdout.strip().splitlines()[-1])
    print("| scorer | replies timed | first reply (s) | median (ms) | p90 (ms) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for scorer, r in rows.items():
        print(f"| {scorer} | {r['n']} | {r['first_s']:.2f} | {r['median_ms']:.1f} | "
              f"{r['p90_ms']:.1f} | {r['peak_mb']:.0f} |")
    ratio = rows["hybrid"]["median_ms"] / max(rows["rules"]["median_ms"], 1e-9)
    print(f"\nhybrid / rules, median per reply: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
