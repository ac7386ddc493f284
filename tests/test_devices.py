"""Device listing, device choice, `roleplay devices` / `mic-check`, and a machine with no sound."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support.pulse import PulseHarness
from support.speech import RATE, espeak, join, silence, window_matches

from simulator.audio import Audio
from simulator.cli import main
from simulator.devices import LiveAudio, list_devices, probe_speaker_echo
from simulator.devices._portaudio import Port, Recorder, load_sounddevice, resampler, resolve
from simulator.errors import NoAudioDeviceError

REPO = Path(__file__).resolve().parent.parent
NO_DEVICE = "roleplay: No microphone or speaker found"


def test_list_devices_shows_a_default_microphone_and_speaker(pulse: PulseHarness) -> None:
    """The virtual server's devices are listed, with a default input and a default output."""
    devices = list_devices()
    assert any(d.is_default_input and d.max_input_channels > 0 for d in devices)
    assert any(d.is_default_output and d.max_output_channels > 0 for d in devices)


def test_devices_command_prints_a_table(
    pulse: PulseHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """`roleplay devices` prints every device with its number and marks the defaults."""
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    for device in list_devices():
        assert device.name in out
    assert "mic" in out and "speaker" in out


def test_devices_are_chosen_by_number_or_name(pulse: PulseHarness) -> None:
    """--input/--output accept a device number given as text or a part of the name."""
    default = next(d for d in list_devices() if d.is_default_input)
    with LiveAudio(input_device=str(default.index), output_device=default.name) as audio:
        assert audio.input_name == default.name
        assert audio.output_name == default.name


def test_unknown_device_name_is_one_clear_error(pulse: PulseHarness) -> None:
    """Asking for a microphone that does not exist names it in one line (the CLI adds a hint)."""
    with pytest.raises(NoAudioDeviceError, match="no-such-mic") as caught:
        LiveAudio(input_device="no-such-mic")
    assert "roleplay" not in str(caught.value)  # commands are the CLI's to suggest
    assert "\n" not in str(caught.value)


def test_a_48_khz_stereo_microphone_is_resampled_to_16_khz(pulse: PulseHarness) -> None:
    """A microphone run at 48 kHz in stereo still yields 16 kHz mono speech, intact and in order."""
    sd = load_sounddevice()
    default = resolve(sd, None, "input")
    line = espeak("The quick brown fox jumps over the lazy dog.")
    recorder = Recorder(sd, Port(default.index, default.name, 48_000, 2))
    try:
        time.sleep(0.3)  # let the stream start before the voice does
        pulse.play_into_mic(line, "stereo").wait(timeout=10)
        time.sleep(0.3)
    finally:
        recorder.close()
    resample = resampler(recorder.port.rate)
    blocks = []
    while not recorder.blocks.empty():
        blocks.append(resample(recorder.blocks.get()[0]))
    heard = np.concatenate(blocks)
    matches = window_matches(line.resampled(RATE).samples, heard)
    assert len(matches) >= 6
    scores = [score for score, _ in matches]
    assert min(scores) > 0.8
    assert np.median(scores) > 0.95
    lags = [lag for _, lag in matches]
    assert max(lags) - min(lags) <= 0.01 * RATE


def test_mic_check_hears_a_voice(pulse: PulseHarness, capsys: pytest.CaptureFixture[str]) -> None:
    """While someone speaks into the microphone, mic-check reports the level and no warning."""
    line = espeak("Testing, one, two, three. Can you hear me clearly now?")
    voice = Audio(join(line.samples, silence(0.3), line.samples), line.sample_rate)
    player = pulse.play_into_mic(voice, "mic-check")
    try:
        code = main(["mic-check", "--seconds", "3", "--speaker"])
    finally:
        player.terminate()
        player.wait(timeout=5)
    out = capsys.readouterr().out
    assert code == 0
    assert "dBFS" in out
    assert "sounds fine" in out
    assert "does not hear the speaker" in out


def test_speaker_echo_probe_finds_the_echo_and_its_level(pulse: PulseHarness) -> None:
    """With the speaker looped into the microphone 24 dB down, the probe finds it at that level."""
    assert not probe_speaker_echo().audible
    module = pulse.add_echo(40)  # 0.4 ** 3 in amplitude: about -24 dB
    try:
        echo = probe_speaker_echo()
    finally:
        pulse.remove_echo(module)
    assert echo.audible
    assert echo.level_db == pytest.approx(-24, abs=3)
    assert 0.0 < echo.delay_s < 0.3


def test_mic_check_warns_about_a_silent_microphone(
    pulse: PulseHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    """With nothing reaching the microphone, mic-check says it seems silent and exits non-zero."""
    assert main(["mic-check", "--seconds", "1"]) == 1
    assert "seems silent" in capsys.readouterr().out


def has_sound_card() -> bool:
    """True if the kernel lists a sound card (ALSA could reach it without any sound server)."""
    cards = Path("/proc/asound/cards")
    return cards.is_file() and "no soundcards" not in cards.read_text()


def run_without_sound_server(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the program with PulseAudio pointed at a socket that does not exist."""
    if has_sound_card():
        pytest.skip("this machine has a sound card, so 'no audio device at all' cannot be staged")
    env = {
        **os.environ,
        "PULSE_SERVER": f"unix:{tmp_path / 'no-server' / 'native'}",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PULSE_RUNTIME_PATH": str(tmp_path / "no-server"),
    }
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "command",
    [["devices"], ["mic-check"], ["practice", "--persona", "en-angry-caller"]],
    ids=["devices", "mic-check", "practice"],
)
def test_no_sound_server_gives_one_clear_line(tmp_path: Path, command: list[str]) -> None:
    """Without any audio server, the commands that need sound exit 1 with one line and a hint."""
    done = run_without_sound_server(tmp_path, "-m", "simulator", *command)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(NO_DEVICE)
    assert "roleplay demo" in lines[0]
    assert done.stdout == ""


def test_live_audio_fails_fast_without_a_sound_server(tmp_path: Path) -> None:
    """Constructing LiveAudio with no audio server raises AudioError before any session starts."""
    probe = (
        "from simulator.devices import LiveAudio\n"
        "from simulator.errors import AudioError\n"
        "try:\n    LiveAudio()\nexcept AudioError as exc:\n    print(exc)\n"
    )
    done = run_without_sound_server(tmp_path, "-c", probe)
    assert done.returncode == 0
    assert done.stdout.startswith("No microphone or speaker found")
