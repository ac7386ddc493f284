"""Reports, history, export and cohort, made from a real demo session and opened in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.cli import roleplay
from support.shared import in_ci

from simulator.report.bundle import HandInError, read_hand_in
from simulator.report.history import verdict
from simulator.report.session_page import session_html
from simulator.session_log import parse_session_log, read_session_log

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files",
)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one real demo session (recorded replies, real Whisper, real scoring)."""
    root = tmp_path_factory.mktemp("sessions")
    result = roleplay("demo", "--persona", "en-angry-caller", "--out", str(root))
    assert result.returncode == 0, result.stderr
    return root


def only_session(root: Path) -> Path:
    """The one session folder under ``root``."""
    (folder,) = [p for p in root.iterdir() if (p / "session.jsonl").is_file()]
    return folder


class Collect(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the element."""
        self.elements.append((tag, dict(attrs)))


def elements(html_text: str) -> list[tuple[str, dict[str, str | None]]]:
    """Parse a page into (tag, attributes) pairs."""
    parser = Collect()
    parser.feed(html_text)
    return parser.elements


def test_demo_ends_by_printing_a_private_report(sessions: Path) -> None:
    """The demo's last lines name report.html in the session folder, readable by the user only."""
    folder = only_session(sessions)
    report = folder / "report.html"
    assert report.is_file()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    links = [v for _, attrs in elements(report.read_text(encoding="utf-8"))
             for k, v in attrs.items() if k in ("src", "href", "xlink:href") and v]
    assert links and not [v for v in links if ":" in v.split("#")[0]]  # nothing to fetch


def test_every_figure_on_the_report_equals_the_log(sessions: Path) -> None:
    """Scores, outcome, exchange count and MITI figures on the page are the log's own."""
    folder = only_session(sessions)
    log = read_session_log(folder)
    found = elements((folder / "report.html").read_text(encoding="utf-8"))
    scores = [(a["data-score"], a["data-value"]) for t, a in found if "data-score" in a]
    expected = []
    for record in log.exchanges:
        s = record.exchange.scores
        for name, value in (("listening", s.listening), ("empathy", s.empathy),
                            ("pacing", s.pacing)):
            expected.append((name, "" if value is None else str(value)))
    assert scores == expected
    outcome = next(a["data-outcome"] for _, a in found if "data-outcome" in a)
    assert log.end is not None and outcome == log.end.outcome
    count = next(a["data-exchanges"] for _, a in found if "data-exchanges" in a)
    assert count == str(len(log.exchanges))
    assert log.end.summary is not None
    measures = {a["data-measure"]: a["data-value"] for _, a in found if "data-measure" in a}
    for m in log.end.summary.measures:
        assert measures[m.name] == ("" if m.value is None else f"{m.value:.4f}")
    audio = [a["src"] for t, a in found if t == "audio"]
    assert len(audio) == 2 * len(log.exchanges)
    assert all((folder / str(src)).is_file() for src in audio)
    acts = [a["data-act"] for t, a in found if t == "mark"]
    assert acts == [act.kind for r in log.exchanges for act in r.exchange.scores.acts]


def test_untrusted_text_is_escaped(sessions: Path) -> None:
    """A transcript or persona text holding markup appears as text, never as markup."""
    folder = only_session(sessions)
    lines = (folder / "session.jsonl").read_text(encoding="utf-8").splitlines()
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    records = [json.loads(line) for line in lines]
    records[0]["persona_name"] = hostile
    records[1]["reply"]["text"] = hostile
    records[1]["acts"][0]["text"] = hostile
    page = session_html(folder, parse_session_log([json.dumps(r) for r in records]))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_history_names_a_trend_only_with_enough_sessions() -> None:
    """Three rising sessions are 'improving', falling 'getting worse', two give no verdict."""
    assert verdict([40, 50, 60]) == "improving"
    assert verdict([60, 50, 40]) == "getting worse"
    assert verdict([50, 50.5, 50]) == "steady"
    assert verdict([3, 1, 0], higher_is_better=False, scale=10) == "improving"
    assert verdict([40, 60]).startswith("not enough sessions")
    assert verdict([40, None, 60, None]).startswith("not enough sessions")


def copy_with_listening(src: Path, root: Path, day: int, listening: int) -> None:
    """A copy of a session dated 2026-01-<day> whose every listening score is ``listening``."""
    folder = root / f"2026010{day}-120000-en-angry-caller-00000{day}"
    folder.mkdir()
    out = []
    for line in (src / "session.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["session_id"] = folder.name
        if record["type"] == "start":
            record["started"] = f"2026-01-0{day}T12:00:00+00:00"
        if record["type"] == "exchange":
            record["scores"]["listening"] = listening
        out.append(json.dumps(record))
    (folder / "session.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")


def test_a_log_in_an_unknown_language_is_one_clear_error(sessions: Path, tmp_path: Path) -> None:
    """A session log whose language has no pack gets no report drawn against English bands."""
    src = only_session(sessions)
    folder = tmp_path / src.name
    folder.mkdir()
    lines = []
    for line in (src / "session.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["type"] == "start":
            record["language"] = "de"
        lines.append(json.dumps(record))
    (folder / "session.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = roleplay("report", str(folder), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "unknown language 'de'; known languages: en, fi, nl" in result.stderr
    assert not (folder / "report.html").exists()


def test_history_table_and_page_follow_the_sessions(sessions: Path, tmp_path: Path) -> None:
    """`history` lists each session and calls rising listening scores an improvement."""
    src = only_session(sessions)
    for day, listening in ((1, 30), (2, 50), (3, 70)):
        copy_with_listening(src, tmp_path, day, listening)
    result = roleplay("history", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.search(r"Listening: improving", result.stdout)
    assert result.stdout.count("en-angry-caller") == 3
    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    found = elements(page)
    assert ("span", {"class": "verdict", "data-trend": "Listening"}) in found
    assert next(a for _, a in found if "data-sessions" in a)["data-sessions"] == "3"
    table = page[page.index('data-table="sessions"'):]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")])]
    logs = [read_session_log(f) for f in sorted(tmp_path.iterdir()) if f.is_dir()]
    for row, log, listening in zip(rows[1:] if not rows[0] else rows, logs, (30, 50, 70),
                                   strict=True):
        empathy = sum(r.exchange.scores.empathy for r in log.exchanges) / len(log.exchanges)
        assert row[1] == "en-angry-caller" and row[3] == str(len(log.exchanges))
        assert row[4] == str(listening) and row[5] == f"{empathy:.0f}"
    only_new = roleplay("history", "--out", str(tmp_path), "--since", "2026-01-02")
    assert only_new.stdout.count("en-angry-caller") == 2


def test_export_leaves_out_the_voice_unless_asked(sessions: Path, tmp_path: Path) -> None:
    """An export holds the log and report; recordings only with --with-audio."""
    folder = only_session(sessions)
    plain = roleplay("export", str(folder), "--to", str(tmp_path), "--trainee", "Sam")
    assert plain.returncode == 0, plain.stderr
    zip_path = Path(plain.stdout.strip())
    assert stat.S_IMODE(zip_path.stat().st_mode) == 0o600
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
    assert {"manifest.json", "session.jsonl", "report.html"} <= names
    assert not any(n.endswith(".wav") for n in names)
    (tmp_path / "audio").mkdir()
    voiced = roleplay("export", str(folder), "--to", str(tmp_path / "audio"), "--trainee", "Sam",
                      "--with-audio")
    with zipfile.ZipFile(voiced.stdout.strip()) as zf:
        assert any(n.endswith("-reply.wav") for n in zf.namelist())


def hostile_zips(folder: Path) -> list[Path]:
    """Hand-ins a cohort reader must refuse: traversal names, no log, a bomb, bad JSON."""
    made = []
    cases: dict[str, dict[str, bytes]] = {
        "slip.zip": {"../../evil.txt": b"x", "manifest.json": b"{}"},
        "nolog.zip": {"manifest.json": json.dumps({"trainee": "X"}).encode()},
        "bomb.zip": {"manifest.json": b" " * 50_000_000},
        "badjson.zip": {"manifest.json": b"{nope", "session.jsonl": b"{}"},
    }
    for name, members in cases.items():
        path = folder / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for member, data in members.items():
                zf.writestr(member, data)
        made.append(path)
    (folder / "notazip.zip").write_bytes(b"this is not a zip")
    made.append(folder / "notazip.zip")
    return made


def test_cohort_reads_hand_ins_and_refuses_hostile_ones(sessions: Path, tmp_path: Path) -> None:
    """Good exports make one row per trainee and persona; hostile ones are named and skipped."""
    folder = only_session(sessions)
    hand_ins = tmp_path / "in"
    hand_ins.mkdir()
    for who in ("Sam", "Ana"):
        roleplay("export", str(folder), "--to", str(hand_ins / f"{who}.zip"), "--trainee", who)
    for path in hostile_zips(hand_ins):
        with pytest.raises(HandInError):
            read_hand_in(path)
    result = roleplay("cohort", str(hand_ins), "--to", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "2 hand-in(s) read, 5 skipped" in result.stderr
    assert not (tmp_path / "evil.txt").exists() and not (REPO.parent / "evil.txt").exists()
    rows = (tmp_path / "out" / "cohort.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("trainee,persona") and len(rows) == 3
    assert {r.split(",")[0] for r in rows[1:]} == {"Ana", "Sam"}


def chromium() -> str:
    """Path of the Chromium binary; skipped here if absent, a failure under CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if in_ci():
            pytest.fail("chromium is not installed (scripts/setup.sh test installs it)")
        pytest.skip("chromium is not installed (apt: chromium)")
    return path


def open_in_chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Load a page from file:// in headless Chromium with console logging on stderr."""
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", *extra, page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False, env=env)


def console_errors(stderr: str) -> list[str]:
    """Console errors and blocked loads Chromium logged for the page."""
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line]


def test_console_check_catches_a_broken_page(tmp_path: Path) -> None:
    """The console check itself sees a script error and a blocked network load."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    result = open_in_chromium(bad, tmp_path, "--dump-dom")
    assert console_errors(result.stderr), result.stderr[-2000:]


def test_pages_render_in_chromium_without_errors(sessions: Path, tmp_path: Path) -> None:
    """Report, history and cohort pages load from file:// with plots, audio and no console error."""
    folder = only_session(sessions)
    roleplay("history", "--out", str(sessions))
    roleplay("export", str(folder), "--to", str(tmp_path / "a.zip"), "--trainee", "Sam")
    roleplay("cohort", str(tmp_path / "a.zip"), "--to", str(tmp_path / "cohort"))
    log = read_session_log(folder)
    pages = {
        "report": folder / "report.html",
        "history": sessions / "history.html",
        "cohort": tmp_path / "cohort" / "cohort.html",
    }
    for name, page in pages.items():
        result = open_in_chromium(page, tmp_path / name, "--dump-dom")
        assert result.returncode == 0, result.stderr[-2000:]
        assert console_errors(result.stderr) == [], name
        dom = result.stdout
        if name == "report":
            assert dom.count("<audio") == 2 * len(log.exchanges)
            assert dom.count("<svg") >= 2  # the client's curve and pacing
        if name == "history":
            assert dom.count("<svg") >= 2
        if name == "cohort":
            assert "Sam" in dom
        shot = tmp_path / f"{name}.png"
        taken = open_in_chromium(page, tmp_path / f"{name}-shot", f"--screenshot={shot}",
                                 "--window-size=1100,1600", "--hide-scrollbars")
        assert taken.returncode == 0 and shot.stat().st_size > 10_000, taken.stderr[-2000:]
