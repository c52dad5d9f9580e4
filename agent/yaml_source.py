"""Reading YAML for validation, with limits: one reader for every YAML format (stories, village scripts).

`YamlSource(text, file, Invalid, what)` composes the text once with a bounded
loader and keeps the data, a map from field paths to lines, and the duplicate
keys found; `problem(loc, message)` turns a field path into a
`Problem(file, line, field, message)` printed as `FILE:LINE: field.path: message`.
`FileInvalid` is the one error every format raises (its `problems` list);
`read_text_limited` the one way a format's file is read (size cap, missing
file, not text), `json_schema_text` the one schema printer and `check_files`
the one `check` command.

Limits (checked while composing, before anything walks the data):
  * nesting depth at most MAX_DEPTH levels (deeper input would overflow the
    recursion of the composer, the duplicate-key walk and pydantic);
  * aliases: at most MAX_ALIASES of them, and all of them together may add at
    most MAX_ALIAS_NODES nodes to the document once expanded (a 400-byte
    "billion laughs" file expands to hundreds of millions of nodes); an alias
    to its own anchor (recursive data) is refused. The expanded size is
    counted over the composed node graph, each node once, so a bomb is
    rejected in milliseconds.

It lives in `agent/` (the lowest layer that reads YAML) so `agent.villagers`
and `game.stories.loader` share it without `agent/` importing `game/`.

Deliberately left out: includes, YAML tags beyond the safe loader's, and
size limits on the text itself (each format caps its file's bytes).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

MAX_DEPTH = 100
MAX_ALIASES = 10_000
MAX_ALIAS_NODES = 200_000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field or '(top)'}: {self.message}"


class FileInvalid(ValueError):
    """A file every problem of which is in `problems` (each printed `FILE:LINE: field.path: message`).

    Each format names its own subclass (StoryInvalid, VillageInvalid) only so callers can say which they catch."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_text_limited(path: Path, max_bytes: int, invalid: type[FileInvalid], what: str) -> str:
    """The UTF-8 text of a format's file, or `invalid` naming the file: missing, too large, a folder, not text."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise invalid([Problem(str(path), 1, "", f"file is {size} bytes; a {what} is at most {max_bytes}")])
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise invalid([Problem(str(path), 0, "", f"no such {what}")]) from None
    except UnicodeDecodeError as exc:
        raise invalid([Problem(str(path), 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    except IsADirectoryError:
        raise invalid([Problem(str(path), 0, "", f"is a directory, not a {what}")]) from None


def json_schema_text(model: type[BaseModel], title: str) -> str:
    """A format's JSON Schema (draft 2020-12), for editors that complete and check YAML."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, indent=2)


class YamlLimit(yaml.MarkedYAMLError):
    """The text is valid YAML but exceeds a limit (depth, aliases, expansion)."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YamlLimit(problem=f"more than {MAX_ALIASES} aliases (*name)",
                                problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlLimit(problem=f"nested more than {MAX_DEPTH} levels deep",
                                problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root) -> None:
    """Raise YamlLimit when aliases expand the document by more than MAX_ALIAS_NODES nodes, or loop."""
    if root is None:
        return
    sizes: dict[int, int] = {}  # expanded size per composed node (a DAG when aliases share nodes)
    composed: set[int] = set()
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:  # iterative post-order: deep or wide input cannot overflow Python's stack here
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlLimit(problem="an alias refers to its own anchor (recursive data)", problem_mark=node.start_mark)
        on_path.add(key)
        composed.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise YamlLimit(problem="an alias refers to its own anchor (recursive data)",
                                problem_mark=child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))
    added = sizes[id(root)] - len(composed)
    if added > MAX_ALIAS_NODES:
        raise YamlLimit(problem=f"aliases expand the document by {added} nodes (at most {MAX_ALIAS_NODES}); "
                        "is this an alias bomb?", problem_mark=root.start_mark)


def compose_bounded(text: str):
    """(root node, data) of one YAML document, within the limits above; raises yaml.YAMLError."""
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        _check_expansion(root)
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


class LineMap:
    """Maps a field path (("rooms", 3, "exits", 0, "to")) to a 1-based line."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def resolve(self, loc: tuple) -> tuple[int, str]:
        """The line of the deepest node on the path, and the path as shown."""
        node, shown = self.root, []
        line = 1 if node is None else node.start_mark.line + 1
        for part in loc:
            child = self._child(node, part)
            if child is None:
                if isinstance(part, str) and "[" not in part and part not in ("str", "int", "bool"):
                    shown.append(part)  # a missing field: name it, keep the parent's line
                continue
            key_node, node = child
            shown.append(str(part))
            line = (key_node or node).start_mark.line + 1
        return line, ".".join(shown)

    @staticmethod
    def _child(node, part):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    return key, value
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None


def duplicate_keys(node, path=()) -> list[tuple[tuple, str]]:
    """YAML silently keeps the last of two equal keys; authors deserve an error.

    Each composed node is walked once (an aliased node was checked at its anchor), so the walk is
    linear in the text whatever the aliases do."""
    found, seen_nodes, stack = [], set(), [(node, path)]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
                if name in seen:
                    found.append((key.start_mark.line, (*path, name),
                                  f"duplicate key {name!r} (line {key.start_mark.line + 1})"))
                seen.add(name)
                stack.append((value, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((value, (*path, i)) for i, value in enumerate(node.value))
    return [(loc, message) for _, loc, message in sorted(found, key=lambda f: f[0])]


class YamlSource:
    """A YAML text read for validation: its data, and problems mapped to FILE:LINE: field.path."""

    def __init__(self, text: str, file: str, invalid: type[FileInvalid], what: str) -> None:
        try:
            root, self.data = compose_bounded(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            kind = "YAML beyond the limits" if isinstance(exc, YamlLimit) else "not valid YAML"
            raise invalid([Problem(file, line, "", f"{kind}: {getattr(exc, 'problem', exc)}")]) from None
        self.file = file
        self.lines = LineMap(root)
        self.duplicates = [self.problem(loc, msg) for loc, msg in duplicate_keys(root)]
        if not isinstance(self.data, dict):
            raise invalid(self.duplicates + [Problem(file, 1, "", f"{what} must be a YAML mapping (key: value lines)")])

    def problem(self, loc: tuple, message: str) -> Problem:
        line, shown = self.lines.resolve(loc)
        return Problem(self.file, line, shown, message)

    def validation_problems(self, exc: ValidationError, format_name: str) -> list[Problem]:
        return [self.problem(tuple(err["loc"]), validation_message(err, format_name)) for err in exc.errors()]


def validation_message(err: dict, format_name: str = "story") -> str:
    if err["type"] == "extra_forbidden":
        return f"unknown key (not part of the {format_name} format; check the spelling)"
    return err["msg"].removeprefix("Value error, ")


def resolve_bundled(name: str | None, default: Path, bundled_dir: Path) -> Path:
    """A path, or the name of a bundled YAML file in `bundled_dir`, or `default`."""
    if not name:
        return default
    path = Path(name).expanduser()
    if path.exists() or path.suffix in (".yaml", ".yml", ".json"):
        return path
    return bundled_dir / f"{name}.yaml"


def check_files(names, load, summary, invalid: type[FileInvalid] = FileInvalid) -> int:
    """`adventure story|villagers check`: `NAME: ok (summary)` on stdout, every problem on stderr; 1 if any failed."""
    failed = 0
    for name in names:
        try:
            loaded = load(name)
        except invalid as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        print(f"{name}: ok ({summary(loaded)})")
    return 1 if failed else 0
