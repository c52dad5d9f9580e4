"""Village scripts: the bundled one, and malformed ones reported with file, line and field."""
from __future__ import annotations

import textwrap

import pytest

from agent.villagers.script import (
    VillageInvalid,
    load_village,
    parse_day_clock,
    parse_village_text,
    village_json_schema,
)
from game.cli import main

GOOD = textwrap.dedent("""\
    format: 1
    id: tiny
    title: Tiny
    start: 2026-05-04T07:00:00
    places:
      - {id: well, name: Well}
      - {id: market, name: Market, objects: [stall]}
    villagers:
      - id: ana
        name: Ana
        age: 30
        occupation: baker
        home: market
        routine:
          - {at: "06:00", place: market, activity: baking bread}
      - id: ben
        name: Ben
        age: 40
        occupation: smith
        home: well
        routine:
          - {at: "06:00", place: well, activity: drawing water}
    events:
      - {at: day 1 09:00, place: well, text: The well runs dry.}
    """)


def problems_of(text: str) -> list:
    from game.textworld.story_files import open_named_story  # the game's story loader, as the game passes it

    with pytest.raises(VillageInvalid) as info:
        parse_village_text(text, "v.yaml", story_loader=open_named_story)
    return info.value.problems


def test_good_script_and_bundled_village_load():
    assert len(parse_village_text(GOOD).villagers) == 2
    oasis = load_village("oasis")
    assert len(oasis.villagers) >= 5
    from game.stories.loader import DEFAULT_STORY, load_story

    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    rooms = {r.id for r in story.rooms}
    assert {p.room for p in oasis.places if p.room} <= rooms and any(p.room for p in oasis.places)


def test_unknown_place_has_file_line_and_field():
    [p] = problems_of(GOOD.replace("place: well, activity", "place: moon, activity"))
    assert (p.file, p.line, p.field) == ("v.yaml", 22, "villagers.1.routine.0.place")
    assert "unknown place 'moon'" in p.message
    assert str(p).startswith("v.yaml:22: villagers.1.routine.0.place: unknown place")


def test_duplicate_villager_name():
    [p] = problems_of(GOOD.replace("name: Ben", "name: ana"))
    assert (p.line, p.field) == (17, "villagers.1.name") and "duplicate villager name" in p.message


@pytest.mark.parametrize("when, message", [
    ("day 1 25:00", "not a possible time"), ("day 0 09:00", "days count from 1"),
    ("tomorrow", "not a time like"), ("day 1 06:00", "before the simulation starts")])
def test_impossible_event_time(when, message):
    [p] = problems_of(GOOD.replace("day 1 09:00", when))
    assert (p.line, p.field) == (24, "events.0.at") and message in p.message


def test_unknown_key_and_story_links():
    [p] = problems_of(GOOD.replace("occupation: smith", "occupation: smith\n    hobby: chess"))
    assert (p.line, p.field) == (20, "villagers.1.hobby") and "unknown key" in p.message
    linked = GOOD.replace("title: Tiny", "title: Tiny\nstory: oasis").replace("{id: well, name: Well}",
                                                                           "{id: well, name: Well, room: attic}")
    [p] = problems_of(linked)
    assert p.field == "places.0.room" and "no room 'attic'" in p.message


def test_routine_out_of_order_and_unknown_relationship():
    text = GOOD.replace('- {at: "06:00", place: market, activity: baking bread}',
                        '- {at: "09:00", place: market, activity: baking bread}\n'
                        '      - {at: "08:00", place: well, activity: resting}')
    text = text.replace("occupation: baker", "occupation: baker\n    relationships: {zed: her cousin}")
    found = {(p.field, p.message.split(" (")[0]) for p in problems_of(text)}
    assert ("villagers.0.routine.1.at", "routine steps must be in time order") in found
    assert ("villagers.0.relationships.zed", "unknown villager 'zed'") in found


def test_parse_day_clock():
    assert parse_day_clock("day 2 07:30") == 1440 + 450


def test_cli_check_and_schema(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("place: well, text", "place: nowhere, text"))
    assert main(["villagers", "check", str(bad)]) == 1
    assert f"{bad}:24: events.0.place: unknown place 'nowhere'" in capsys.readouterr().err  # stderr (issue 21)
    assert main(["villagers", "check", "oasis"]) == 0
    assert '"Adventure village script"' in village_json_schema()


def test_cli_check_links_a_script_to_its_story_through_the_games_loader(tmp_path, capsys):
    """agent.villagers knows no stories: `adventure villagers check` gets the game's story loader passed in."""
    linked = tmp_path / "linked.yaml"
    linked.write_text(GOOD.replace("title: Tiny", "title: Tiny\nstory: oasis")
                      .replace("{id: well, name: Well}", "{id: well, name: Well, room: attic}"))
    assert main(["villagers", "check", str(linked)]) == 1
    assert "places.0.room: story 'oasis' has no room 'attic'" in capsys.readouterr().err
    unchecked = parse_village_text(linked.read_text(), "v.yaml")  # no story loader given: links are not checked
    assert unchecked.places[0].room == "attic"
