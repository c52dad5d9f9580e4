"""A TextWorld game's file as tw-make writes it (`GAME.json` beside the `.z8`): reading it, and its markup.

`read_game(path)` returns the JSON as data or raises `TextWorldImportError`
naming the file; `plain_text` takes Inform 7 markup out of a description;
`fact_text` shows a logic fact as TextWorld writes it; `story_id_for` gives
an imported game its story id. The conversion itself is game.textworld.importer's.

Deliberately left out: the `.z8` story file (game.textworld.diff runs it).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from game.stories.loader import Problem, StoryInvalid

MAX_GAME_BYTES = 20_000_000


class TextWorldImportError(StoryInvalid):
    """The game uses something our engine cannot represent faithfully (or the file is broken)."""


def import_error(file: str, field: str, message: str) -> TextWorldImportError:
    """One problem with the game file, naming it and the field (fact or entity) at fault."""
    return TextWorldImportError([Problem(file, 0, field, message)])


def read_game(path: str | Path) -> dict:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_GAME_BYTES:
            raise import_error(str(path), "", f"file is {path.stat().st_size} bytes; TextWorld games here are at most "
                                       f"{MAX_GAME_BYTES}")
        game = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise import_error(str(path), "", "no such TextWorld game file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise import_error(str(path), "", f"not a TextWorld game: the JSON does not parse ({exc})") from None
    if not isinstance(game, dict) or not {"world", "infos", "quests"} <= set(game):
        raise import_error(str(path), "", "not a TextWorld game: expected the keys world, infos and quests "
                                   "(the .json file that tw-make writes next to the .z8)")
    return game


def fact_text(fact: dict) -> str:
    return f"{fact['name']}({', '.join(a['name'] for a in fact['arguments'])})"


def plain_text(text: str | None, noun: str) -> str:
    """Inform 7 markup out: '[noun]' becomes the noun, '[if ...]...[end if]' blocks and other brackets go."""
    text = (text or "").replace("[noun]", noun)
    block = re.compile(r"\[if [^\]]*\](?:(?!\[if )[\s\S])*?\[end if\]")
    while block.search(text):
        text = block.sub("", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    return " ".join(text.split())


def story_id_for(game: dict, file: str) -> str:
    uuid = str(game.get("metadata", {}).get("uuid") or Path(file).stem)
    return "tw_" + hashlib.sha256(uuid.encode()).hexdigest()[:12]
