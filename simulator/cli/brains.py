"""The client brain the commands use: the scripted brain with the shared sentence encoder."""

from __future__ import annotations

from simulator.brain import ScriptedBrain
from simulator.encoder import shared_encoder


def client_brain() -> ScriptedBrain:
    """The scripted brain, matching topics by their words and, failing that, by meaning."""
    return ScriptedBrain(shared_encoder())
