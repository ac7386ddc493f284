"""An echo gate: keep the client's own voice, heard back through the microphone, out of the VAD.

With loudspeakers the microphone hears the client's line; the end-pointer would take it for the
trainee talking over the client. The gate knows what is being played and when it sounds (on the
stream clock). For each microphone block it predicts the loudest echo possible (the reference's
peak energy over the last ``ECHO_WINDOW_S``, times the coupling learnt from earlier echo-only
blocks) and passes the block to the VAD only if it is clearly louder: the trainee's own voice.
Blocks that are only echo reach the VAD as silence. Pure numpy; the recording itself is kept.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from simulator.audio import WHISPER_RATE, Samples

ECHO_WINDOW_S = 0.6  # a played sample may come back this late: device latency plus room echo
HOP = 256  # samples between reference energy frames (16 ms at 16 kHz)
FRAME = 512  # samples per reference energy frame (32 ms)
MARGIN = 4.0  # energy ratio (6 dB) above the loudest expected echo that marks the trainee's voice
REF_LOUD = 1e-5  # mean-square energy (-50 dBFS); quieter reference frames make no audible echo
COUPLING_PERCENTILE = 90  # upper envelope of echo-to-reference energy ratios: the coupling
LEARN_BLOCKS = 12  # echo blocks (0.4 s) to learn from before any block may pass as the trainee
STEADY_BLOCKS = 30  # from this many on, a percentile (robust to stray voice) replaces the maximum
HISTORY = 200  # most recent echo blocks the coupling is learnt from (about 6 s)


class EchoGate:
    """Decides, block by block, whether microphone audio is more than the client's own echo."""

    def __init__(
        self, reference: Samples, sounds_at: float, earlier: EchoGate | None = None
    ) -> None:
        """``reference`` is the played line at 16 kHz; its first sample sounds at ``sounds_at``.

        ``earlier``, a gate for the start of the same line, hands over what it has learnt.
        """
        self.sounds_at = sounds_at
        self.length = len(reference)
        count = max(1, 1 + (len(reference) - FRAME) // HOP)
        self._energy = np.array(
            [np.mean(np.square(reference[i * HOP : i * HOP + FRAME])) for i in range(count)]
        )
        self._ratios: deque[float] = deque(
            earlier._ratios if earlier is not None else (), maxlen=HISTORY
        )
        self.until = sounds_at + len(reference) / WHISPER_RATE + ECHO_WINDOW_S

    def expected_peak(self, start: float, end: float) -> float:
        """The loudest reference energy that can be echoing between ``start`` and ``end``."""
        first = int(np.floor((start - ECHO_WINDOW_S - self.sounds_at) * WHISPER_RATE / HOP))
        last = int(np.ceil((end - self.sounds_at) * WHISPER_RATE / HOP))
        window = self._energy[max(0, first) : max(0, last + 1)]
        return float(window.max()) if len(window) else 0.0

    def passes(self, block: Samples, at: float) -> bool:
        """True if the block (16 kHz, first sample captured at ``at``) holds more than echo."""
        if len(block) == 0:
            return True
        expected = self.expected_peak(at, at + len(block) / WHISPER_RATE)
        if expected < REF_LOUD:
            return True
        ratio = float(np.mean(np.square(block))) / expected
        if len(self._ratios) >= LEARN_BLOCKS:
            steady = len(self._ratios) >= STEADY_BLOCKS
            coupling = (
                float(np.percentile(self._ratios, COUPLING_PERCENTILE))
                if steady
                else max(self._ratios)
            )
            if ratio > MARGIN * coupling:
                return True
        self._ratios.append(ratio)
        return False

    def filter(self, block: Samples, at: float) -> Samples:
        """The block itself if it holds the trainee's voice, else silence of the same length."""
        return block if self.passes(block, at) else np.zeros_like(block)
