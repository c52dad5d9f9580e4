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

Deliberately left out: multi-file stories and includes.
"""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

# The one YAML reader every format shares (bounded: depth, aliases); re-exported for existing importers.
from agent.yaml_source import (  # noqa: F401
    LineMap,
    Problem,
    YamlSource,
    check_files,
    duplicate_keys,
    resolve_bundled,
    validation_message,
)
from game.world.model import Story

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "assets" / "stories"
DEFAULT_STORY = BUNDLED_DIR / "oasis.yaml"
MAX_STORY_BYTES = 2_000_000


class StoryInvalid(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def resolve_story_path(name: str | None) -> Path:
    """A path, or the name of a bundled story ("oasis"), or the default story."""
    return resolve_bundled(name, DEFAULT_STORY, BUNDLED_DIR)


def parse_story_text(text: str, file: str = "<story>", *, check_walkthrough: bool = True) -> Story:
    source = YamlSource(text, file, StoryInvalid, "a story")
    data, problem, dupes = source.data, source.problem, source.duplicates
    try:
        story = Story.model_validate(data)
    except ValidationError as exc:
        schema = source.validation_problems(exc, "story")
        # Cross-check what is left after pruning the broken parts, so one run reports everything.
        pruned = _prune(data, exc.errors())
        extra = []
        if pruned is not None:
            pruned_data, to_original, dropped_ids = pruned
            from game.stories.checks import cross_check

            try:
                partial = Story.model_validate(pruned_data)
            except ValidationError:
                partial = None
            if partial is not None:
                extra = [problem(to_original(loc), msg) for loc, msg in
                         cross_check(partial, check_walkthrough=False, also_known=dropped_ids)]
        raise StoryInvalid(dupes + schema + extra) from None
    from game.stories.checks import cross_check  # needs a schema-valid story

    problems = dupes + [problem(loc, msg) for loc, msg in cross_check(story, check_walkthrough=check_walkthrough)]
    if problems:
        raise StoryInvalid(problems)
    return story


def _prune(data: dict, errors: list[dict]):
    """Drop unknown keys and the innermost list elements holding schema errors.

    Returns (pruned data, a function mapping a pruned field path back to the
    original one, ids of dropped elements) or None when an error sits outside
    any list (e.g. a missing top-level field) and nothing sensible is left.
    """
    import copy

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
    """A YAML story, or a TextWorld game's `.json` imported on the fly (game.textworld.importer)."""
    path = Path(path)
    if path.suffix == ".json":
        from game.textworld.importer import load_textworld

        return load_textworld(path, check_walkthrough=check_walkthrough)
    try:
        size = path.stat().st_size
        if size > MAX_STORY_BYTES:
            raise StoryInvalid([Problem(str(path), 1, "", f"file is {size} bytes; stories are at most {MAX_STORY_BYTES}")])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StoryInvalid([Problem(str(path), 0, "", "no such story file")]) from None
    except UnicodeDecodeError as exc:
        raise StoryInvalid([Problem(str(path), 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    except IsADirectoryError:
        raise StoryInvalid([Problem(str(path), 0, "", "is a directory, not a story file")]) from None
    return parse_story_text(text, str(path), check_walkthrough=check_walkthrough)


def story_json_schema() -> str:
    schema = Story.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Adventure story"
    return json.dumps(schema, indent=2)
