"""Speakers and microphone through sounddevice; the only package that imports it.

``LiveAudio`` implements the ``AudioIO`` seam for live practice; ``list_devices`` and
``iter_levels`` serve `roleplay devices` and `roleplay mic-check`.
"""

from simulator.devices._portaudio import DeviceInfo, list_devices
from simulator.devices.levels import Level, SpeakerEcho, iter_levels, probe_speaker_echo
from simulator.devices.live import LiveAudio, NoSpeechError

__all__ = [
    "DeviceInfo",
    "Level",
    "LiveAudio",
    "NoSpeechError",
    "SpeakerEcho",
    "iter_levels",
    "list_devices",
    "probe_speaker_echo",
]
