"""Hand-ins: a session exported as a zip for an instructor, and a cohort read back from many.

An export holds ``manifest.json`` (who, which session, whether audio is included), the session
log and its report; recordings only when asked. Exports come back from trainees, so the cohort
reader treats every zip as hostile: sizes and member counts are capped, nothing is extracted
to disk, member names are never used as paths, and a bad hand-in is reported and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from simulator.errors import SimulatorError
from simulator.report.history import SessionFigures, session_figures, verdict
from simulator.report.page import esc, page, table
from simulator.report.session_page import session_html
from simulator.session_log import LOG_NAME, SessionLogError, parse_session_log, read_session_log
from simulator.storage import write_private

MANIFEST = "manifest.json"
EXPORT_VERSION = 1
MAX_MEMBERS = 200  # a session has at most a few dozen files
MAX_LOG_BYTES = 20_000_000  # far above any real session log
MAX_MANIFEST_BYTES = 10_000
MAX_ZIP_BYTES = 2_000_000_000  # on disk; audio makes exports large, nothing is unpacked


class HandInError(SimulatorError):
    """A handed-in export cannot be read."""


def export_session(folder: Path, dest: Path, *, trainee: str, with_audio: bool) -> Path:
    """Write a zip of the session in ``folder`` (0600) and return its path."""
    log = read_session_log(folder)
    manifest = {
        "export_version": EXPORT_VERSION,
        "trainee": trainee,
        "session_id": log.start.session_id,
        "persona": log.start.persona_id,
        "with_audio": with_audio,
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        zf.write(folder / LOG_NAME, LOG_NAME)
        zf.writestr("report.html", session_html(folder, log))
        if with_audio:
            for wav in sorted(folder.glob("*.wav")):
                zf.write(wav, wav.name, compress_type=zipfile.ZIP_STORED)
    path = dest / f"{log.start.session_id}.zip" if dest.is_dir() else dest
    write_private(path, buffer.getvalue())
    return path


@dataclass(frozen=True)
class HandIn:
    """One handed-in session: who handed it in and its figures."""

    trainee: str
    figures: SessionFigures


def _member(zf: zipfile.ZipFile, name: str, limit: int, where: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise HandInError(f"{where}: no {name} inside; is this a `roleplay export` zip?") from None
    if info.file_size > limit:
        raise HandInError(f"{where}: {name} is larger than {limit} bytes")
    with zf.open(info) as handle:
        data = handle.read(limit + 1)  # the header's size may lie; never read past the limit
    if len(data) > limit:
        raise HandInError(f"{where}: {name} is larger than {limit} bytes")
    return data


def read_hand_in(path: Path) -> HandIn:
    """Read one export (a zip, or a folder holding manifest.json and the session log)."""
    where = str(path)
    try:
        if path.is_dir():
            manifest_raw = (path / MANIFEST).read_bytes()[:MAX_MANIFEST_BYTES + 1]
            log_raw = (path / LOG_NAME).read_bytes()
        else:
            if path.stat().st_size > MAX_ZIP_BYTES:
                raise HandInError(f"{where}: larger than {MAX_ZIP_BYTES} bytes")
            with zipfile.ZipFile(path) as zf:
                if len(zf.infolist()) > MAX_MEMBERS:
                    raise HandInError(f"{where}: more than {MAX_MEMBERS} files inside")
                manifest_raw = _member(zf, MANIFEST, MAX_MANIFEST_BYTES, where)
                log_raw = _member(zf, LOG_NAME, MAX_LOG_BYTES, where)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise HandInError(f"{where}: not a readable export ({exc})") from exc
    try:
        manifest = json.loads(manifest_raw.decode("utf-8"))
        trainee = str(manifest["trainee"])[:200]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise HandInError(f"{where}: {MANIFEST} is damaged ({exc})") from exc
    try:
        log = parse_session_log(log_raw.decode("utf-8").splitlines(), where)
    except (UnicodeDecodeError, SessionLogError) as exc:
        raise HandInError(f"{where}: {exc}") from exc
    return HandIn(trainee, session_figures(log))


@dataclass(frozen=True)
class CohortRow:
    """One trainee with one persona: the latest and best figures and the trend."""

    trainee: str
    persona: str
    sessions: int
    latest_listening: float | None
    latest_empathy: float | None
    best_listening: float | None
    best_empathy: float | None
    trend: str
    last_session: str


def _best(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def cohort_rows(hand_ins: Sequence[HandIn]) -> list[CohortRow]:
    """Group hand-ins by trainee and persona, oldest session first within each group."""
    groups: dict[tuple[str, str], list[SessionFigures]] = {}
    for h in hand_ins:
        groups.setdefault((h.trainee, h.figures.persona), []).append(h.figures)
    rows = []
    for (trainee, persona), figs in sorted(groups.items()):
        figs.sort(key=lambda f: f.started)
        means = [None if f.listening is None or f.empathy is None
                 else (f.listening + f.empathy) / 2 for f in figs]
        rows.append(CohortRow(
            trainee, persona, len(figs), figs[-1].listening, figs[-1].empathy,
            _best([f.listening for f in figs]), _best([f.empathy for f in figs]),
            verdict(means), figs[-1].started))
    return rows


COHORT_HEADERS = ("trainee", "persona", "sessions", "latest listening", "latest empathy",
                  "best listening", "best empathy", "trend (listening and empathy)",
                  "last session")


def _cells(r: CohortRow) -> list[str]:
    def num(v: float | None) -> str:
        return "" if v is None else f"{v:.0f}"

    return [r.trainee, r.persona, str(r.sessions), num(r.latest_listening),
            num(r.latest_empathy), num(r.best_listening), num(r.best_empathy), r.trend,
            r.last_session[:10]]


def cohort_csv(rows: Sequence[CohortRow]) -> str:
    """The overview as CSV (one row per trainee and persona)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COHORT_HEADERS)
    for r in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
        writer.writerow([f"'{c}" if c[:1] in "=+-@" else c for c in _cells(r)])
    return out.getvalue()


def cohort_html(rows: Sequence[CohortRow], problems: Sequence[str]) -> str:
    """The overview as a page: one table, and the hand-ins that could not be read."""
    body = ["<h1>Cohort overview</h1>",
            f"<p class=\"muted\" data-rows=\"{len(rows)}\">{len(rows)} trainee-persona "
            "pair(s)</p>",
            table(COHORT_HEADERS, [[esc(c) for c in _cells(r)] for r in rows],
                  numeric={2, 3, 4, 5, 6}, attrs=" data-table=\"cohort\"")]
    if problems:
        body.append("<h2>Hand-ins that could not be read</h2><ul>"
                    + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
    return page("Cohort overview", "\n".join(body))
