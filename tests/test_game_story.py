"""Story files: the bundled story, the schema, and every kind of bad YAML."""
from __future__ import annotations

import json
import textwrap

import pytest

from game.cli import main
from game.stories.loader import (
    DEFAULT_STORY,
    StoryInvalid,
    load_story,
    parse_story_text,
    story_json_schema,
)

GOOD = textwrap.dedent("""\
    format: 1
    id: tiny
    title: Tiny
    intro: A tiny test world.
    start: hall
    rooms:
      - id: hall
        name: Hall
        description: A hall.
        exits:
          - {direction: north, to: vault, door: iron_door}
      - id: vault
        name: Vault
        description: A vault.
        exits:
          - {direction: south, to: hall, door: iron_door}
    doors:
      - {id: iron_door, name: iron door, key: iron_key}
    items:
      - {id: iron_key, name: iron key, description: A key., location: hall}
    win:
      when: [{player_in: vault}]
      message: You made it.
    walkthrough: [take key, unlock door, north]
    """)


def problems_of(text: str) -> list[str]:
    with pytest.raises(StoryInvalid) as info:
        parse_story_text(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_bundled_story_meets_the_brief():
    story = load_story(DEFAULT_STORY)
    assert len(story.rooms) >= 12 and len(story.items) >= 15
    answers = sorted(a for r in story.riddles for a in r.answers)
    assert answers == ["cloud", "fire", "straw", "wind"]
    assert any(d.locked and d.key for d in story.doors)
    assert any(r.dark for r in story.rooms) and any(i.light for i in story.items)
    assert any(c.sells for c in story.characters) and story.lore and story.walkthrough


def test_good_tiny_story_loads():
    story = parse_story_text(GOOD, "tiny.yaml")
    assert story.start == "hall" and story.door("iron_door").key == "iron_key"


def test_yaml_syntax_error_has_line():
    found = problems_of(GOOD.replace("name: Vault", "name: [Vault"))
    assert len(found) == 1 and found[0].startswith("s.yaml:") and "not valid YAML" in found[0]


def test_unknown_keys_are_errors_with_line_and_path():
    text = GOOD.replace("    name: Vault\n", "    name: Vault\n    colour: red\n")
    found = problems_of(text)
    assert found == ["s.yaml:14: rooms.1.colour: unknown key (not part of the story format; check the spelling)"]


def test_bad_reference_reported_with_line():
    found = problems_of(GOOD.replace("to: vault, door", "to: attic, door"))
    assert any(f.startswith("s.yaml:11: rooms.0.exits.0.to:") and "'attic'" in f for f in found)


def test_duplicate_ids_and_duplicate_keys():
    text = GOOD.replace("  - id: vault\n", "  - id: hall\n")
    assert any("rooms.1.id: duplicate id 'hall'" in f for f in problems_of(text))
    text = GOOD.replace("title: Tiny\n", "title: Tiny\ntitle: Again\n")
    assert any("duplicate key 'title'" in f for f in problems_of(text))


def test_every_error_is_reported_in_one_run():
    text = (GOOD.replace("    name: Vault\n", "    name: Vault\n    colour: red\n")
            .replace("location: hall}", "location: cellar}")
            .replace("title: Tiny\n", "title: Tiny\nauthor: me\n"))
    found = problems_of(text)
    assert any("rooms.1.colour" in f for f in found)
    assert any(f.endswith("author: unknown key (not part of the story format; check the spelling)") for f in found)
    assert any("items.0.location" in f and "'cellar'" in f for f in found)


def test_unreachable_win_ignoring_and_honouring_keys():
    island = GOOD.replace("rooms:\n", "rooms:\n  - {id: island, name: Island, description: Alone.}\n")
    found = problems_of(island.replace("player_in: vault", "player_in: island"))
    assert any("unreachable" in f and "even ignoring locks" in f for f in found)
    key_inside = GOOD.replace("location: hall}", "location: vault}").replace(
        "walkthrough: [take key, unlock door, north]", "")
    found = problems_of(key_inside)
    assert any("unreachable" in f and "keys are out of reach" in f for f in found)


def test_walkthrough_that_does_not_win_is_reported():
    found = problems_of(GOOD.replace("[take key, unlock door, north]", "[take key]"))
    assert any("walkthrough" in f and "without winning" in f for f in found)


def test_door_must_connect_both_ways():
    found = problems_of(GOOD.replace("{direction: south, to: hall, door: iron_door}", "{direction: south, to: hall}"))
    assert any("door 'iron_door'" in f for f in found)


def test_not_a_mapping_and_missing_file(tmp_path):
    assert "must be a YAML mapping" in problems_of("- just\n- a list\n")[0]
    with pytest.raises(StoryInvalid) as info:
        load_story(tmp_path / "missing.yaml")
    assert "no such story file" in str(info.value)


def test_schema_is_json_and_forbids_unknown_keys():
    schema = json.loads(story_json_schema())
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Room"]["additionalProperties"] is False


def test_cli_story_check(tmp_path, capsys):
    assert main(["story", "check", str(DEFAULT_STORY)]) == 0
    assert "ok" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("to: vault, door", "to: attic, door"), encoding="utf-8")
    assert main(["story", "check", str(bad)]) == 1
    out = capsys.readouterr().err  # problems go to stderr (issue 21)
    assert f"{bad}:11: rooms.0.exits.0.to:" in out
    assert main(["story", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Adventure story"
