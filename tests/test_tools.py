"""Built-in tools: hand-computed results, errors as results, never a crash."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from pydantic import BaseModel

from agent.tools import (
    ToolRegistry,
    calculate,
    default_registry,
    format_date,
    make_calculator,
    make_dice,
)
from agent.tools.base import Tool


@pytest.mark.parametrize("expression,expected", [
    ("7*13", "91"), ("7 x 13", "91"), ("(400-25)/3", "125"), ("10/3", "3.33"), ("2/3", "0.67"),
    ("-4+10", "6"), ("1,200 - 0.5", "1199.5"), ("12 ÷ 4", "3"), ("((2))*(3+4)", "14"), ("0.1+0.2", "0.3"),
])
def test_calculator_values(expression, expected):
    assert calculate(expression) == expected


@pytest.mark.parametrize("expression,message", [
    ("1/0", "division by zero"), ("2**3", "unexpected"), ("(1+2", "missing ')'"), ("1+", "incomplete"),
    ("os.system(1)", "bad arguments"), ("__import__('os')", "bad arguments"), ("9" * 30, "out of range"),
])
def test_calculator_errors_are_results(expression, message):
    result = make_calculator().run(expression)
    assert not result.ok and result.text.startswith("error:") and message in result.text


def test_calendar_uses_the_given_clock():
    registry = default_registry(today=lambda: dt.date(2026, 5, 4))
    assert registry.run("Calendar", "").text == "Today is Monday, May 4, 2026."
    assert format_date(dt.date(2024, 2, 29)) == "Today is Thursday, February 29, 2024."


def test_dice_is_seeded_and_validated():
    first = [make_dice(seed=7).run("2d6+1").text for _ in range(2)]
    assert first[0] == first[1]
    total, rolls = first[0].split(" ", 1)
    values = [int(v) for v in rolls.strip("()").split(", ")]
    assert len(values) == 2 and all(1 <= v <= 6 for v in values) and int(total) == sum(values) + 1
    assert not make_dice().run("200d6").ok
    assert not make_dice().run("roll a die").ok


def test_lore_search_finds_the_right_entry():
    registry = default_registry(lore=[
        ("The oasis well", "Fed by a spring that never dries, guarded by Amira."),
        ("Temple of winds", "Four riddle gates bar the inner hall."),
    ])
    assert registry.run("LoreSearch", "who guards the well").text.startswith("The oasis well:")
    assert registry.run("LoreSearch", "riddle gates").text.startswith("Temple of winds:")
    assert registry.run("LoreSearch", "zebra").text == "no lore found"


class _Args(BaseModel):
    x: int


def _slow(_args):
    time.sleep(5)
    return "late"


def _boom(_args):
    raise RuntimeError("kaput")


def test_tool_that_hangs_or_raises_becomes_an_error_result():
    registry = ToolRegistry([Tool("Slow", "sleeps", _Args, _slow, timeout_s=0.2), Tool("Boom", "raises", _Args, _boom)])
    started = time.perf_counter()
    slow = registry.run("Slow", {"x": 1})
    assert not slow.ok and "timed out" in slow.text and time.perf_counter() - started < 2
    boom = registry.run("Boom", {"x": 1})
    assert not boom.ok and "kaput" in boom.text
    assert "bad arguments" in registry.run("Boom", {"x": "not a number"}).text
    assert "unknown tool" in registry.run("Nope", {}).text


def test_json_calls_validate_and_schema_covers_every_tool():
    registry = default_registry()
    schema = registry.json_schema()
    assert {v["properties"]["tool"]["const"] for v in schema["anyOf"]} == set(registry.names())
    assert registry.run_json(json.dumps({"tool": "Calculator", "arguments": {"expression": "6*7"}})).text == "42"
    assert "not a tool call" in registry.run_json("{oops").text
    grammar = registry.grammar()
    assert "root" in grammar and "Calculator" in grammar
