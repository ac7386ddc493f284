"""`roleplay transcribe`, `roleplay score` and `roleplay models`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator import language as languages
from simulator.cli import options
from simulator.cli.textsafe import neutralise, shown
from simulator.errors import SimulatorError, UnknownLanguage
from simulator.types import EMOTIONS, ClientTurn, Emotion, EmotionalState, Transcript


def _transcribe(args: argparse.Namespace) -> int:
    from simulator.audio import read_audio
    from simulator.stt import make_transcriber

    audio = read_audio(args.file)
    transcriber = make_transcriber(args.asr, args.model, args.lang, beam_size=args.beam)
    transcript = transcriber.transcribe(audio, args.lang)
    if args.json:
        print(json.dumps(_transcript_dict(transcript), ensure_ascii=False))
    else:
        print(neutralise(transcript.text))
    return 0


def _transcript_dict(t: Transcript) -> dict[str, object]:
    return {
        "language": t.language,
        "text": t.text,
        "duration": round(t.duration, 3),
        "words": [
            {"text": w.text, "start": w.start, "end": w.end, "probability": round(w.probability, 4)}
            for w in t.words
        ],
    }


MAX_REPLY_CHARS = 10_000  # about ten minutes of speech; scoring time grows with the length


def check_reply(text: str, what: str = "the reply") -> str:
    """A typed reply that can be scored: not empty, not beyond MAX_REPLY_CHARS."""
    if not text.strip():
        raise SimulatorError(f"{what} is empty: there is nothing to score")
    if len(text) > MAX_REPLY_CHARS:
        raise SimulatorError(
            f"{what} is {len(text):,} characters long; a reply is scored up to "
            f"{MAX_REPLY_CHARS:,} characters (about ten minutes of speech)"
        )
    return text


def check_emotion(value: object) -> Emotion:
    """An emotion the client can show, or one clear error naming the known ones."""
    if value not in EMOTIONS:
        raise SimulatorError(f"unknown emotion {value!r}; use one of: {', '.join(EMOTIONS)}")
    return value


def _batch_item(raw: bytes) -> tuple[ClientTurn, Transcript]:
    """One batch line as the client's turn and the typed reply, or a SimulatorError saying why."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SimulatorError("not UTF-8 text; save the file as UTF-8") from exc
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise SimulatorError(f"not valid JSON ({exc})") from exc
    if not isinstance(item, dict):
        raise SimulatorError("expected a JSON object with client, reply and lang")
    client, reply = item.get("client"), item.get("reply")
    if not isinstance(client, str) or not client.strip():
        raise SimulatorError("client must be the client's line as text")
    if not isinstance(reply, str):
        raise SimulatorError("reply must be the trainee's reply as text")
    check_reply(reply)
    lang = item.get("lang", "en")
    if lang not in languages.codes():
        raise UnknownLanguage(f"lang: unknown language {lang!r}; known languages: "
                              f"{', '.join(languages.codes())}")
    emotion = check_emotion(item.get("emotion", "calm"))
    turn = ClientTurn(text=client, state=EmotionalState(emotion, 0.6), language=lang)
    return turn, Transcript.from_text(reply, lang)


def _score_batch(path: Path) -> int:
    """Score one exchange per JSON line; a bad line gets an error line and the batch goes on."""
    from simulator.encoder import shared_encoder
    from simulator.feedback import give_feedback
    from simulator.scoring import score_exchange
    from simulator.scoring.serialize import result_to_dict

    try:
        raw_lines = path.read_bytes().splitlines()
    except IsADirectoryError as exc:
        raise SimulatorError(f"{path}: is a folder, not a JSON Lines file") from exc
    except OSError as exc:
        raise SimulatorError(f"{path}: cannot read ({exc.strerror})") from exc
    scored = failed = 0
    from simulator.progress import progress

    for number, raw in progress(list(enumerate(raw_lines, start=1)), "scoring"):
        if not raw.strip():
            continue
        try:
            client, reply = _batch_item(raw)
            scores = score_exchange(client, reply, encoder=shared_encoder())
            result: dict[str, object] = {"line": number}
            result.update(result_to_dict(scores, give_feedback(client, scores)))
            scored += 1
        except SimulatorError as exc:
            result = {"line": number, "error": str(exc)}
            failed += 1
        print(json.dumps(result, ensure_ascii=False), flush=True)
    print(f"{path}: {scored} line(s) scored, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _score(args: argparse.Namespace) -> int:
    from rich.console import Console

    from simulator.audio import read_audio
    from simulator.cli.render import show_scores
    from simulator.encoder import shared_encoder
    from simulator.feedback import give_feedback
    from simulator.scoring import score_exchange
    from simulator.scoring.serialize import result_to_dict
    from simulator.stt import make_transcriber

    if args.batch:
        return _score_batch(args.batch)
    if args.persona:
        from simulator.dialogue import first_turn
        from simulator.persona import find_persona

        if not args.reply_audio:
            raise SimulatorError("--persona needs --reply-audio FILE (the trainee's spoken reply)")
        persona = find_persona(args.persona)
        client = first_turn(persona, seed=0)
        transcriber = make_transcriber(args.asr, args.model, persona.language, beam_size=args.beam)
        reply = transcriber.transcribe(read_audio(args.reply_audio), persona.language)
    else:
        if args.client is None or args.reply is None:
            raise SimulatorError(
                "give --client TEXT and --reply TEXT, or --persona ID and --reply-audio FILE"
            )
        check_reply(args.reply, "--reply")
        state = EmotionalState(emotion=check_emotion(args.emotion), intensity=0.6)
        client = ClientTurn(text=args.client, state=state, language=args.lang)
        reply = Transcript.from_text(args.reply, args.lang)
    scores = score_exchange(client, reply, encoder=shared_encoder())
    feedback = give_feedback(client, scores, reply)
    if args.json:
        result = result_to_dict(scores, feedback)
        if reply.words:
            result["transcript"] = _transcript_dict(reply)
        print(json.dumps(result, ensure_ascii=False))
    else:
        console = Console(highlight=False)
        if reply.words:
            console.print(f"You: {shown(reply.text)}")
        show_scores(console, scores, feedback, client.language)
    return 0


def _models(args: argparse.Namespace) -> int:
    from simulator.models import BUNDLED, model_dir

    for name in BUNDLED:
        print(f"{name}\t{model_dir(name)}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `transcribe`, `score` and `models`."""
    tr = sub.add_parser(
        "transcribe",
        help="transcript of a WAV or FLAC file, with word timings",
        description="Transcribe a WAV/FLAC file offline with Whisper.",
    )
    tr.add_argument("file", type=Path, help="WAV or FLAC file")
    tr.add_argument(
        "--lang", choices=languages.codes(), default=None, help="language (default: detect)"
    )
    tr.add_argument(
        "--json", action="store_true", help="print language, text and word timings as JSON"
    )
    options.add_asr_options(tr)
    tr.set_defaults(func=_transcribe)

    sc = sub.add_parser(
        "score",
        help="score one exchange: listening, empathy, pacing, with feedback",
        description="Score one reply to a client line, typed (--client/--reply) or spoken "
        "(--persona/--reply-audio, scored against the persona's opening line).",
    )
    sc.add_argument("--client", help="what the client said")
    sc.add_argument("--reply", help="what the trainee answered")
    sc.add_argument(
        "--lang", choices=languages.codes(), default="en", help="language (default en)"
    )
    sc.add_argument(
        "--emotion",
        default="calm",
        choices=EMOTIONS,
        help="the client's emotion (default calm)",
    )
    sc.add_argument("--persona", help="persona id whose opening line the spoken reply answers")
    sc.add_argument("--reply-audio", type=Path, help="WAV/FLAC of the trainee's spoken reply")
    sc.add_argument(
        "--batch",
        type=Path,
        help="score many typed exchanges: a JSON Lines file of {client, reply, lang, emotion}; "
        "prints one JSON result per line",
    )
    sc.add_argument(
        "--json", action="store_true", help="print acts, scores, evidence and feedback as JSON"
    )
    options.add_asr_options(sc)
    sc.set_defaults(func=_score)

    md = sub.add_parser(
        "models",
        help="prepare and list the bundled offline Whisper models",
        description="Assemble the bundled Whisper models (once) and print where they are.",
    )
    md.set_defaults(func=_models)
