"""Compare two live_e2e.py results as ratios (new / old): above 1 is slower or bigger.

    .venv/bin/python benchmarks/compare.py benchmarks/results/baseline.json \
        benchmarks/results/latest.json [--all] [--fail-above 1.3]

Only the summary figures are compared unless ``--all`` is given (then every exchange too).
With ``--fail-above R`` the command exits 1 when a CPU-seconds or memory figure grew more than
R times: those are steadier than wall times on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUMMARY = (
    "median_last_word_to_scores_s",
    "median_after_first_s",
    "median_cpu_wait_s",
    "first_client_line_s",
    "peak_rss_mb",
    "cpu_total_s",
    "wall_s",
    "cpu_s",
)
STEADY = ("cpu", "rss")  # figures that --fail-above checks


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, float]]:
    """Every number in a result, keyed by its path (``idle.practice.en.peak_rss_mb``)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value, 1):
            yield from flatten(inner, f"{prefix}[{index}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield prefix, float(value)


def load(path: Path) -> dict[str, Any]:
    """One result file, or exit with a one-line message saying what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"compare: {path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise SystemExit(f"compare: {path}: not a live_e2e.py result ({exc})") from None
    if not isinstance(data, dict) or "runs" not in data:
        raise SystemExit(f"compare: {path}: not a live_e2e.py result (no runs)")
    return data


def figures(path: Path, everything: bool) -> dict[str, float]:
    """The comparable figures of one result file."""
    data = load(path)
    found = dict(flatten(data.get("runs", {})))
    if everything:
        return found
    return {k: v for k, v in found.items() if k.rsplit(".", 1)[-1] in SUMMARY}


def describe(path: Path) -> str:
    """Commit, date and load average of a result file."""
    data = load(path)
    machine = data.get("machine", {})
    average = ", ".join(f"{x:.1f}" for x in data.get("load_before", []))
    commit, date = machine.get("commit", "?"), machine.get("date", "?")
    return f"{path.name}: commit {commit}, {date}, load average {average}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--all", action="store_true", help="every figure, not only summaries")
    parser.add_argument("--fail-above", type=float, default=None, metavar="RATIO")
    args = parser.parse_args()
    old, new = figures(args.old, args.all), figures(args.new, args.all)
    print(describe(args.old))
    print(describe(args.new))
    print(f"{'figure':58} {'old':>9} {'new':>9} {'new/old':>8}")
    worse = []
    for key in sorted(old.keys() & new.keys()):
        ratio = new[key] / old[key] if old[key] else float("inf") if new[key] else 1.0
        print(f"{key:58} {old[key]:9.3f} {new[key]:9.3f} {ratio:8.2f}")
        steady = any(word in key.rsplit(".", 1)[-1] for word in STEADY)
        if args.fail_above is not None and steady and ratio > args.fail_above:
            worse.append(key)
    for key in sorted(old.keys() ^ new.keys()):
        print(f"{key:58} only in {'old' if key in old else 'new'}")
    if worse:
        print(f"grew more than {args.fail_above}x: {', '.join(worse)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
