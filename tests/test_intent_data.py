"""The intent evaluation data (issue #14) is well-formed and its expectations are playable.

tests/data/intent/oasis_dev.yaml and oasis_heldout.yaml hold player lines for the bundled
story with the canonical command(s) each one should become (or `ask` / `refuse`). Here every
expected canonical command is checked against the real engine at its position in the
walkthrough: the parser is used only as a black box on the *canonical* commands, never on
the players' lines (those are what the understanding layer is measured on).

tests/data/intent/tw_paraphrases.yaml holds re-wording templates for TextWorld command
shapes; checked for shape, placeholders and a dev / held-out split.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.parser import parse
from game.world.engine import Engine

DATA = Path(__file__).parent / "data" / "intent"
HAND_FILES = ("oasis_dev.yaml", "oasis_dev4.yaml", "oasis_dev5.yaml", "oasis_dev6.yaml", "oasis_dev7.yaml",
              "oasis_dev8.yaml", "oasis_dev9.yaml", "oasis_dev10.yaml",
              "oasis_dev11.yaml", "oasis_dev12.yaml", "oasis_dev13.yaml", "oasis_dev14.yaml", "oasis_heldout.yaml")
CATEGORIES = frozenset({"synonym", "phrasal", "question", "typo", "sentence", "riddle", "pronoun", "multi",
                        "again", "ask", "impossible", "meta", "direction"})
# categories a later set may add: one verb and several things; a deed said not to be done (never done)
EXTRA_CATEGORIES = frozenset({"list", "negation"})
KEYS = frozenset({"at", "before", "say", "expect", "category"})
MIN_PER_CATEGORY = 8
THINNED = {"oasis_dev7.yaml": {"ask": 7}, "oasis_dev8.yaml": {"again": 3, "meta": 7},
           "oasis_dev9.yaml": {"again": 3, "meta": 5, "pronoun": 7},
           # a plain writer of the first set's kind: 113 of 194 lines repeated other sets and were dropped
           "oasis_dev10.yaml": {c: 1 for c in CATEGORIES}, "oasis_dev11.yaml": {"ask": 6},
           # most of their "again" lines repeated other sets and were dropped
           "oasis_dev13.yaml": {"again": 3}, "oasis_dev14.yaml": {"again": 4}}
MIN_LINES = {"oasis_dev.yaml": 130, "oasis_dev4.yaml": 110, "oasis_dev5.yaml": 110, "oasis_dev6.yaml": 110,
             "oasis_dev7.yaml": 110, "oasis_dev8.yaml": 110, "oasis_dev9.yaml": 110, "oasis_dev10.yaml": 80,
             "oasis_dev11.yaml": 150, "oasis_dev12.yaml": 200, "oasis_dev13.yaml": 170, "oasis_dev14.yaml": 160,
             "oasis_heldout.yaml": 110}


@lru_cache(maxsize=None)
def story():
    return load_story(DEFAULT_STORY)


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def act(engine: Engine, command: str):
    """The canonical command as an action, or None when the parser does not read it."""
    result = parse(story(), engine.state, command)
    return result.action if result.status == "ok" else None


@lru_cache(maxsize=None)
def _state_at(at: int):
    engine = Engine(story())
    for command in story().walkthrough[:at]:
        action = act(engine, command)
        assert action is not None and not engine.perform(action).refused, command
    return engine.state


def engine_at(at: int) -> Engine:
    return Engine(story(), _state_at(at).model_copy(deep=True))


def is_oops(entry: dict) -> bool:
    return entry["say"].strip().lower().startswith("oops")


# --- shape ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", HAND_FILES)
def test_hand_file_is_well_formed(name):
    entries = load(name)
    assert isinstance(entries, list) and len(entries) >= MIN_LINES[name]
    walk = len(story().walkthrough)
    seen = set()
    for entry in entries:
        assert isinstance(entry, dict), entry
        assert set(entry) <= KEYS and {"at", "say", "expect", "category"} <= set(entry), entry
        assert isinstance(entry["at"], int) and 0 <= entry["at"] <= walk, entry
        assert isinstance(entry["say"], str) and entry["say"].strip(), entry
        assert isinstance(entry["expect"], str) and entry["expect"].strip(), entry
        assert entry["category"] in CATEGORIES | EXTRA_CATEGORIES, entry
        before = entry.get("before", [])
        assert isinstance(before, list) and all(isinstance(b, str) and b.strip() for b in before), entry
        if entry["category"] == "ask":
            assert entry["expect"] == "ask", entry
        if entry["category"] == "impossible":
            assert entry["expect"] == "refuse", entry
        if entry["category"] == "negation":
            assert entry["expect"] in ("ask", "refuse"), entry
        key = (entry["at"], tuple(before), entry["say"].lower())
        assert key not in seen, f"duplicate line: {entry}"
        seen.add(key)
        if entry["expect"] in ("ask", "refuse"):
            continue
        commands = entry["expect"].split("; ")
        assert all(c.strip() == c and c for c in commands), entry
        if entry["category"] in ("multi", "list"):
            assert len(commands) >= 2, entry
        if entry["category"] == "riddle":
            assert all(c.startswith("answer ") for c in commands), entry


@pytest.mark.parametrize("name", HAND_FILES)
def test_every_category_is_covered(name):
    counts = Counter(entry["category"] for entry in load(name))
    # short lines ("g", "inventory") repeat other sets and were dropped on arrival
    lowered = THINNED.get(name, {})
    thin = {c: counts.get(c, 0) for c in CATEGORIES if counts.get(c, 0) < lowered.get(c, MIN_PER_CATEGORY)}
    assert not thin, f"categories with fewer lines than asked: {thin}"


def test_held_out_lines_are_not_dev_lines():
    dev_files = ("oasis_dev.yaml", "oasis_dev2.yaml", "oasis_dev3.yaml", "oasis_dev4.yaml", "oasis_dev5.yaml",
                 "oasis_dev6.yaml", "oasis_dev7.yaml", "oasis_dev8.yaml", "oasis_dev9.yaml", "oasis_dev10.yaml",
                 "oasis_dev11.yaml", "oasis_dev12.yaml", "oasis_dev13.yaml", "oasis_dev14.yaml")
    dev = {e["say"].strip().lower() for name in dev_files for e in load(name)}
    held = {e["say"].strip().lower() for e in load("oasis_heldout.yaml")}
    shared = len(dev & held)  # a count only: a failure must not print held-out lines
    assert shared == 0, f"{shared} development lines are also held-out lines"


def test_hand_sets_spread_over_the_game():
    for name in HAND_FILES:
        positions = {e["at"] for e in load(name)}
        assert len(positions) >= 25, (name, sorted(positions))
        assert min(positions) == 0 and max(positions) >= 43


# a writer who wrote right answers only (wrong ones are covered by the other sets)
RIGHT_ANSWERS_ONLY = frozenset({"oasis_dev12.yaml", "oasis_dev13.yaml"})


def test_riddle_lines_hold_right_and_wrong_answers():
    accepted = {w for r in story().riddles for w in [*r.answers, *r.synonyms]}
    for name in sorted(set(HAND_FILES) - RIGHT_ANSWERS_ONLY):
        words = [e["expect"].split(" ", 1)[1] for e in load(name) if e["category"] == "riddle"]
        assert any(w in accepted for w in words) and any(w not in accepted for w in words), name


# --- playable ------------------------------------------------------------------------
def _hand_cases():
    for name in HAND_FILES:
        for index, entry in enumerate(load(name)):
            yield pytest.param(entry, id=f"{name.split('.')[0]}-{index}")


@pytest.mark.parametrize("entry", list(_hand_cases()))
def test_expected_commands_are_valid_where_they_are_said(entry):
    engine = engine_at(entry["at"])
    for command in entry.get("before", []):
        action = act(engine, command)
        if action is None or not engine.would_succeed(action):
            # only the line set up for "oops" may follow a command the game did not take
            assert is_oops(entry), f"'before' command {command!r} is not valid here"
            continue
        engine.perform(action)
    if entry["expect"] in ("ask", "refuse"):
        return
    for command in entry["expect"].split("; "):
        action = act(engine, command)
        assert action is not None, f"the parser does not read the canonical {command!r}"
        assert engine.would_succeed(action), f"{command!r} would not succeed at {entry['at']}"
        outcome = engine.perform(action)
        assert not outcome.refused, command


# --- TextWorld paraphrase templates ---------------------------------------------------
TW_SHAPES = {
    "go": "go {d}", "take": "take {x}", "take_from": "take {x} from {y}", "drop": "drop {x}",
    "put": "put {x} on {y}", "insert": "insert {x} into {y}", "open": "open {x}", "close": "close {x}",
    "unlock": "unlock {x} with {y}", "lock": "lock {x} with {y}", "eat": "eat {x}", "drink": "drink {x}",
    "cook": "cook {x} with {y}", "slice": "slice {x} with {y}", "dice": "dice {x} with {y}",
    "chop": "chop {x} with {y}", "prepare": "prepare meal", "examine": "examine {x}",
}
_SLOTS = re.compile(r"\{([a-z]+)\}")


def test_tw_paraphrases_cover_every_shape():
    data = yaml.safe_load((DATA / "tw_paraphrases.yaml").read_text(encoding="utf-8"))
    noise = data.pop("noise")
    assert isinstance(noise, dict) and len(noise) >= 8
    assert all(isinstance(v, str) and v for v in noise.values())
    assert set(data) == set(TW_SHAPES)
    for shape, canonical in TW_SHAPES.items():
        entry = data[shape]
        assert entry["canonical"] == canonical
        slots = set(_SLOTS.findall(canonical))
        texts = [p["text"] for p in entry["paraphrases"]]
        assert len(texts) >= 12 and len(set(texts)) == len(texts), shape
        splits = Counter(p["split"] for p in entry["paraphrases"])
        assert set(splits) == {"dev", "heldout"} and min(splits.values()) >= 4, (shape, splits)
        for p in entry["paraphrases"]:
            assert set(p) == {"text", "split"}, p
            assert set(_SLOTS.findall(p["text"])) == slots, (shape, p["text"])
            filled = p["text"].format(x="old key", y="antique trunk", d="north")
            assert "{" not in filled and filled.strip() == filled, p


# a plain writer: 182 of 289 lines repeated other template files and were dropped (3 to 9 remain per shape)
MIN_TEMPLATES = {"tw_paraphrases_dev9.yaml": 3, "tw_paraphrases_dev10.yaml": 7}


@pytest.mark.parametrize("name", ["tw_paraphrases_dev2.yaml", "tw_paraphrases_dev3.yaml", "tw_paraphrases_dev4.yaml",
                                  "tw_paraphrases_dev5.yaml", "tw_paraphrases_dev6.yaml", "tw_paraphrases_dev7.yaml",
                                  "tw_paraphrases_dev8.yaml", "tw_paraphrases_dev9.yaml",
                                  "tw_paraphrases_dev10.yaml", "tw_paraphrases_dev11.yaml",
                                  "tw_paraphrases_dev12.yaml"])
def test_more_tw_paraphrase_files_are_development_data_of_known_shapes(name):
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    first = yaml.safe_load((DATA / "tw_paraphrases.yaml").read_text(encoding="utf-8"))
    held_out = {(spec["canonical"], p["text"].strip().lower()) for shape, spec in first.items() if shape != "noise"
                for p in spec["paraphrases"] if p["split"] == "heldout"}
    canonicals = set(TW_SHAPES.values())
    shared = 0
    for shape, spec in data.items():
        assert spec["canonical"] in canonicals, shape
        slots = set(_SLOTS.findall(spec["canonical"]))
        assert len(spec["paraphrases"]) >= MIN_TEMPLATES.get(name, 8), shape
        for p in spec["paraphrases"]:
            assert p["split"] == "dev" and set(_SLOTS.findall(p["text"])) == slots, (shape, p["text"])
            shared += (spec["canonical"], p["text"].strip().lower()) in held_out
    assert shared == 0, f"{shared} lines are also held-out templates"  # a count: held-out lines stay unread
