"""Typed tools and the registry that describes them to a model.

A tool is a Python callable taking one pydantic model and returning a string.
The registry gives the model two ways to call tools:

* JSON: `registry.json_schema()` / `registry.grammar()` constrain generation
  to `{"tool": NAME, "arguments": {...}}` that validates (GBNF is produced by
  llama-cpp-python's JSON-schema converter, not written by hand).
* Inline, Toolformer style: `[Calculator(7*13) -> 91]`; the text between the
  parentheses goes into the tool's `inline_field`.

Every failure (bad arguments, an exception, a timeout) becomes a short
`ToolResult` with `ok=False`; a tool can never crash its caller. Tools run in
a worker thread with a timeout; Python cannot kill a thread, so a tool that
hangs is abandoned, not stopped — tools must be pure functions without side
effects (none of the built-ins touch files, the network or `eval`).
"""
from __future__ import annotations

import concurrent.futures
import json
import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="tool")


@dataclass(frozen=True)
class ToolResult:
    tool: str
    ok: bool
    text: str  # the result, or a short error message starting with "error:"
    found: bool = True  # False: the tool ran but had nothing to say (a search without a hit)

    def __str__(self) -> str:
        return self.text


@dataclass
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[[BaseModel], str]
    inline_field: str | None = None  # field filled by the inline argument text
    timeout_s: float = 2.0
    nothing_found: str | None = None  # the text `fn` returns when it has nothing to say
    # why valid arguments still do not fit the text the call was made in (None: they fit), e.g. numbers it never says
    misfit: Callable[[BaseModel, str], str | None] | None = None
    # why arguments that fit might still not do what the text asks (None: no doubt): draw again, keep if nothing
    # better comes, e.g. a product where no word of the text multiplies
    doubt: Callable[[BaseModel, str], str | None] | None = None

    def parse_args(self, arguments: dict | str | BaseModel | None) -> BaseModel:
        """Validate arguments given as a model, a dict, JSON text or inline text."""
        if isinstance(arguments, self.args_model):
            return arguments
        if arguments is None:
            arguments = {}
        if isinstance(arguments, str):
            if self.inline_field is not None:
                arguments = {self.inline_field: arguments.strip()}
            elif arguments.strip():
                arguments = json.loads(arguments)
            else:
                arguments = {}
        return self.args_model.model_validate(arguments)

    def run(self, arguments: dict | str | BaseModel | None = None) -> ToolResult:
        try:
            args = self.parse_args(arguments)
        except (ValidationError, ValueError) as exc:
            return ToolResult(self.name, False, f"error: bad arguments for {self.name}: {_short(exc)}")
        future = _POOL.submit(self.fn, args)
        try:
            value = future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError:
            return ToolResult(self.name, False, f"error: {self.name} timed out after {self.timeout_s:g}s")
        except Exception as exc:  # a tool error is a result the model reads, never a crash
            log.info("tool %s failed on %r: %s: %s", self.name, arguments, type(exc).__name__, exc)
            return ToolResult(self.name, False, f"error: {_short(exc)}")
        return ToolResult(self.name, True, str(value), found=str(value) != self.nothing_found)

    def json_schema(self) -> dict:
        return self.args_model.model_json_schema()


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "input"
        return f"{loc}: {err['msg']}"
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


class ToolRegistry:
    """A named set of tools, with the schema and grammar for JSON calls."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"duplicate tool name {tool.name!r}")
        self._tools[tool.name] = tool

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def __getitem__(self, name: str) -> Tool:
        return self._tools[name]

    def names(self) -> list[str]:
        return list(self._tools)

    def misfit(self, name: str, arguments: dict | str | None, context: str) -> str | None:
        """Why `arguments` do not fit `context` (the text before the call), or None; bad arguments are
        `run`'s to report."""
        tool = self._tools.get(name)
        return _judged(tool, tool.misfit if tool else None, arguments, context)

    def doubt(self, name: str, arguments: dict | str | None, context: str) -> str | None:
        """Why `arguments` that fit `context` may still not do what it asks, or None."""
        tool = self._tools.get(name)
        return _judged(tool, tool.doubt if tool else None, arguments, context)

    def run(self, name: str, arguments: dict | str | None = None) -> ToolResult:
        tool = self._tools.get(name)
        if tool is None:
            known = ", ".join(self._tools) or "none"
            return ToolResult(name, False, f"error: unknown tool {name!r} (known: {known})")
        return tool.run(arguments)

    def json_schema(self) -> dict:
        """Schema of one call: {"tool": <name>, "arguments": <that tool's args>}."""
        variants = []
        for tool in self._tools.values():
            variants.append(
                {
                    "type": "object",
                    "properties": {"tool": {"const": tool.name}, "arguments": tool.json_schema()},
                    "required": ["tool", "arguments"],
                    "additionalProperties": False,
                }
            )
        return variants[0] if len(variants) == 1 else {"anyOf": variants}

    def grammar(self) -> str:
        """GBNF for a JSON call, from llama-cpp-python's converter."""
        from llama_cpp.llama_grammar import json_schema_to_gbnf

        return json_schema_to_gbnf(json.dumps(self.json_schema()))

    def run_json(self, text: str) -> ToolResult:
        """Execute a JSON call produced by the model."""
        try:
            call = json.loads(text)
            name, arguments = call["tool"], call.get("arguments", {})
        except (ValueError, KeyError, TypeError) as exc:
            return ToolResult("?", False, f"error: not a tool call: {_short(exc)}")
        return self.run(name, arguments)

    def describe(self) -> str:
        """One line per tool, for prompts."""
        return "\n".join(f"- {t.name}: {t.description}" for t in self._tools.values())


def _judged(tool: Tool | None, judge: Callable[[BaseModel, str], str | None] | None, arguments: dict | str | None,
            context: str) -> str | None:
    """`judge`'s reason about `arguments` in `context`, or None (no judge; bad arguments are `run`'s to report)."""
    if tool is None or judge is None:
        return None
    try:
        return judge(tool.parse_args(arguments), context)
    except (ValidationError, ValueError):
        return None
