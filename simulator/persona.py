"""Persona files (YAML, schema version 1): the pydantic schema, loading, and errors with file:line.

A persona describes one simulated client: who they are, the situation the trainee meets them in,
their starting emotional state, the cues a good listener should catch, the stages of their story
with the lines they say, and the rules by which the trainee's replies move their inner state.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator import language as languages
from simulator.errors import PersonaError
from simulator.ports import VoiceSettings
from simulator.types import ActKind, Address, Emotion, EmotionalState, Language

SCHEMA_VERSION = 1
EXTRA_DIRS_ENV = "VOICE_ROLEPLAY_PERSONAS"  # os.pathsep-separated folders with more personas
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Loc = tuple[str | int, ...]
Register = Literal["spoken", "standard", "formal"]
Move = Literal["reflection", "open_question"]  # the moves a line's example replies can show


class _Strict(BaseModel):
    """Base of every schema part: unknown keys are errors and loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EmotionVoice(_Strict):
    """How the voice changes when the client shows one emotion (on top of the base voice)."""

    rate: float = Field(default=1.0, gt=0.25, le=3.0, description="Speaking-rate multiplier.")
    pitch: int = Field(default=0, ge=-50, le=50, description="Pitch shift in synthesizer units.")


class Voice(_Strict):
    """The client's voice: a synthesizer preset, base rate and pitch, and per-emotion tweaks."""

    preset: str | None = Field(default=None, description="Voice variant, e.g. m3, f2.")
    rate: float = Field(default=1.0, gt=0.25, le=3.0, description="Base speaking-rate multiplier.")
    pitch: int = Field(default=0, ge=-50, le=50, description="Base pitch shift.")
    emotions: dict[Emotion, EmotionVoice] = Field(
        default_factory=dict,
        description="Voice per emotion; every emotion the client can show should have one.",
    )


class Start(_Strict):
    """The client's state when the session begins."""

    emotion: Emotion
    intensity: float = Field(ge=0.0, le=1.0, description="How strongly the emotion is felt, 0-1.")
    trust: float = Field(default=0.3, ge=0.0, le=1.0, description="Trust in the worker, 0-1.")


class Cues(_Strict):
    """What a good listener should pick up: feelings, facts and needs, as the client words them."""

    feelings: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        """Every cue, feelings first."""
        return self.feelings + self.facts + self.needs


class Line(_Strict):
    """One thing the client may say, with the cues it carries beyond its own words."""

    text: str = Field(min_length=1)
    cues: tuple[str, ...] = Field(default=(), description="Cues carried, said or not.")
    topics: tuple[str, ...] = Field(
        default=(),
        description="Topics this line answers (names from the persona's topics): a reply about "
        "one of them makes the client choose this line.",
    )
    examples: dict[Move, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Example replies a trainer would give to this line, by move (reflection, "
        "open_question), in the worker's register; the feedback suggests these first.",
    )


class Stage(_Strict):
    """One layer of the client's story, disclosed once trust reaches the stage's threshold."""

    name: str = Field(min_length=1)
    trust: float = Field(default=0.0, ge=0.0, le=1.0, description="Trust to enter.")
    max_intensity: float = Field(default=1.0, ge=0.0, le=1.0, description="Enter at or below.")
    emotion: Emotion | None = Field(default=None, description="Default: start emotion.")
    lines: tuple[Line, ...] = Field(default=(), description="Alternatives, one per turn.")

    @field_validator("lines", mode="before")
    @classmethod
    def _plain_lines(cls, value: Any) -> Any:
        """Accept a bare string as a line without extra cues."""
        if isinstance(value, list):
            return [{"text": item} if isinstance(item, str) else item for item in value]
        return value


class ActEffect(_Strict):
    """How one kind of reply moves the client's intensity and trust (added, then clamped to 0-1)."""

    intensity: float = Field(default=0.0, ge=-1.0, le=1.0)
    trust: float = Field(default=0.0, ge=-1.0, le=1.0)


class Rules(_Strict):
    """Tuning of the state rules; see docs/personas.md for the formula."""

    neutral_quality: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Quality that moves nothing."
    )
    quality_intensity: float = Field(
        default=0.2, ge=0.0, le=2.0, description="Intensity per quality."
    )
    quality_trust: float = Field(default=0.2, ge=0.0, le=2.0, description="Trust per quality.")
    pacing_weight: float = Field(default=0.2, ge=0.0, le=1.0, description="Pacing's weight.")
    feeling_named: ActEffect = Field(
        default=ActEffect(intensity=-0.08, trust=0.06),
        description="Extra effect of a reflection that names one of the client's feelings.",
    )
    acts: dict[ActKind, ActEffect] = Field(
        default_factory=dict, description="Overrides of the default effect of each act kind."
    )
    upset_at: float = Field(default=0.75, ge=0.0, le=1.0, description="Upset from here.")
    upset_emotion: Emotion | None = Field(default=None, description="Default: the start emotion.")
    settled_at: float = Field(default=0.3, ge=0.0, le=1.0, description="Settled up to here.")
    settled_emotion: Emotion | None = Field(default=None, description="Default: stage emotion.")


class End(_Strict):
    """End conditions and the closing line for each way a session can end."""

    walk_out_at: float = Field(default=1.0, gt=0.0, le=1.0, description="The client leaves here.")
    resolution: tuple[str, ...] = Field(min_length=1, description="Said on resolution.")
    walk_out: tuple[str, ...] = Field(min_length=1, description="Said when leaving.")
    turn_limit: tuple[str, ...] = Field(min_length=1, description="Said at the turn limit.")


class PracticeReplies(_Strict):
    """Sample trainee replies for a five-exchange session, for fixtures and scripted tests."""

    good: tuple[str, ...] = ()
    poor: tuple[str, ...] = ()


class Persona(_Strict):
    """One simulated client, as read from a persona YAML file (schema version 1)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True,
        title="voice-roleplay persona (schema version 1)",
    )

    schema_version: Literal[1] = 1
    id: str = Field(pattern=ID_PATTERN, description="Lowercase words joined by hyphens.")
    name: str = Field(min_length=1)
    language: Language
    address: Address = Field(
        default="informal",
        description='How the trainee addresses the client in Dutch: "informal" (je) or '
        '"formal" (u). English has no such choice and Finnish stays with sinä.',
    )
    speech_register: Register = Field(
        default="standard",
        alias="register",
        description='How the client speaks: "spoken" (everyday speech, e.g. Finnish mä/sä, oon, '
        'en tiiä), "standard" (plain standard language) or "formal" (careful, official). The '
        "feedback's examples stay in the worker's own register whatever the client's.",
    )
    voice: Voice = Voice()
    situation: str = Field(min_length=1, description="Shown to the trainee before the session.")
    start: Start
    goals: tuple[str, ...] = Field(default=(), description="What a good encounter achieves.")
    cues: Cues = Cues()
    stages: tuple[Stage, ...] = Field(min_length=1)
    reactions: dict[ActKind, tuple[str, ...]] = Field(
        default_factory=dict, description="Words said first when a reply is mainly this act."
    )
    topics: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="What the client can talk about: each topic name with the words (in the "
        "persona's language) by which a trainee's reply brings it up; lines name the topics "
        "they answer.",
    )
    deflections: tuple[str, ...] = Field(
        default=(),
        description="Said, in character, when asked about a topic the client is not ready to "
        "talk about yet (its lines are in a later stage).",
    )
    rules: Rules = Rules()
    end: End
    max_turns: int = Field(
        default=8, ge=1, le=50, description="Exchanges before the turn limit ends it."
    )
    practice_replies: PracticeReplies = PracticeReplies()

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: Any) -> Any:
        """A language code must name a language pack; the error lists the known codes."""
        if isinstance(value, str) and value not in languages.codes():
            raise ValueError(f"unknown language {value!r}; known languages: "
                             f"{', '.join(languages.codes())}")
        return value

    def __hash__(self) -> int:
        """Hash by content, so personas can be cached or put in sets despite mapping fields."""
        return hash(self.model_dump_json())


# --- where things are -----------------------------------------------------------------------


def bundled_personas_dir() -> Path:
    """The repository's personas/ folder."""
    return Path(__file__).resolve().parents[1] / "personas"


def persona_dirs() -> list[Path]:
    """Folders searched for personas: extra folders from the environment first, then bundled."""
    extra = os.environ.get(EXTRA_DIRS_ENV, "")
    dirs = [Path(part) for part in extra.split(os.pathsep) if part.strip()]
    return [*dirs, bundled_personas_dir()]


def persona_files(dirs: Sequence[Path] | None = None) -> list[Path]:
    """Every persona file (*.yaml) in the given folders, earlier folders first."""
    found: list[Path] = []
    for folder in persona_dirs() if dirs is None else dirs:
        if folder.is_dir():
            found.extend(sorted(p for p in folder.glob("*.yaml") if p.is_file()))
    return found


def display_path(path: Path) -> str:
    """The path as the user should read it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- YAML with positions ---------------------------------------------------------------------


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], where: str) -> None:
    """Record the 1-based line of every mapping key and sequence item below ``node``."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PersonaError(f"{where}:{key_node.start_mark.line + 1}: {key}: duplicate key")
            seen.add(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines, where)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), lines, where)


MAX_FILE_BYTES = 256 * 1024  # the bundled personas are under 10 KB
MAX_DEPTH = 32  # nesting of mappings and lists; a persona needs about 6


class _BoundedLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses aliases (``*name``) and nesting beyond MAX_DEPTH.

    Aliases are what a "billion laughs" file multiplies (and what makes a structure refer to
    itself); a persona never needs them, so each value is written out instead.
    """

    def __init__(self, text: str, where: str) -> None:
        super().__init__(text)
        self.where = where
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
            raise PersonaError(
                f"{self.where}:{line}: aliases (*name) are not allowed in persona files; "
                "write the value out"
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
                raise PersonaError(
                    f"{self.where}:{line}: nested more than {MAX_DEPTH} levels deep; "
                    "a persona file is never this deep"
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _read_text(path: Path, where: str) -> str:
    """The file's text, refusing files too large to be a persona before reading them whole."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise PersonaError(f"{where}: no such persona file") from exc
    except IsADirectoryError as exc:
        raise PersonaError(f"{where}: is a folder, not a persona file") from exc
    except OSError as exc:
        raise PersonaError(f"{where}: cannot read ({exc.strerror})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise PersonaError(
            f"{where}:1: larger than {MAX_FILE_BYTES // 1024} KB; a persona file is a few KB"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PersonaError(f"{where}:{line}: not UTF-8 text; save the file as UTF-8") from exc


# libyaml (PyYAML's C parser) reads the bundled personas ten times faster than the pure-Python
# loader, which took a third of a second of every `personas list` and session start. It is used
# only for a file whose event stream shows no alias and no deep nesting; any other file, and any
# error, goes through _BoundedLoader, which gives the usual messages.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _fast_compose(text: str, where: str) -> tuple[Any, dict[Loc, int]] | None:
    """Data and key lines read by libyaml, or None when the file needs the bounded loader."""
    if _FAST_LOADER is None:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, yaml.AliasEvent):
                return None
            if isinstance(event, _COLLECTION_START):
                depth += 1
                if depth >= MAX_DEPTH:
                    return None
            elif isinstance(event, _COLLECTION_END):
                depth -= 1
        loader = _FAST_LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            lines: dict[Loc, int] = {(): node.start_mark.line + 1}
            _walk(node, (), lines, where)
            return loader.construct_document(node), lines
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML file safely and boundedly, returning the data and the line of every key."""
    where = display_path(path)
    text = _read_text(path, where)
    fast = _fast_compose(text, where)
    if fast is not None:
        return fast
    try:
        loader = _BoundedLoader(text, where)
    except yaml.reader.ReaderError as exc:  # a control character the YAML reader refuses
        line = text[: exc.position].count("\n") + 1
        raise PersonaError(
            f"{where}:{line}: not valid YAML: control character #x{exc.character:04x} "
            "is not allowed"
        ) from exc
    try:
        node = loader.get_single_node()
        if node is None:
            raise PersonaError(f"{where}:1: the file is empty")
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        _walk(node, (), lines, where)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or str(exc)
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            problem += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise PersonaError(f"{where}:{line}: not valid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise PersonaError(f"{where}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return data, lines


def format_loc(loc: Loc) -> str:
    """Render a location path the way an instructor reads it: ``stages[1].lines``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def line_of(loc: Loc, lines: Mapping[Loc, int]) -> int:
    """The line of the deepest part of ``loc`` present in the file (a missing key: its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The schema part (model) found at a location in a persona file, if it is one."""
    current: Any = Persona
    for part in loc:
        current = _unwrap_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) is tuple:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap_optional(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap_optional(annotation: Any) -> Any:
    """``X | None`` as ``X``."""
    if get_origin(annotation) in (Union, UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return annotation


def _message(error: Mapping[str, Any], loc: Loc) -> str:
    """A short, lower-case problem description for one pydantic error."""
    kind = error["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        if model is None:
            return "unknown key"
        names = (f.alias or name for name, f in model.model_fields.items())
        return "unknown key; allowed here: " + ", ".join(names)
    if kind == "missing":
        return "field required"
    msg = str(error["msg"])
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def validation_problems(
    exc: ValidationError, where: str, lines: Mapping[Loc, int]
) -> list[tuple[int, str]]:
    """Turn a pydantic error into ``(line, "file:line: field: problem")`` pairs."""
    out: list[tuple[int, str]] = []
    for error in exc.errors():
        loc: Loc = tuple(p for p in error["loc"] if p != "[key]")
        line = line_of(loc, lines)
        out.append((line, f"{where}:{line}: {format_loc(loc)}: {_message(error, loc)}"))
    return sorted(out)


def parse_persona(path: Path) -> tuple[Persona, dict[Loc, int]]:
    """Load and validate one persona file, keeping the line of every key for later messages."""
    where = display_path(path)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise PersonaError(f"{where}:1: a persona file must be a mapping of keys to values")
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        raise PersonaError("\n".join(m for _, m in validation_problems(exc, where, lines))) from exc
    return persona, lines


def load_persona(path: Path) -> Persona:
    """Load one persona file; a PersonaError names the file, line and field of each problem."""
    return parse_persona(path)[0]


# --- the library -----------------------------------------------------------------------------


def scan_personas() -> tuple[list[Persona], list[str]]:
    """Every loadable persona in the searched folders, and one message per file that is not.

    A broken file never hides the good ones; an id in an extra folder hides the bundled one.
    """
    by_id: dict[str, Persona] = {}
    problems: list[str] = []
    for path in persona_files():
        try:
            persona = load_persona(path)
        except PersonaError as exc:
            problems.append(str(exc).splitlines()[0])
            continue
        by_id.setdefault(persona.id, persona)
    return sorted(by_id.values(), key=lambda p: (p.language, p.id)), problems


def list_personas() -> list[Persona]:
    """Every loadable persona in the searched folders (see ``scan_personas`` for the others)."""
    return scan_personas()[0]


def find_persona(persona_id: str) -> Persona:
    """The persona with this id; a PersonaError lists the available ids if there is none."""
    if not re.fullmatch(ID_PATTERN, persona_id):
        available = ", ".join(p.id for p in list_personas()) or "none"
        raise PersonaError(f"unknown persona '{persona_id}'; available: {available}")
    for folder in persona_dirs():
        candidate = folder / f"{persona_id}.yaml"
        if candidate.is_file():
            persona = load_persona(candidate)
            if persona.id == persona_id:
                return persona
    for persona in list_personas():
        if persona.id == persona_id:
            return persona
    available = ", ".join(p.id for p in list_personas()) or "none"
    raise PersonaError(f"unknown persona '{persona_id}'; available: {available}")


# --- voice -----------------------------------------------------------------------------------


def voice_for(persona: Persona, state: EmotionalState) -> VoiceSettings:
    """The synthesizer settings for this client in this state."""
    tweak = persona.voice.emotions.get(state.emotion, EmotionVoice())
    return VoiceSettings(
        language=persona.language,
        emotion=state.emotion,
        intensity=state.intensity,
        rate_scale=round(persona.voice.rate * tweak.rate, 3),
        pitch_shift=persona.voice.pitch + tweak.pitch,
        variant=persona.voice.preset,
    )
