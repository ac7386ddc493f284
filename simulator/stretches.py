"""Transcribing a reply while the trainee is still talking, one stretch of speech at a time.

The recorder follows the end-pointer's decisions with a ``StretchCutter``: when a pause inside the
reply has lasted ``pause_s`` (a breath between sentences), the speech before it is a closed
stretch and goes to a ``StretchTranscriber``, which transcribes it on a worker thread while the
trainee goes on. When the turn ends, usually only the last stretch is left, and often not even
that: the pause that ends a turn first closes its last stretch, ``end_silence_s - pause_s``
seconds before the end-pointer is sure the turn is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from simulator.audio import WHISPER_RATE, Audio, Samples, StretchSink, Transcriber
from simulator.errors import AudioError
from simulator.types import Transcript, Word, joined_certainty
from simulator.vad import Decision, Endpointer

PAUSE_S = 0.45  # silence inside a reply that closes a stretch (longer than a breath between words)
MIN_STRETCH_S = 1.5  # a shorter stretch joins the next one: Whisper guesses wildly on tiny clips
MIN_TAIL_S = 0.15  # speech after the last cut shorter than this is a breath, not a last stretch
# Fluent speech may run on with only short gaps between sentences (espeak-ng leaves 0.1-0.3 s),
# and then the whole reply was one stretch, transcribed only after the trainee stopped: 2 CPU-
# seconds of base on the trainee's wait for a 9 s reply. A stretch that has run this long closes
# at a shorter gap, so only its last part is left for the wait.
LONG_STRETCH_S = 3.0
SHORT_PAUSE_S = 0.2  # longer than the silence inside a word (a stop consonant: under 0.1 s)

@dataclass(frozen=True)
class Cut:
    """A closed stretch: its seconds into the recording, and its start in the reply (offset_s)."""

    start_s: float
    end_s: float
    offset_s: float

    def clip(self, recording: Samples) -> Audio:
        """The stretch's audio, cut from the 16 kHz recording it was found in."""
        first, last = round(self.start_s * WHISPER_RATE), round(self.end_s * WHISPER_RATE)
        return Audio(recording[first:last], WHISPER_RATE)


class StretchCutter:
    """Says when a stretch of the reply has closed, from the end-pointer's speech times.

    ``update`` takes the end-pointer's latest times (seconds into the recording): the confirmed
    start of the reply, the end of its latest speech, how much has been heard, and whether the
    turn is over. ``pre_roll_s`` and ``post_roll_s`` are the margins the recorder keeps around
    speech, so the stretches tile exactly the reply it returns.
    """

    def __init__(
        self,
        pre_roll_s: float,
        post_roll_s: float,
        pause_s: float = PAUSE_S,
        min_stretch_s: float = MIN_STRETCH_S,
        long_stretch_s: float = LONG_STRETCH_S,
        short_pause_s: float = SHORT_PAUSE_S,
    ) -> None:
        if pause_s < post_roll_s:
            raise ValueError("a stretch must close after its post-roll has been heard")
        self.pre_roll_s = pre_roll_s
        self.post_roll_s = post_roll_s
        self.pause_s = pause_s
        self.min_stretch_s = min_stretch_s
        self.long_stretch_s = long_stretch_s
        self.short_pause_s = short_pause_s
        self.reply_start_s: float | None = None  # where the returned reply begins
        self._next_s = 0.0  # where the next stretch begins
        self._covered_s = 0.0  # speech up to here is in a closed stretch

    def update(
        self, speech_start_s: float | None, speech_end_s: float | None, heard_s: float, final: bool
    ) -> Cut | None:
        """The stretch that closes now, if one does."""
        if speech_start_s is None or speech_end_s is None:
            return None
        if self.reply_start_s is None:
            self.reply_start_s = max(0.0, speech_start_s - self.pre_roll_s)
            self._next_s = self.reply_start_s
            self._covered_s = self.reply_start_s
        if speech_end_s - self._covered_s < MIN_TAIL_S:
            return None  # nothing new since the last cut
        end = min(speech_end_s + self.post_roll_s, heard_s)
        silence = heard_s - speech_end_s
        paused = silence >= self.pause_s and end - self._next_s >= self.min_stretch_s
        run_on = silence >= self.short_pause_s and end - self._next_s >= self.long_stretch_s
        if final or paused or run_on:
            cut = Cut(self._next_s, end, self._next_s - self.reply_start_s)
            self._next_s, self._covered_s = end, speech_end_s
            return cut
        return None


@dataclass(frozen=True)
class StretchTiming:
    """When one stretch was transcribed (``time.monotonic()`` seconds) and what it cost."""

    offset_s: float  # where the stretch starts in the reply
    audio_s: float  # its length
    submitted: float  # handed to the worker
    started: float  # the worker began transcribing it
    finished: float  # its transcript (or its failure) was ready
    decode_passes: int  # Whisper's decodes of its busiest window (2 after a fallback); 0 failed


class StretchTranscriber:
    """Transcribes stretches on one worker thread as they arrive and joins them into one reply.

    ``timings`` says, stretch by stretch, when each was transcribed and what it cost.
    """

    def __init__(self, transcriber: Transcriber, language: str | None) -> None:
        self._transcriber = transcriber
        self._language = language
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stretch")
        self._parts: list[tuple[float, Future[Transcript]]] = []
        self.timings: list[StretchTiming] = []

    def submit(self, audio: Audio, offset_s: float) -> None:
        """Start transcribing a stretch that begins ``offset_s`` seconds into the reply."""
        future = self._pool.submit(self._timed, audio, offset_s, time.monotonic())
        self._parts.append((offset_s, future))

    def result(self, reply: Audio) -> Transcript:
        """The whole reply's transcript: the stretches joined, or the reply itself if none came."""
        try:
            if not self._parts:
                return self._timed(reply, 0.0, time.monotonic())
            return self._join(reply)
        finally:
            self.close()

    def _timed(self, audio: Audio, offset_s: float, submitted: float) -> Transcript:
        """Transcribe one stretch, noting its timing whether it succeeds or not."""
        started = time.monotonic()
        passes = 0
        try:
            part = self._transcriber.transcribe(audio, self._language)
            passes = part.decode_passes
            return part
        finally:
            self.timings.append(
                StretchTiming(
                    offset_s=offset_s,
                    audio_s=audio.duration,
                    submitted=submitted,
                    started=started,
                    finished=time.monotonic(),
                    decode_passes=passes,
                )
            )

    def close(self) -> None:
        """Drop any stretch still waiting and let the worker thread end."""
        for _, future in self._parts:
            future.cancel()
        self._pool.shutdown(wait=False)

    def _join(self, reply: Audio) -> Transcript:
        words: list[Word] = []
        texts: list[str] = []
        heard: list[Transcript] = []
        language = self._language or ""
        passes = 1
        for offset, future in self._parts:
            try:
                part = future.result()
            except AudioError:
                continue  # a stretch with only a breath or a cough in it
            heard.append(part)
            language = part.language or language
            passes = max(passes, part.decode_passes)
            texts.append(part.text)
            words.extend(
                Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3), w.probability)
                for w in part.words
            )
        if not words:
            raise AudioError("no speech was recognised in the recording")
        return Transcript(
            words=tuple(words),
            text=" ".join(t for t in texts if t),
            language=language,
            duration=reply.duration,
            **joined_certainty(heard),
            decode_passes=passes,
        )


def feed_recording(
    samples: Samples,
    pointer: Endpointer,
    cutter: StretchCutter,
    on_stretch: StretchSink,
    block: int = 512,
    wait_until: Callable[[float], None] | None = None,
) -> Decision:
    """Feed a 16 kHz recording to the end-pointer block by block, as a microphone would.

    Each stretch the cutter closes goes to ``on_stretch`` with its start in the reply. With
    ``wait_until``, called with each block's end time in seconds, the feed keeps the pace of
    live speech (for benchmarks); without it, it runs as fast as it can.
    """
    decision = pointer.decision
    for offset in range(0, len(samples), block):
        chunk = samples[offset : offset + block]
        if wait_until is not None:
            wait_until((offset + len(chunk)) / WHISPER_RATE)
        decision = pointer.feed(chunk)
        _hand_over(samples, decision, decision.final, cutter, on_stretch)
        if decision.final:
            return decision
    _hand_over(samples, decision, True, cutter, on_stretch)  # the recording ended mid-turn
    return decision


def _hand_over(
    samples: Samples, decision: Decision, final: bool, cutter: StretchCutter, sink: StretchSink
) -> None:
    cut = cutter.update(decision.speech_start_s, decision.speech_end_s, decision.elapsed_s, final)
    if cut is not None:
        sink(cut.clip(samples), cut.offset_s)
