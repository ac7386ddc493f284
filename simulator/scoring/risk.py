"""Safeguarding: a risk cue in the client's line, and whether the reply took it up and asked.

A cue is self-harm, suicide (said outright or indirectly: "everyone would be better off without
me", "I just want it all to stop"), harm to others or a child at risk, in the word lists of
``simulator/language/<lang>/risk.yaml``. When one is present the reply must ask about it
directly; a reply that moves on (to paperwork, to reassurance) has missed it, whatever else it
does well.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from simulator import language as languages
from simulator.scoring.text import find_terms, split_sentences, tokens
from simulator.types import ClientTurn, RiskCheck

# Most serious first: a line with several cues is checked for the first.
RISK_KINDS = ("suicide", "self_harm", "harm_others", "child")


@cache
def risk_texts(language: str) -> Mapping[str, Any]:
    """The risk word lists and prompts of one language (``language/<lang>/risk.yaml``)."""
    return languages.get(language).read_yaml("risk.yaml")


def _terms(data: Mapping[str, Any], key: str, kind: str | None = None) -> tuple[str, ...]:
    value = data.get(key, ())
    if kind is not None:
        value = value.get(kind, ())
    return tuple(str(v).lower() for v in value)


def risk_cue(client: ClientTurn) -> tuple[str, str] | None:
    """The kind of risk the client's line carries and the words that carry it, if any."""
    data = risk_texts(client.language)
    toks = tokens(client.text)
    for kind in RISK_KINDS:
        found = find_terms(_terms(data, "cues", kind), toks)
        if found:
            return kind, found[0]
    return None


def _asks(sentence: str, kind: str, data: Mapping[str, Any]) -> bool:
    toks = tokens(sentence)
    if not find_terms(_terms(data, "asks", kind), toks):
        return False
    return sentence.rstrip().endswith("?") or bool(find_terms(_terms(data, "ask_openers"), toks))


def check_risk(client: ClientTurn, reply_text: str) -> RiskCheck | None:
    """Whether the reply acknowledged and asked directly about the client's risk cue."""
    cue = risk_cue(client)
    if cue is None:
        return None
    kind, words = cue
    data = risk_texts(client.language)
    asked = next((s for s in split_sentences(reply_text) if _asks(s, kind, data)), "")
    heard = bool(find_terms(_terms(data, "acknowledges"), tokens(reply_text)))
    return RiskCheck(kind=kind, cue=words, acknowledged=heard or bool(asked), asked=asked)


def risk_prompt(check: RiskCheck, client: ClientTurn) -> str:
    """The fixed prompt for this kind of risk, in the client's language and form of address.

    Its example acknowledges, then asks ("Thank you for telling me. Are you having thoughts of
    ending your life?"). When the reply already took up what the client said, the prompt keeps
    only the question:
    "You took up what they said; now ask directly: “Are you having thoughts of ending your life?”"
    """
    data = risk_texts(client.language)
    formal = client.address == "formal"
    prompts = data.get("formal_prompts") if formal else None
    prompt = str((prompts or data["prompts"])[check.kind])
    if check.acknowledged:
        question = prompt.split(": ", 1)[1].replace("{ack} ", "")
        return str(data["acknowledged"]).format(question=question)
    ack = (data.get("formal_acknowledgement") if formal else None) or data["acknowledgement"]
    return prompt.replace("{ack}", str(ack))


def risk_praise(check: RiskCheck, client: ClientTurn) -> str:
    """Praise for asking directly, quoting the question."""
    return str(risk_texts(client.language)["praise"]).format(quote=check.asked)
