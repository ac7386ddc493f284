"""Shared fixtures: the private PulseAudio daemon with a virtual speaker and microphone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.pulse import PulseHarness, missing_tools

from simulator.audio import Transcriber


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseHarness]:
    """A running private PulseAudio daemon this process's PortAudio talks to; stopped afterwards."""
    missing = missing_tools()
    if "pulseaudio" in missing:
        pytest.skip("the pulseaudio binary is not installed (apt: pulseaudio pulseaudio-utils)")
    if missing:
        pytest.fail(f"PulseAudio is installed but not {', '.join(missing)} (apt: pulseaudio-utils)")
    harness = PulseHarness(tmp_path_factory.mktemp("pulse"))
    try:
        harness.start()
        harness.apply_env()
        yield harness
    finally:
        harness.stop()


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    """The real faster-whisper adapter with the bundled tiny.en model, loaded once."""
    from simulator.stt import make_transcriber

    return make_transcriber("faster-whisper", "tiny.en", "en")
