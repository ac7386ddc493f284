"""Dutch word rules: present stems of a verb, and an example said to "je" or to "u"."""

from __future__ import annotations

import re

from simulator.types import Address

FORMAL = frozenset({"u", "uw", "uzelf"})
INFORMAL = frozenset({"je", "jij", "jou", "jouw", "jezelf", "jullie"})
# Dutch verbs with "je" and with "u" when the subject follows them ("vind je" / "vindt u").
# Only verbs that rarely take "u" as their object are listed, so "het doet u verdriet" stays.
INVERTED = {
    "ben": "bent", "heb": "heeft", "kun": "kunt", "wil": "wilt", "zul": "zult", "zeg": "zegt",
    "vind": "vindt", "denk": "denkt", "hoop": "hoopt", "weet": "weet", "kijk": "kijkt",
    "red": "redt", "ga": "gaat", "mis": "mist", "bedoel": "bedoelt", "voel": "voelt",
    "merk": "merkt", "zie": "ziet", "verwacht": "verwacht", "probeer": "probeert",
    "sta": "staat", "kom": "komt", "wens": "wenst", "zit": "zit",
    "woon": "woont", "werk": "werkt", "twijfel": "twijfelt", "verwijt": "verwijt",
    "overweeg": "overweegt", "durf": "durft", "wacht": "wacht", "draag": "draagt",
    "zorg": "zorgt", "sla": "slaat", "krijg": "krijgt", "moet": "moet", "zou": "zou",
    "had": "had", "schrik": "schrikt", "leef": "leeft", "regel": "regelt", "houd": "houdt",
    "zet": "zet", "hoef": "hoeft", "hoor": "hoort", "begrijp": "begrijpt", "snap": "snapt",
    "ken": "kent", "blijf": "blijft", "lees": "leest",
    "was": "was", "kon": "kon", "wilde": "wilde", "deed": "deed",
}
_TO_U_VERB = dict(INVERTED)
_TO_JE_VERB = {u: je for je, u in INVERTED.items()}


def nl_stems(infinitive: str) -> set[str]:
    """Possible present stems of a Dutch infinitive: bellen -> bel, lopen -> loop, leven -> leef."""
    base = infinitive[:-2]
    found = {base}
    if len(base) > 2 and base[-1] == base[-2]:
        found.add(base[:-1])
    if len(base) > 2 and base[-2] in "aeou" and base[-3] not in "aeiou":
        found.add(base[:-1] + base[-2] + base[-1])
    devoiced = {s[:-1] + {"z": "s", "v": "f"}[s[-1]] for s in found if s[-1:] in ("z", "v")}
    return found | devoiced


def _cased(pattern: str, repl: str, text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        out = m.expand(repl)
        return out[:1].upper() + out[1:] if m.group(0)[:1].isupper() else out

    return re.sub(pattern, sub, text, flags=re.IGNORECASE)


def to_address(text: str, address: Address) -> str:
    """A Dutch example said to "je" or "u" (written in either).

    Written with "u": "vindt u" -> "vind je", "u heeft" -> "je hebt", "uw" -> "je", "zich"
    -> "je". Written with "je", possessives must be "jouw" (-> "uw"), so every "je" is the
    person: "vind je" -> "vindt u", "je voelt je" -> "u voelt zich".
    """
    if address == "informal":
        # "zich" is "je" only next to "u" ("u voelt zich", "redt u zich"), not "alles stapelt zich".
        out = _cased(r"\b(u [a-z]+|[a-z]+ u) zich\b", r"\1 je", text)
        out = _cased(r"\bu heeft\b", "je hebt", out)
        out = _cased(r"\buzelf\b", "jezelf", out)
        out = re.sub(r"\b([A-Za-z]+) u\b", lambda m: _verb(m, _TO_JE_VERB, "je"), out)
        out = _cased(r"\buw\b", "je", out)
        return _cased(r"\bu\b", "je", out)
    out = _cased(r"\bje hebt\b", "u heeft", text)
    out = re.sub(r"\b([A-Za-z]+) je je\b", lambda m: _verb(m, _TO_U_VERB, "u zich"), out)
    out = re.sub(r"\b([A-Za-z]+) je\b", lambda m: _verb(m, _TO_U_VERB, "u"), out)
    out = re.sub(r"\b(u|je) ([a-z]+t) je\b", r"\1 \2 zich", out, flags=re.IGNORECASE)
    out = _cased(r"\bjouw\b", "uw", out)
    out = _cased(r"\bjezelf\b", "uzelf", out)
    out = _cased(r"\bjij\b", "u", out)
    out = _cased(r"\bjou\b", "u", out)
    return _cased(r"\bje\b", "u", out)


def _verb(m: re.Match[str], table: dict[str, str], pronoun: str) -> str:
    """A listed verb before the pronoun in the other form, or the words as they were."""
    verb = m.group(1)
    new = table.get(verb.lower())
    if new is None:
        return m.group(0)
    new = new[:1].upper() + new[1:] if verb[:1].isupper() else new
    return f"{new} {pronoun}"
