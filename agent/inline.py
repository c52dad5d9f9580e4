"""Inline, Toolformer-style tool calls executed while decoding.

The model writes `[Calculator(7*13) -> ` ; decoding stops at "->", the tool
runs, " 91]" is inserted into the text, and decoding continues from there:

    [Calculator(7*13) -> 91]

Options, as in the paper:
  * `top_k`: start a call whenever " [" is among the k most likely next tokens
    (k = 10 in the paper, 1 keeps the model calibrated, 0 = only when sampled);
  * `min_p`: ... and its probability is at least this (not in the paper: a
    small model puts " [" in its top 10 in plain narration too);
  * `disabled`: the probability of " [" (and "[") is forced to zero;
  * `max_calls`: at most this many calls per input (paper: 1);
  * `checked` (not in the paper): a call opens with the tool the model finds
    likeliest after its "[" (a real tool, never a footnote "[1]"), and is shown
    only once its tool answered; a call that fails or finds nothing is taken
    back unseen, the next likeliest tool tried once, then the text goes on
    without a call. Needs a backend that scores text (`has_logprobs`);
  * `doubts` (with `checked`): an argument its tool doubts (`ToolRegistry.doubt`:
    a product where no word of the text multiplies) is drawn again and kept
    only when no draw does better.
Backends without logits access (a remote server) ignore `top_k` and still
execute calls the model writes by itself.

The call syntax is defined here once, for the game, the villagers and
Toolformer alike: `format_call` writes it, `CALL_TEXT` finds whole calls,
`OPEN_CALL` a call waiting for its result, `CALL_BODY` what a model wrote
after " [", `count_call_starts` any sign of one, and `CallHider` streams text
with each call replaced by its result (what the player sees).

Deliberately left out: nested calls, calls whose argument contains ")" or a
line break.
"""
from __future__ import annotations

import logging
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .backend import Backend, GenerateOptions
from .tools.base import ToolRegistry, ToolResult

log = logging.getLogger(__name__)

ARROW = "->"
CLOSE = "]"
TOOL_NAME = r"[A-Za-z_]\w*"
# `Tool(argument)`: group 1 the tool, group 2 the argument (no brackets, no parentheses, one line)
_CALL_HEAD = rf"({TOOL_NAME})\s*\(([^()\[\]\n]*)\)"
# a whole call, `[Tool(arg)]` or `[Tool(arg) -> result]`; group 3 the result
CALL_TEXT = re.compile(rf"\[\s*{_CALL_HEAD}\s*(?:{ARROW}\s*([^\]]*))?\]")
# a call opened at the end of the text, waiting for its result (decoding stopped at the arrow)
OPEN_CALL = re.compile(rf"\[\s*{_CALL_HEAD}\s*$")
# what a model wrote after " [": one call, up to its arrow or closing bracket
CALL_BODY = re.compile(rf"^\s*{_CALL_HEAD}\s*(?:{ARROW}.*)?\]?\s*$")
# a call the hider gives up on: an opened "[" this long without "]" is plain text
MAX_OPEN_CALL_CHARS = 200


def format_call(tool: str, argument: str, result: str | None = None) -> str:
    """`[Tool(argument)]` or `[Tool(argument) -> result]` (no leading space)."""
    body = f"{tool}({argument})"
    return f"[{body} {ARROW} {result}{CLOSE}" if result is not None else f"[{body}{CLOSE}"


def count_call_starts(text: str, tool_names: Iterable[str]) -> int:
    """How many calls `text` starts: each "[" and each "Tool(" for the named tools."""
    names = "|".join(re.escape(name) for name in tool_names)
    pattern = rf"\[|\b(?:{names})\s*\(" if names else r"\["
    return len(re.findall(pattern, text))


class CallHider:
    """Streams text but swallows `[Tool(args) -> ` up to `]`, emitting only the result.

    Text that is not a call passes unchanged; an unclosed "[" is held until its "]"
    arrives, `MAX_OPEN_CALL_CHARS` pass, or `flush` is called."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> str:
        self.pending += piece
        out = ""
        while self.pending:
            start = self.pending.find("[")
            if start < 0:
                out, self.pending = out + self.pending, ""
                break
            out += self.pending[:start]
            self.pending = self.pending[start:]
            end = self.pending.find(CLOSE)
            if end < 0:
                if len(self.pending) > MAX_OPEN_CALL_CHARS:  # not a call after all
                    out, self.pending = out + self.pending, ""
                break
            call = CALL_TEXT.match(self.pending[: end + 1])
            out += (call.group(3) or "").strip() if call else self.pending[: end + 1]
            self.pending = self.pending[end + 1:]
        return out

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


@dataclass
class InlineCall:
    tool: str
    argument: str
    result: ToolResult
    position: int  # character offset of "[" in the generated text


@dataclass
class InlineRun:
    """What `run_inline` did; filled in while it streams."""

    text: str = ""
    calls: list[InlineCall] = field(default_factory=list)
    calls_taken_back: int = 0  # checked calls that failed, found nothing or never fitted their text (never shown)


def bracket_token_ids(backend: Backend) -> list[int]:
    """Token ids that open a call: " [" and "[" where each is a single token."""
    ids = [backend.token_id(p) for p in (" [", "[")]
    return sorted({i for i in ids if i is not None})


def parse_calls(text: str) -> list[tuple[str, str, str | None]]:
    """All complete calls in `text`: (tool, argument, result or None)."""
    return [(m.group(1), m.group(2).strip(), m.group(3).strip() if m.group(3) is not None else None)
            for m in CALL_TEXT.finditer(text)]


def run_inline(
    backend: Backend,
    prompt: str,
    registry: ToolRegistry,
    options: GenerateOptions | None = None,
    *,
    top_k: int = 0,
    min_p: float = 0.0,
    disabled: bool = False,
    max_calls: int = 1,
    record: InlineRun | None = None,
    checked: bool = False,
    doubts: bool = True,
) -> Iterator[str]:
    """Stream a completion of `prompt`, executing inline tool calls as they close."""
    base = options or GenerateOptions()
    run = record if record is not None else InlineRun()
    brackets = bracket_token_ids(backend)
    remaining = base.max_tokens
    checked = checked and backend.has_logprobs
    given_up = 0  # checked call sites where no tool answered: each spends one of `max_calls`
    while remaining > 0:
        calls_left = not disabled and len(run.calls) + given_up < max_calls
        opts = GenerateOptions(**vars(base))
        opts.max_tokens = remaining
        opts.stop = tuple(base.stop) + (("[" if checked else ARROW,) if calls_left else ())
        opts.banned_token_ids = tuple(base.banned_token_ids) + (() if calls_left else tuple(brackets))
        opts.trigger_token_ids = tuple(brackets) if calls_left and top_k else ()
        opts.trigger_top_k = top_k if calls_left else 0
        opts.trigger_min_p = min_p
        produced = ""
        for piece in backend.stream(prompt + run.text, opts):
            produced += piece
            run.text += piece
            yield piece
        stats = backend.last_stats
        remaining -= max(stats.completion_tokens, 1)
        if stats.finish_reason == "stop" and stats.stop_string == "[" and checked:
            inserted, used = _checked_call(backend, prompt + run.text, registry, base, remaining, run, doubts)
            remaining -= used
            run.text += inserted
            given_up += not inserted
            if inserted:
                yield inserted
            continue
        if stats.finish_reason != "stop" or stats.stop_string != ARROW:
            return
        match = OPEN_CALL.search(run.text)
        if match is None:  # an arrow outside a call is just text
            run.text += ARROW
            yield ARROW
            continue
        result = registry.run(match.group(1), match.group(2))
        inserted = f"{ARROW} {result.text}{CLOSE}"
        run.calls.append(InlineCall(match.group(1), match.group(2).strip(), result, match.start()))
        run.text += inserted
        yield inserted


REDRAWS = 4  # draws of an argument that answered but did not fit its text


def _checked_call(backend: Backend, before: str, registry: ToolRegistry, options: GenerateOptions, budget: int,
                  run: InlineRun, doubts: bool = True) -> tuple[str, int]:
    """The call opening at the end of `before` (a "[" the model wanted), with the two tools the model finds
    likeliest there, in turn: (`[Tool(arg) -> result]` or "" when neither answered, the tokens of the call shown;
    draws taken back cost time, not the completion's budget). An argument that answers but does not fit the text
    (`ToolRegistry.misfit`: numbers it never says) or, with `doubts`, that its tool doubts (`ToolRegistry.doubt`)
    is drawn again, `REDRAWS` times at temperature 0.7. The result most fitting draws agree on is kept; when no
    draw of either tool fits, the result most doubted draws of the likelier tool agree on."""
    names = registry.names()
    scores = backend.rank(before + "[", [f"{name}(" for name in names], role=options.role)
    fallback: tuple[str, list] | None = None  # (tool, its doubted draws)
    for name in [n for _, n in sorted(zip(scores, names), key=lambda pair: -pair[0])][:2]:
        fitting, doubted = _draws(backend, before, name, registry, options, budget, doubts)
        if fitting:
            run.calls_taken_back += fallback is not None
            return _shown(name, fitting, run)
        if doubted and fallback is None:
            fallback = (name, doubted)
        else:
            run.calls_taken_back += 1
    if fallback is not None:
        return _shown(*fallback, run)
    return "", 1


def _draws(backend: Backend, before: str, name: str, registry: ToolRegistry, options: GenerateOptions, budget: int,
           doubts: bool) -> tuple[list, list]:
    """Arguments for `name` that answered: (fitting, doubted), each [(body, argument, result, tokens)], greedy
    first; draws go on past the greedy one only when it does not fit."""
    head = f"[{name}("
    fitting: list[tuple[str, str, ToolResult, int]] = []
    doubted: list[tuple[str, str, ToolResult, int]] = []
    for draw in range(1 + REDRAWS):
        if draw == 1 and fitting:
            break
        body, argument, result, cost = _call_body(backend, before, head, name, registry, options, budget, draw)
        if result is None or not result.ok or not result.found:
            log.info("inline call taken back: %s%s -> %s", head, body, result.text if result else "not a call")
            if draw == 0:
                break  # a call that fails as the model wrote it: the next tool
            continue
        why = registry.misfit(name, argument, before)
        doubt = registry.doubt(name, argument, before) if doubts and why is None else None
        if why is not None or doubt is not None:
            log.info("inline call drawn again: %s%s: %s", head, body, why or doubt)
        if why is None:
            (doubted if doubt else fitting).append((body, argument, result, cost))
    return fitting, doubted


def _shown(name: str, draws: list, run: InlineRun) -> tuple[str, int]:
    """The call most of `draws` agree on (the first such), recorded in `run`: (the call as shown, its tokens)."""
    votes = Counter(result.text for _, _, result, _ in draws)
    body, argument, result, cost = next(d for d in draws if votes[d[2].text] == max(votes.values()))
    run.calls.append(InlineCall(name, argument.strip(), result, len(run.text)))
    return f"[{name}({body}{ARROW} {result.text}{CLOSE}", cost


def _call_body(backend: Backend, before: str, head: str, name: str, registry: ToolRegistry,
               options: GenerateOptions, budget: int, draw: int) -> tuple[str, str, ToolResult | None, int]:
    """One argument for `head` (greedy for draw 0, else sampled with a seed of its own), run: (body, argument,
    result or None when it is not a call, tokens used)."""
    opts = GenerateOptions(**vars(options))
    opts.max_tokens, opts.stop = min(budget, 48), (ARROW, *options.stop)
    opts.banned_token_ids = (*options.banned_token_ids, *bracket_token_ids(backend))
    opts.trigger_token_ids, opts.trigger_top_k = (), 0
    if draw:
        opts.temperature, opts.top_p, opts.seed = 0.7, 1.0, zlib.crc32(before[-200:].encode()) + draw
    body = "".join(backend.stream(before + head, opts))
    stats = backend.last_stats
    match = OPEN_CALL.search(head + body) if stats.finish_reason == "stop" and stats.stop_string == ARROW else None
    argument = match.group(2) if match else ""
    return body, argument, registry.run(name, argument) if match else None, max(stats.completion_tokens, 1)
