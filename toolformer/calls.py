"""The call text of the paper, reusing existing tokens: ` [Tool(input) -> result]`.

The syntax itself (`format_call`, the patterns) is `agent.inline`'s, shared
with the game. Here: `parse_call` reads the
text a model sampled after " [" back into (tool, input) and rejects anything
that is not one well-formed call; `insert_call` puts a call inline before a
character offset of the text (training data and evaluation), `prefix_call`
puts it before the whole text (filtering, as in the paper).

Deliberately left out: nested calls, ")" inside an input, several calls in one
string (the tuned model makes at most one call per input).
"""
from __future__ import annotations

from dataclasses import dataclass

from agent.inline import CALL_BODY, format_call

MAX_INPUT_CHARS = 120


class CallParseError(ValueError):
    """A sampled call that is not `Tool(input)`."""


@dataclass(frozen=True)
class Call:
    tool: str
    input: str

    def text(self, result: str | None = None) -> str:
        return format_call(self.tool, self.input, result)


def parse_call(body: str, known_tools: tuple[str, ...] | None = None) -> Call:
    """Parse what follows " [" up to and including "]" (or up to "->")."""
    if len(body) > MAX_INPUT_CHARS + 40:
        raise CallParseError(f"call of {len(body)} characters is too long")
    match = CALL_BODY.match(body)
    if not match:
        raise CallParseError(f"not a call of the form Tool(input): {body[:60]!r}")
    tool, arg = match.group(1), match.group(2).strip()
    if known_tools is not None and tool not in known_tools:
        raise CallParseError(f"unknown tool {tool!r}")
    if len(arg) > MAX_INPUT_CHARS:
        raise CallParseError("call input too long")
    return Call(tool, arg)


def insert_call(text: str, char_pos: int, call_text: str) -> str:
    """Insert ` [call]` before `text[char_pos:]` (which should start with a space)."""
    head, tail = text[:char_pos], text[char_pos:]
    return f"{head.rstrip(' ')} {call_text}{tail}"


def prefix_call(text: str, call_text: str) -> str:
    """The call as a prefix of the whole text (the paper's placement when filtering)."""
    return f"{call_text} {text.lstrip(' ')}" if call_text else text
