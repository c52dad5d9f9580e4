"""Item places are typed (game.world.place) but saved as the strings they always were."""
from __future__ import annotations

import json
import sqlite3

import pytest

from game.play.saves import SaveStore
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.engine import Engine
from game.world.place import CARRIED, NOWHERE_PLACE, Place
from game.world.state import WorldState, initial_state


@pytest.mark.parametrize("text, place", [
    ("room:well", Place.room("well")), ("player", CARRIED), ("nowhere", NOWHERE_PLACE),
    ("in:chest", Place.holder("in", "chest")), ("on:table", Place.holder("on", "table")),
    ("char:farah", Place.character("farah"))])
def test_a_place_reads_and_writes_its_saved_form(text, place):
    assert Place.parse(text) == place and str(place) == text


@pytest.mark.parametrize("text", ["room:", "player:", "player:x", "under:bed", "", "chest"])
def test_a_string_that_is_no_place_is_refused(text):
    with pytest.raises(ValueError, match="is not a place"):
        Place.parse(text)


def test_only_in_and_on_places_have_a_container():
    assert Place.holder("in", "chest").container == "chest" and Place.holder("on", "table").container == "table"
    assert [p.container for p in (Place.room("well"), CARRIED, NOWHERE_PLACE, Place.character("farah"))] == [None] * 4


def test_a_save_written_in_the_old_string_form_loads_and_hashes_the_same(tmp_path):
    """A state saved before places were typed: plain "kind:id" strings in its JSON."""
    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    state = initial_state(story)
    old = json.loads(state.canonical_json())
    assert all(isinstance(place, str) for place in old["items"].values())  # the saved form is unchanged
    old["items"]["bronze_key"] = "in:cedar_chest"
    old_text = json.dumps(old, sort_keys=True, separators=(",", ":"))

    loaded = WorldState.model_validate_json(old_text)
    assert loaded.items["bronze_key"] == Place.holder("in", "cedar_chest")
    assert loaded.canonical_json() == old_text  # so the state hash, and with it every save's hash, is the same

    path = tmp_path / "old.sqlite"
    SaveStore(path, story.id).close()
    with sqlite3.connect(path) as conn:  # write the slot as an old version of the game did: the text as it was
        conn.execute("INSERT INTO saves (name, state, state_hash, created) VALUES ('old', ?, ?, '2026-01-01')",
                     (old_text, loaded.state_hash()))
    store = SaveStore(path, story.id)
    try:
        restored = store.load("old")
    finally:
        store.close()
    assert restored == loaded
    Engine(story, restored)  # and the engine accepts it (its invariants hold)
