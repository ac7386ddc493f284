"""`roleplay sessions list|delete`: see and remove the recordings and transcripts you made."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from simulator.cli.session_cmds import sessions_root
from simulator.cli.textsafe import shown
from simulator.errors import SimulatorError

# The log reader (and through it the scorer) and rich are imported when a command runs.


def session_folders(root: Path) -> list[Path]:
    """Every session folder under ``root`` (a folder holding a session log), oldest first."""
    from simulator.session_log import LOG_NAME

    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / LOG_NAME).is_file())


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _row(folder: Path) -> dict[str, object]:
    """What the list shows of one session; a log it cannot read is shown with the reason."""
    from simulator.session_log import SessionLogError, read_session_log

    row: dict[str, object] = {"id": folder.name, "folder": str(folder), "bytes": _size(folder)}
    try:
        log = read_session_log(folder)
    except SessionLogError as exc:
        row.update(persona=None, started=None, exchanges=None, outcome=None, problem=str(exc))
        return row
    row.update(
        persona=log.start.persona_id,
        started=log.start.started,
        exchanges=len(log.exchanges),
        outcome=log.end.outcome if log.end else "unfinished",
        problem="; ".join(log.problems) or None,
    )
    return row


def cmd_list(args: argparse.Namespace) -> int:
    """Print every session kept under the data folder (or --out)."""
    root: Path = args.out or sessions_root()
    rows = [_row(f) for f in session_folders(root)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"no sessions in {root}")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "persona", "started", "exchanges", "outcome", "size")
    for r in rows:
        table.add_row(
            shown(str(r["id"])),
            shown(str(r["persona"] or "?")),
            str(r["started"] or "?"),
            str(r["exchanges"] if r["exchanges"] is not None else "?"),
            shown(str(r["outcome"] or r["problem"])),
            f"{int(str(r['bytes'])) / 1e6:.1f} MB",
        )
    Console(highlight=False).print(table)
    print(f"{len(rows)} session(s) in {root}", file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Remove one session folder, or all of them, with their recordings and transcripts."""
    root: Path = args.out or sessions_root()
    folders = session_folders(root)
    if args.all:
        chosen = folders
    else:
        if args.id is None:
            raise SimulatorError("give a session id (see `roleplay sessions list`) or --all")
        chosen = [f for f in folders if f.name == args.id]
        if not chosen:
            raise SimulatorError(f"no session '{args.id}' in {root}; see `roleplay sessions list`")
    for folder in chosen:
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            raise SimulatorError(f"{folder}: cannot delete ({exc.strerror})") from exc
        print(f"deleted {folder}")
    print(f"{len(chosen)} session(s) deleted", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sessions list` and `sessions delete`."""
    sessions = sub.add_parser("sessions", help="list or delete your recorded sessions")
    ssub = sessions.add_subparsers(
        dest="sessions_command", metavar="ACTION", required=True, help="what to do"
    )
    out_help = "folder that keeps the sessions (default: your data folder)"

    p = ssub.add_parser("list", help="every session kept, with persona, date and outcome")
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_list)

    p = ssub.add_parser("delete", help="delete a session's recordings and transcripts")
    p.add_argument("id", nargs="?", default=None, help="session id from `roleplay sessions list`")
    p.add_argument("--all", action="store_true", help="delete every session")
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.set_defaults(func=cmd_delete)
