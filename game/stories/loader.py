"""Load story YAML into a `Story`, reporting every problem with file, line and field.

`load_story(path)` returns a valid Story or raises `StoryInvalid` whose
`problems` are `Problem(file, line, field, message)`s, printed as
`FILE:LINE: field.path: message`. Lines come from PyYAML's node tree
(`yaml.compose`), walked along the field path of each error — the same path
pydantic reports, because stories use lists (not id-keyed maps) for rooms,
items and so on.

Checking happens in stages, each reporting all of its problems: YAML syntax
and limits (one error: the reader stops there; `agent.yaml_source` bounds
nesting depth and alias expansion, so an alias bomb is refused at once),
duplicate mapping keys, the schema
(every pydantic error), then cross-references, reachability and the
walkthrough (`game.stories.checks`), which only run on a schema-valid story.
`validate_story_data(data, problem_at)` is those last two stages for a story
built as a dict (the TextWorld importer's), with problems placed by the caller.

Deliberately left out: multi-file stories and includes, and other file types
(`game.textworld.story_files.open_story` chooses the loader by file type).
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

# The one YAML reader every format shares (bounded: depth, aliases); re-exported for existing importers.
from agent.yaml_source import (  # noqa: F401
    FileInvalid,
    LineMap,
    Problem,
    YamlSource,
    check_files,
    duplicate_keys,
    json_schema_text,
    read_text_limited,
    resolve_bundled,
    validation_message,
)
from game.stories.checks import cross_check
from game.world.model import Story

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "assets" / "stories"
DEFAULT_STORY = BUNDLED_DIR / "oasis.yaml"
MAX_STORY_BYTES = 2_000_000


class StoryInvalid(FileInvalid):
    """A story's problems (the shared `FileInvalid`, named for the format)."""


ProblemAt = Callable[[tuple, str], Problem]  # (field path, message) -> a Problem placed in the author's file


def resolve_story_path(name: str | None) -> Path:
    """A path, or the name of a bundled story ("oasis"), or the default story."""
    return resolve_bundled(name, DEFAULT_STORY, BUNDLED_DIR)


def parse_story_text(text: str, file: str = "<story>", *, check_walkthrough: bool = True) -> Story:
    source = YamlSource(text, file, StoryInvalid, "a story")
    return validate_story_data(source.data, source.problem, check_walkthrough=check_walkthrough,
                               leading=source.duplicates)


def validate_story_data(data: dict, problem_at: ProblemAt, *, check_walkthrough: bool = True,
                        leading: list[Problem] = ()) -> Story:
    """The schema, then the cross-checks, of a story given as data; every problem at once in StoryInvalid.

    `leading` problems (duplicate keys) come first and fail the story even when all else is well."""
    try:
        story = Story.model_validate(data)
    except ValidationError as exc:
        schema = [problem_at(tuple(err["loc"]), validation_message(err, "story")) for err in exc.errors()]
        raise StoryInvalid([*leading, *schema, *_pruned_cross_check(data, exc, problem_at)]) from None
    crossed = cross_check(story, check_walkthrough=check_walkthrough)
    problems = [*leading, *(problem_at(loc, msg) for loc, msg in crossed)]
    if problems:
        raise StoryInvalid(problems)
    return story


def _pruned_cross_check(data: dict, exc: ValidationError, problem_at: ProblemAt) -> list[Problem]:
    """Cross-check what is left after pruning the schema's broken parts, so one run reports everything."""
    pruned = _prune(data, exc.errors())
    if pruned is None:
        return []
    pruned_data, to_original, dropped_ids = pruned
    try:
        partial = Story.model_validate(pruned_data)
    except ValidationError:
        return []  # pruning did not leave a valid story: the schema problems are all there is to say
    return [problem_at(to_original(loc), msg)
            for loc, msg in cross_check(partial, check_walkthrough=False, also_known=dropped_ids)]


def _prune(data: dict, errors: list[dict]):
    """Drop unknown keys and the innermost list elements holding schema errors.

    Returns (pruned data, a function mapping a pruned field path back to the
    original one, ids of dropped elements) or None when an error sits outside
    any list (e.g. a missing top-level field) and nothing sensible is left.
    """
    pruned = copy.deepcopy(data)
    removals: dict[tuple, set[int]] = {}
    dropped_ids: set[str] = set()
    for err in errors:
        loc, node, path, last_list = tuple(err["loc"]), data, (), None
        for part in loc:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                last_list = (path, part)
            elif not (isinstance(node, dict) and part in node):
                break
            node, path = node[part], (*path, part)
        if err["type"] == "extra_forbidden" and path == loc:
            parent = pruned
            for part in loc[:-1]:
                parent = parent[part]
            parent.pop(loc[-1], None)
        elif last_list is not None:
            removals.setdefault(last_list[0], set()).add(last_list[1])
        else:
            return None
    index_maps: dict[tuple, list[int]] = {}
    for list_path in sorted(removals, key=len, reverse=True):  # inner lists first
        target = pruned
        for part in list_path:
            target = target[part]
        for index in sorted(removals[list_path], reverse=True):
            element = target.pop(index)
            if isinstance(element, dict) and isinstance(element.get("id"), str):
                dropped_ids.add(element["id"])
        index_maps[list_path] = [i for i in range(len(target) + len(removals[list_path]))
                                 if i not in removals[list_path]]

    def to_original(loc: tuple) -> tuple:
        out: list = []
        for part in loc:
            mapping = index_maps.get(tuple(out))
            out.append(mapping[part] if mapping is not None and isinstance(part, int) and part < len(mapping) else part)
        return tuple(out)

    return pruned, to_original, dropped_ids


def load_story(path: str | Path, *, check_walkthrough: bool = True) -> Story:
    """A YAML story file (other file types: `game.textworld.story_files.open_story`)."""
    path = Path(path)
    if path.suffix == ".json":  # a mistake worth a clear word: YAML would read the JSON and list every field
        raise StoryInvalid([Problem(str(path), 0, "", "a .json file is a TextWorld game, not a story YAML file "
                                    "(game.textworld.story_files.open_story opens either)")])
    text = read_text_limited(path, MAX_STORY_BYTES, StoryInvalid, "story file")
    return parse_story_text(text, str(path), check_walkthrough=check_walkthrough)


def story_json_schema() -> str:
    return json_schema_text(Story, "Adventure story")
