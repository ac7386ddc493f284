"""Helpers shared by the tests: real speech clips and the virtual PulseAudio devices."""
