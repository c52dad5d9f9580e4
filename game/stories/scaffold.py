"""`adventure story new NAME`: write a small, playable, commented story to start from.

The scaffold is one YAML text with `{id}` and `{title}` filled in: three
rooms, a locked door and its key in a chest, coins, a merchant, a riddle
gate, a way to lose, lore, a verb of the story's own and a walkthrough that
wins. It passes `adventure story check`, and the comments point at
docs/WRITING_STORIES.md for the rest.

Deliberately left out: interactive questions, and villages (a village is a
second file; the guide shows one). An existing file is never overwritten.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SCAFFOLD = """\
# {title}: a story scaffolded by `adventure story new`.
# Check it:     adventure story check {file}
# Play it:      adventure play {file} --watch     (reloads as you save this file)
# Prove it:     adventure story check --solve {file}
# Every field:  docs/WRITING_STORIES.md, or `adventure story schema` for editors.
format: 1
id: {id}                       # lowercase letters, digits and _; saves are kept per id
title: {title}
intro: >-
  You wake in a quiet cottage at the edge of the woods. Somewhere beyond the
  garden gate, people say, lies a stone circle that sings at dawn.
narrator_rules: >-
  Describe only what the facts say. Two or three sentences, second person.
start: cottage                 # the id of the room the player starts in
currency: coins                # the counter that money items fill and shops take
counters:
  coins: 0

# Rooms: ids are how everything else refers to them; `aliases` are the other
# names a player may use ("go to the garden"). Exits name a direction and the
# room they lead to; an exit may pass a door or a riddle gate.
rooms:
  - id: cottage
    name: Cottage
    aliases: [house, home]
    description: >-
      A low room with a cold hearth and an oak chest under the window. A green
      door leads north into the garden.
    exits:
      - {{direction: north, to: garden, door: green_door}}

  - id: garden
    name: Overgrown Garden
    aliases: [garden, yard]
    description: >-
      Bean rows run wild under an apple tree. A stone arch stands to the east; the
      cottage is south.
    points: 5                  # score for the first visit
    exits:
      - {{direction: south, to: cottage, door: green_door}}
      - {{direction: east, to: stone_circle, riddle: arch_riddle}}
      - {{direction: west, to: bog}}

  - id: bog
    name: Black Bog
    aliases: [marsh]
    description: The ground gives way under you.
    exits:
      - {{direction: east, to: garden}}

  - id: stone_circle
    name: Stone Circle
    aliases: [circle, stones]
    description: >-
      Seven grey stones stand in a ring around a flat altar stone.
    exits:
      - {{direction: west, to: garden}}

# A door sits on two exits that lead back to each other. Locked doors open
# with their `key` (an item id).
doors:
  - id: green_door
    name: green door
    aliases: [door]
    description: A green-painted door with an iron lock.
    locked: true
    key: iron_key

# Items: `location` is a room, a container item, a character, 'player' or
# 'nowhere'. `portable: false` keeps fixtures in place.
items:
  - id: oak_chest
    name: oak chest
    aliases: [chest]
    description: A heavy chest of dark oak.
    location: cottage
    portable: false
    container: {{kind: in, openable: true, open: false}}
  - id: iron_key
    name: iron key
    aliases: [key]
    description: A small iron key.
    location: oak_chest        # inside the chest: open it first
  - id: purse
    name: handful of coins
    aliases: [coins, coin]
    description: A few copper coins.
    location: oak_chest
    money: 3                   # taking it adds 3 coins; the item vanishes
  - id: apple
    name: red apple
    aliases: [apple]
    description: A crisp red apple.
    location: peddler
    edible: true
  - id: silver_bell
    name: silver bell
    aliases: [bell]
    description: A tiny silver bell that hums when you hold it.
    location: stone_circle
    points: 10                 # score for taking it the first time
  - id: altar_stone
    name: altar stone
    aliases: [altar]
    description: A flat stone worn smooth.
    location: stone_circle
    portable: false
    container: {{kind: "on"}}  # a supporter: put things on it

# Characters greet, and may sell or buy. An item a character sells starts in
# their hands (location: their id).
characters:
  - id: peddler
    name: Old Wen
    aliases: [wen, peddler]
    description: A peddler with a basket of apples.
    location: garden
    greeting: "Apples, two coins! The arch wants a word, they say: what comes before the sun?"
    sells:
      - {{item: apple, price: 2}}

# A riddle gate blocks an exit until the player says one of its answers.
riddles:
  - id: arch_riddle
    name: the stone arch
    aliases: [arch]
    room: garden
    prompt: "I come before the sun and leave the grass wet. What am I?"
    answers: [dawn]
    synonyms: [sunrise, daybreak]
    solved_message: The air under the arch shimmers and clears.
    points: 10

# Winning: every condition must hold after some turn.
win:
  when:
    - {{item: silver_bell, at: altar_stone}}
  message: The bell rings on the altar stone, and the circle sings. You have won!
  points: 20

lose:
  - when: [{{player_in: bog}}]
    message: The bog closes over your head. You have lost.

# Lore: background the narrator may draw on (it is never shown as a room text).
lore:
  - title: The singing stones
    text: The stone circle is said to sing at dawn when its bell is rung.

# Verbs of the story's own: a phrase and the game verb it means.
verbs:
  ring: examine

# Commands that win from the start; `story check` plays them to prove it.
walkthrough:
  - open chest
  - take key
  - take coins
  - unlock door with key
  - north
  - buy apple
  - eat apple
  - answer dawn
  - east
  - take bell
  - put bell on altar
"""


def story_id(name: str) -> str:
    """A valid story id from a file name: lowercase, runs of other characters as '_', starting with a letter."""
    ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not ident or not ident[0].isalpha():
        ident = f"story_{ident}".rstrip("_")
    return ident[:40]


def scaffold_text(path: Path) -> str:
    ident = story_id(path.stem)
    title = " ".join(word.capitalize() for word in ident.split("_"))
    return SCAFFOLD.format(id=ident, title=title, file=path.name)


def register(story_sub) -> None:
    new = story_sub.add_parser("new", help="write a small playable story with comments to start from")
    new.add_argument("name", metavar="NAME", help="the new file (NAME.yaml unless it ends in .yaml or .yml)")
    new.set_defaults(func=cmd_story_new)


def cmd_story_new(args: argparse.Namespace) -> int:
    path = Path(args.name)
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    text = scaffold_text(path)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite a story someone wrote
            handle.write(text)
    except FileExistsError:
        print(f"error: {path} already exists; choose another NAME (nothing was written)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {path} (story id {story_id(path.stem)!r}). Next: adventure story check {path}; "
          f"adventure play {path} --watch; see docs/WRITING_STORIES.md")
    return 0
