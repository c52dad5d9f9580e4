"""Village scripts: YAML describing villagers, places, scheduled events and triggers.

`load_village(path)` returns a valid `VillageScript` or raises `VillageInvalid`
whose problems print as `FILE:LINE: field.path: message`, using the story
`YamlSource` (agent.yaml_source, bounded depth and aliases) so both formats report alike.
Stages: YAML syntax, duplicate keys, the schema (pydantic, extra="forbid"),
then cross-references (unique ids and names, places, villagers, story rooms
and characters when `story:` names a story and the caller passes a
`story_loader`: stories belong to the game, which this package does not
import, so the game hands in its loader; without one the links are not
checked).

Game time: minute 0 is 00:00 of the start date ("day 1"); an event's `at` is
"day D HH:MM", a routine step's `at` is "HH:MM".

Deliberately left out: includes, conditional routines, triggers beyond
"when someone learns a keyword, go somewhere", and walking distances between
places (any move takes one 15-minute step).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.yaml_source import (  # one bounded, line-mapped YAML reader
    FileInvalid,
    YamlSource,
    json_schema_text,
    read_text_limited,
    resolve_bundled,
)

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "assets" / "villages"
DEFAULT_VILLAGE = BUNDLED_DIR / "oasis.yaml"
MAX_SCRIPT_BYTES = 1_000_000
Id = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_DAY_CLOCK = re.compile(r"^day\s+(\d+)\s+(\d{1,2}):(\d{2})$")


def parse_clock(text: str) -> int:
    """"HH:MM" -> minutes after midnight; ValueError for impossible times."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a time like 07:30")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a possible time of day (00:00 to 23:59)")
    return hour * 60 + minute


def parse_day_clock(text: str) -> int:
    """"day D HH:MM" -> game minutes since day 1 00:00."""
    m = _DAY_CLOCK.match(text.strip().lower())
    if not m:
        raise ValueError(f"{text!r} is not a time like 'day 1 09:00'")
    day = int(m.group(1))
    if day < 1:
        raise ValueError(f"{text!r}: days count from 1")
    return (day - 1) * 1440 + parse_clock(f"{m.group(2)}:{m.group(3)}")


def format_time(minute: int) -> str:
    return f"day {minute // 1440 + 1} {minute % 1440 // 60:02d}:{minute % 60:02d}"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(Strict):
    recency: float = Field(1.0, ge=0)
    importance: float = Field(1.0, ge=0)
    relevance: float = Field(1.0, ge=0)


class Settings(Strict):
    weights: Weights = Weights()
    recency_decay: float = Field(0.995, gt=0, le=1, description="per game hour since last access")
    relevance: Literal["embedding", "bm25", "hybrid"] = Field(
        "hybrid", description="how relevance is scored (see docs/BENCHMARKS.md, Villagers: recall probes)")
    retrieve_n: int = Field(5, ge=1, le=30)
    reflection_threshold: int = Field(150, ge=1, description="summed importance of new memories")
    salient_importance: int = Field(7, ge=1, le=10, description="observations this important make a villager react")
    dialogue_turns: int = Field(4, ge=2, le=12, description="utterances per conversation, both sides together")
    chat_cooldown_hours: float = Field(3.0, ge=0, description="hours before the same two villagers chat again")
    calls_per_villager_hour: float = Field(5.0, gt=0,
                                           description="model-call budget; optional calls are skipped above it")


class Place(Strict):
    id: str = Id
    name: str = Field(min_length=1)
    description: str = ""
    room: str | None = Field(None, description="the story room this place is, when the village belongs to a story")
    objects: list[str] = Field([], description="things villagers can use here, e.g. 'spice stall'")


class RoutineStep(Strict):
    at: str = Field(description="HH:MM")
    place: str
    activity: str = Field(min_length=1)

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_clock(value)
        return value


class Villager(Strict):
    id: str = Id
    name: str = Field(min_length=1, max_length=40)
    age: int = Field(ge=0, le=130)
    occupation: str = Field(min_length=1)
    traits: list[str] = []
    home: str = Field(description="place id where the day starts and ends")
    character: str | None = Field(None, description="the story character this villager plays")
    relationships: dict[str, str] = Field(
        {}, description="villager id -> who they are, in the first person: 'my best friend'")
    memories: list[str] = Field([], description="seed memories (stored as events at the start)")
    routine: list[RoutineStep] = Field(min_length=1, description="daily routine hints, earliest first")


class ScheduledEvent(Strict):
    at: str = Field(description="day D HH:MM")
    place: str
    text: str = Field(min_length=1)
    told_to: list[str] = Field([], description="villager ids who learn it wherever they are (a planted fact)")
    importance: int | None = Field(None, ge=1, le=10,
                                   description="the least importance its memories get (the model may only raise it)")

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_day_clock(value)
        return value


class Trigger(Strict):
    learns: str = Field(min_length=1, description="a word or phrase; fires when a villager's new memory contains it")
    villager: str | None = Field(None, description="only this villager (default: anyone)")
    go_to: str = Field(description="place id to go to for the next hour")
    activity: str = Field(min_length=1)


class News(Strict):
    about: list[str] = Field(min_length=1, description="words or phrases; a memory mentioning any of them is this news")
    importance: int = Field(8, ge=1, le=10,
                            description="the least importance such a memory gets (the model may raise it)")
    cares: list[str] = Field([], description="villager ids who care (default: everyone)")


class VillageScript(Strict):
    format: Literal[1] = 1
    id: str = Id
    title: str = Field(min_length=1)
    story: str | None = Field(None, description="story id or file whose rooms the places link to")
    start: dt.datetime = Field(dt.datetime(2026, 5, 4, 7, 0), description="day 1 and the hour the simulation starts")
    settings: Settings = Settings()
    places: list[Place] = Field(min_length=1)
    villagers: list[Villager] = Field(min_length=1)
    events: list[ScheduledEvent] = []
    triggers: list[Trigger] = []
    news: list[News] = Field([], description="facts the author marks as news: villagers who care retell them")

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    def place(self, pid: str) -> Place:
        return next(p for p in self.places if p.id == pid)

    def villager(self, key: str) -> Villager | None:
        """By id or (case-insensitive) name or first name."""
        key = key.strip().lower()
        for v in self.villagers:
            if key in (v.id, v.name.lower(), v.name.lower().split()[-1], v.name.lower().split()[0]):
                return v
        return None


class VillageInvalid(FileInvalid):
    """A village script's problems (the shared `FileInvalid`, named for the format)."""


def cross_check(script: VillageScript, story_loader=None) -> list[tuple[tuple, str]]:
    problems: list[tuple[tuple, str]] = []
    places: dict[str, int] = {}
    for i, place in enumerate(script.places):
        if place.id in places:
            problems.append((("places", i, "id"), f"duplicate place id {place.id!r} (also places[{places[place.id]}])"))
        places.setdefault(place.id, i)
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, v in enumerate(script.villagers):
        if v.id in ids:
            problems.append((("villagers", i, "id"), f"duplicate villager id {v.id!r} (also villagers[{ids[v.id]}])"))
        if v.name.lower() in names:
            problems.append((("villagers", i, "name"),
                             f"duplicate villager name {v.name!r} (also villagers[{names[v.name.lower()]}])"))
        ids.setdefault(v.id, i)
        names.setdefault(v.name.lower(), i)

    def need_place(loc: tuple, pid: str) -> None:
        if pid not in places:
            problems.append((loc, f"unknown place {pid!r} (places: {', '.join(sorted(places))})"))

    def need_villager(loc: tuple, vid: str) -> None:
        if vid not in ids:
            problems.append((loc, f"unknown villager {vid!r} (villagers: {', '.join(sorted(ids))})"))

    for i, v in enumerate(script.villagers):
        need_place(("villagers", i, "home"), v.home)
        last = -1
        for j, step in enumerate(v.routine):
            need_place(("villagers", i, "routine", j, "place"), step.place)
            minute = parse_clock(step.at)
            if minute <= last:
                problems.append((("villagers", i, "routine", j, "at"), "routine steps must be in time order"))
            last = minute
        for other in v.relationships:
            need_villager(("villagers", i, "relationships", other), other)
            if other == v.id:
                problems.append((("villagers", i, "relationships", other), "a villager's relationship to itself"))
    for i, event in enumerate(script.events):
        need_place(("events", i, "place"), event.place)
        for j, vid in enumerate(event.told_to):
            need_villager(("events", i, "told_to", j), vid)
        if parse_day_clock(event.at) < script.start_minute:
            problems.append((("events", i, "at"),
                             f"{event.at!r} is before the simulation starts ({format_time(script.start_minute)})"))
    for i, trigger in enumerate(script.triggers):
        need_place(("triggers", i, "go_to"), trigger.go_to)
        if trigger.villager is not None:
            need_villager(("triggers", i, "villager"), trigger.villager)
    for i, news in enumerate(script.news):
        for j, vid in enumerate(news.cares):
            need_villager(("news", i, "cares", j), vid)
        for j, phrase in enumerate(news.about):
            if not phrase.strip():
                problems.append((("news", i, "about", j), "an empty phrase would match every memory"))
    if script.story is not None and story_loader is not None:
        problems += _story_links(script, story_loader)
    return problems


def _story_links(script: VillageScript, story_loader) -> list[tuple[tuple, str]]:
    """Places and villagers name rooms and characters of the story `story_loader(name)` returns
    (anything with `id`, `rooms` and `characters`; it raises FileInvalid when the story does not load)."""
    try:
        story = story_loader(script.story)
    except FileInvalid as exc:
        return [(("story",), f"story {script.story!r} does not load: {exc.problems[0]}")]
    problems = []
    rooms = {r.id for r in story.rooms}
    characters = {c.id for c in story.characters}
    for i, place in enumerate(script.places):
        if place.room is not None and place.room not in rooms:
            problems.append((("places", i, "room"), f"story {story.id!r} has no room {place.room!r}"))
    for i, v in enumerate(script.villagers):
        if v.character is not None and v.character not in characters:
            problems.append((("villagers", i, "character"), f"story {story.id!r} has no character {v.character!r}"))
    return problems


def parse_village_text(text: str, file: str = "<village>", story_loader=None) -> VillageScript:
    source = YamlSource(text, file, VillageInvalid, "a village script")
    data, problem, dupes = source.data, source.problem, source.duplicates
    try:
        script = VillageScript.model_validate(data)
    except ValidationError as exc:
        raise VillageInvalid(dupes + source.validation_problems(exc, "village")) from None
    problems = dupes + [problem(loc, msg) for loc, msg in cross_check(script, story_loader)]
    if problems:
        raise VillageInvalid(problems)
    return script


def resolve_village_path(name: str | None) -> Path:
    return resolve_bundled(name, DEFAULT_VILLAGE, BUNDLED_DIR)


def load_village(path: str | Path, story_loader=None) -> VillageScript:
    path = resolve_village_path(str(path))
    text = read_text_limited(path, MAX_SCRIPT_BYTES, VillageInvalid, "village script")
    return parse_village_text(text, str(path), story_loader)


def village_json_schema() -> str:
    return json_schema_text(VillageScript, "Adventure village script")
