"""The one exception tree: every failure a trainee may see is a SimulatorError with a message."""


class SimulatorError(Exception):
    """Root of every error the program reports to the user in one line."""


class PersonaError(SimulatorError):
    """A persona file is missing, unreadable or invalid."""


class AudioError(SimulatorError):
    """Audio could not be read, written, played or recorded, or holds no usable speech."""


class NoAudioDeviceError(AudioError):
    """No microphone or speaker can be used (no sound server, no device, no PortAudio)."""


class TranscriptionError(SimulatorError):
    """Speech recognition failed or its model is missing."""


class SynthesisError(SimulatorError):
    """Text-to-speech failed."""


class StorageError(SimulatorError):
    """A session file could not be written (disk full, no permission)."""


class EncoderError(SimulatorError):
    """The sentence encoder could not be loaded or failed on its input."""


class UnknownLanguage(SimulatorError):
    """A language code that no language pack in ``simulator/language/`` provides."""
