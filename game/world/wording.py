"""Small English helpers for the engine's own text: articles, capitals, quest titles.

- `with_article("oven")` -> "an oven", `with_article("unicorn horn")` -> "a unicorn horn": the article
  follows the sound for the common cases (a vowel letter, with the usual exceptions such as "one",
  "uni…", "eu…" and a silent "h" in "hour", "honest", "heir"). A name that already starts with an
  article, a determiner or a number ("the", "some", "three", "2") or a possessive ("Nadia's lamp") is
  left as it is. Capitals alone do not mark a proper name (TextWorld's "Canadian chest" wants "a").
- `capitalise_first("talk to Nadia")` -> "Talk to Nadia": only the first letter changes
  (`str.capitalize` would lowercase the rest: "Talk to nadia").
- `quest_title(story, quest)`: what a score line calls a quest — its description's first sentence,
  else the goal read from its conditions ("the red apple is in the fridge"), never its id.

Deliberately left out: plurals and mass nouns the story does not mark (the world model has no field for
them), and any grammar beyond the first word.
"""
from __future__ import annotations

import re

from game.world.model import PLAYER, Quest, Story

_DETERMINERS = {"a", "an", "the", "some", "any", "one", "two", "three", "four", "five", "several", "many",
                "his", "her", "their", "my", "your", "our", "its", "this", "that", "these", "those"}
_CONSONANT_SOUND = ("one", "once", "uni", "use", "usu", "uti", "ute", "ubi", "ufo", "ura", "ure", "uro",
                    "eu", "ewe")
_VOWEL_SOUND = ("hour", "honest", "honour", "honor", "heir")
QUEST_TITLE_MAX = 60


def article(name: str) -> str:
    """ "a" or "an" for `name`, by its first word's sound (the common cases)."""
    word = name.strip().lower()
    if word.startswith(_VOWEL_SOUND):
        return "an"
    if word.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if word[:1] in "aeiou" and word[:1] else "a"


def with_article(name: str) -> str:
    """`name` with its indefinite article, unless it carries one already or is a proper name."""
    name = name.strip()
    first = name.split(" ", 1)[0]
    if not name or first.lower() in _DETERMINERS or first[:1].isdigit() or first.lower().endswith(("'s", "’s")):
        return name
    return f"{article(name)} {name}"


def capitalise_first(text: str) -> str:
    """Upper-case the first letter only; the rest (names) keeps its capitals."""
    return text[:1].upper() + text[1:]


def quest_title(story: Story, quest: Quest) -> str:
    """A readable title for a score line: never the quest's id."""
    description = " ".join(quest.description.split())
    if description:
        first = re.split(r"(?<=[.!?])\s", description, maxsplit=1)[0].rstrip(".!?")
        if len(first) > QUEST_TITLE_MAX:
            first = first[:QUEST_TITLE_MAX].rsplit(" ", 1)[0] + "…"
        return first
    goals = [_goal(story, c) for alt in quest.win[:1] for c in alt]
    goals = [g for g in goals if g]
    if goals:
        return " and ".join(goals[:2])
    number = next((i for i, qu in enumerate(story.quests, 1) if qu.id == quest.id), 0)
    return f"quest {number} of {len(story.quests)}" if number else "a quest"


def _goal(story: Story, cond) -> str:
    """One win condition in words ("the red apple is in the fridge"), "" for the kinds not worth saying."""
    def name(some_id: str) -> str:
        kind = story.kind_of(some_id)
        table = {"item": story.item, "door": story.door, "room": story.room, "character": story.character}
        return table[kind](some_id).name if kind in table else some_id

    if cond.player_in:
        return f"you reached the {name(cond.player_in)}"
    if cond.item and cond.at:
        if cond.at == PLAYER:
            return f"you have the {name(cond.item)}"
        where = "on" if story.kind_of(cond.at) == "item" and _is_supporter(story, cond.at) else "in"
        return f"the {name(cond.item)} is {where} the {name(cond.at)}"
    if cond.thing and cond.is_:
        return f"the {name(cond.thing)} is {cond.is_}"
    return ""


def _is_supporter(story: Story, item_id: str) -> bool:
    container = story.item(item_id).container
    return container is not None and container.kind == "on"
