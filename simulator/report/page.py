"""The HTML shell every page shares: inline CSS for screen and print, escaping, small builders.

Pages are self-contained: no script, no font, no stylesheet or image from anywhere else, so a
report opens from ``file://`` with no network and prints to a clean handout. Every text that
comes from a log or a persona is escaped here; nothing user-written reaches the page raw.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

CSS = """
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee6; --bg: #fbfbfd; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0 auto; max-width: 62rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
.muted { color: var(--muted); } .small { font-size: .85rem; }
.facts { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; margin: .5rem 0 1rem; padding: 0; }
.facts li { list-style: none; } .facts b { font-weight: 600; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
        margin: 0 0 1rem; break-inside: avoid; }
.speaker { font-weight: 600; margin-right: .4rem; }
.line { margin: .25rem 0 .5rem; }
audio { height: 2rem; vertical-align: middle; max-width: 100%; }
.scores { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0; }
.score { border: 1px solid var(--line); border-radius: 6px; padding: .3rem .6rem; min-width: 9rem; }
.score .band { font-weight: 600; } .score .num { color: var(--muted); font-size: .85rem; }
.band-not_yet { border-left: 5px solid #c0392b; } .band-partly { border-left: 5px solid #e0a800; }
.band-well { border-left: 5px solid #4b9b5a; } .band-very_well { border-left: 5px solid #1f7a3a; }
mark.act { background: #eef3fa; border-bottom: 2px solid var(--accent); padding: 0 .1rem; }
mark.harm { background: #fdecea; border-bottom-color: #c0392b; }
mark.listen { background: #eaf6ee; border-bottom-color: #2e8b57; }
.actname { font-size: .72rem; color: var(--muted); vertical-align: super; margin-left: .1rem; }
ul.evidence { margin: .25rem 0; padding-left: 1.2rem; font-size: .85rem; }
.plus { color: #1f7a3a; } .minus { color: #a93226; }
.feedback { background: #f6f8fb; border-radius: 6px; padding: .5rem .8rem; margin-top: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; background: #fff; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; }
th { background: #f0f3f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: .5rem 0 1rem; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
.verdict { font-weight: 600; }
@media print {
  body { background: #fff; max-width: none; padding: 0; font-size: 11pt; }
  audio, .noprint { display: none; }
  .card { border-color: #999; }
  h2 { break-after: avoid; } figure, table { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: object) -> str:
    """Text from a log or a persona, safe inside an element or an attribute."""
    return html.escape(str(text), quote=True)


def page(title: str, body: str) -> str:
    """A whole self-contained HTML document."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        # No network: nothing may load from anywhere but this file and the files beside it.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:; media-src 'self' file:\">\n"
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n"
        "</html>\n"
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int] | None = None,
          attrs: str = "") -> str:
    """An HTML table; cells are given already escaped (so they may hold markup)."""
    numeric = numeric or set()
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=\"num\">{c}</td>" if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(svg: str, caption: str, name: str) -> str:
    """An inline SVG plot with its caption."""
    return (f"<figure data-plot=\"{esc(name)}\">{svg}"
            f"<figcaption>{esc(caption)}</figcaption></figure>")
