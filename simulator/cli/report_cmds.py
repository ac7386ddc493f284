"""`roleplay report`, `history`, `export`, `cohort`: practice seen alone, over time, as a group."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.cli.session_cmds import sessions_root
from simulator.cli.sessions import session_folders
from simulator.cli.textsafe import shown
from simulator.errors import SimulatorError
from simulator.progress import progress

if TYPE_CHECKING:
    from simulator.session_log import SessionLogData

# The log reader (and through it the scorer and numpy) and rich load when a command runs, so
# `roleplay --help` and `personas list` start fast (tests/test_startup.py).


def find_session(root: Path, which: str) -> Path:
    """A session folder by id, path or ``latest``."""
    as_path = Path(which)
    if which != "latest" and as_path.is_dir():
        return as_path
    folders = session_folders(root)
    if which == "latest":
        if not folders:
            raise SimulatorError(f"no sessions in {root}; run `roleplay demo` first")
        return max(folders, key=lambda f: (f / "session.jsonl").stat().st_mtime)
    for folder in folders:
        if folder.name == which:
            return folder
    raise SimulatorError(f"no session '{which}' in {root}; see `roleplay sessions list`")


def write_report(folder: Path) -> Path:
    """Read a session's log and write its report.html; return the report's path."""
    from simulator.report.session_page import write_session_report
    from simulator.session_log import read_session_log

    return write_session_report(folder, read_session_log(folder))


def _open(path: Path) -> None:
    import webbrowser  # it imports subprocess and shlex: only when a page is opened

    if not webbrowser.open(path.resolve().as_uri()):
        print("roleplay: no browser found; open the file above yourself", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report of one session and print its path."""
    folder = find_session(args.out or sessions_root(), args.session)
    path = write_report(folder)
    print(path)
    if args.open:
        _open(path)
    return 0


def _logs(root: Path, persona: str | None, since: date | None) -> list[SessionLogData]:
    from simulator.session_log import SessionLogError, read_session_log

    logs = []
    for folder in progress(session_folders(root), "reading sessions"):
        try:
            log = read_session_log(folder)
        except SessionLogError as exc:
            print(f"roleplay: skipped {folder.name}: {exc}", file=sys.stderr)
            continue
        if persona and log.start.persona_id != persona:
            continue
        if since and log.start.started[:10] < since.isoformat():
            continue
        logs.append(log)
    return sorted(logs, key=lambda log: log.start.started)


def cmd_history(args: argparse.Namespace) -> int:
    """Print every session as a table with trends, and write history.html beside them."""
    from rich.console import Console
    from rich.table import Table

    from simulator.report.history import (
        HISTORY_HEADERS,
        history_html,
        history_rows,
        session_figures,
        trends,
    )
    from simulator.storage import write_private

    root: Path = args.out or sessions_root()
    rows = [session_figures(log) for log in _logs(root, args.persona, args.since)]
    # Piped output is read by programs and people alike: wide enough never to wrap a cell.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    table = Table(*HISTORY_HEADERS, title=f"{len(rows)} session(s) in {root}", title_justify="left")
    for cells in history_rows(rows):
        table.add_row(*(shown(c) for c in cells))
    console.print(table)
    for label, verdict in trends(rows):
        console.print(f"  {label}: [bold]{shown(verdict)}[/bold]")
    if root.is_dir():
        path = root / "history.html"
        write_private(path, history_html(rows).encode("utf-8"))
        print(path)
        if args.open:
            _open(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Zip one session for handing in; recordings only with --with-audio."""
    from simulator.report.bundle import export_session

    folder = find_session(args.out or sessions_root(), args.session)
    dest: Path = args.to or Path.cwd()
    trainee = args.trainee or Path.home().name
    path = export_session(folder, dest, trainee=trainee, with_audio=args.with_audio)
    print(path)
    return 0


def cmd_cohort(args: argparse.Namespace) -> int:
    """Read handed-in exports and write cohort.html and cohort.csv."""
    from simulator.report.bundle import (
        HandInError,
        cohort_csv,
        cohort_html,
        cohort_rows,
        read_hand_in,
    )
    from simulator.storage import private_dir, write_private

    paths: list[Path] = []
    for given in args.folders:
        if given.is_dir() and not (given / "manifest.json").is_file():
            paths += sorted(p for p in given.iterdir() if p.suffix == ".zip" or p.is_dir())
        else:
            paths.append(given)
    hand_ins, problems = [], []
    for path in progress(paths, "reading hand-ins"):
        try:
            hand_ins.append(read_hand_in(path))
        except HandInError as exc:
            problems.append(str(exc))
            print(f"roleplay: skipped {exc}", file=sys.stderr)
    rows = cohort_rows(hand_ins)
    out: Path = args.to
    private_dir(out)
    write_private(out / "cohort.csv", cohort_csv(rows).encode("utf-8"))
    write_private(out / "cohort.html", cohort_html(rows, problems).encode("utf-8"))
    print(out / "cohort.html")
    print(out / "cohort.csv")
    print(f"{len(hand_ins)} hand-in(s) read, {len(problems)} skipped", file=sys.stderr)
    return 0 if hand_ins or not problems else 1


def _since(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report`, `history`, `export` and `cohort`."""
    out_help = "folder that keeps the sessions (default: your data folder)"
    p = sub.add_parser("report", help="write a session's HTML report (plays its recordings)")
    p.add_argument(
        "session", nargs="?", default="latest", help="session id or folder, or 'latest' (default)"
    )
    p.add_argument("--open", action="store_true", help="open the report in a browser")
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("history", help="every session with trends: are you improving?")
    p.add_argument("--persona", default=None, help="only sessions with this persona")
    p.add_argument("--since", type=_since, default=None, help="only sessions from this date on")
    p.add_argument("--open", action="store_true", help="open history.html in a browser")
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("export", help="zip a session to hand in to an instructor")
    p.add_argument(
        "session", nargs="?", default="latest", help="session id or folder, or 'latest' (default)"
    )
    p.add_argument(
        "--with-audio",
        action="store_true",
        help="include the recordings (your voice); left out unless asked",
    )
    p.add_argument(
        "--trainee",
        default=None,
        help="your name as the instructor should see it (default: your user name)",
    )
    p.add_argument(
        "--to",
        type=Path,
        default=None,
        help="folder or .zip path to write (default: the current folder)",
    )
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("cohort", help="instructors: one overview of handed-in exports")
    p.add_argument("folders", nargs="+", type=Path, help="export zips, or folders holding them")
    p.add_argument(
        "--to",
        type=Path,
        default=Path("cohort"),
        help="folder for cohort.html and cohort.csv (default ./cohort)",
    )
    p.set_defaults(func=cmd_cohort)
