"""Both tool-calling styles with the real default model, and inline calls with a test double."""
from __future__ import annotations

import json

import pytest

from agent.backend import GenerateOptions
from agent.chat_format import ChatMLFormat
from agent.inline import (
    CALL_BODY,
    CallHider,
    InlineRun,
    count_call_starts,
    format_call,
    parse_calls,
    run_inline,
)
from agent.scripted import ScriptedBackend
from agent.tools import default_registry

REGISTRY = default_registry(lore=[("The oasis well", "Fed by a spring that never dries.")])
MERCHANT = ("Prices: 3 dates at 5 gold each cost [Calculator(3*5) -> 15] 15 gold. "
            "7 apples at 13 gold each cost [Calculator(7*13) -> 91] 91 gold. 12 lamps at 4 gold each cost")


@pytest.mark.model
def test_grammar_constrained_json_call_always_validates(real_backend):
    # The subject is the grammar, not the template: ChatML as the seeds were chosen on. The file's own
    # template adds SmolLM's default system prompt to a chat without one, which changes what is sampled.
    prompt = ChatMLFormat().render([{"role": "user", "content": "Use the calculator to multiply 12 by 4."}])
    for seed in range(4):
        out = real_backend.complete(prompt, json_schema=REGISTRY.json_schema(), max_tokens=80,
                                    temperature=0.9, seed=seed, role="t-json")
        call = json.loads(out)
        assert call["tool"] in REGISTRY.names()
        result = REGISTRY.run(call["tool"], call["arguments"])
        assert result.ok, (out, result.text)


@pytest.mark.model
def test_inline_call_is_executed_while_decoding(real_backend):
    run = InlineRun()
    text = "".join(run_inline(real_backend, MERCHANT, REGISTRY, GenerateOptions(max_tokens=30, temperature=0),
                              top_k=10, record=run))
    assert len(run.calls) == 1 and run.calls[0].tool == "Calculator"
    tool, argument, result = parse_calls(text)[0]
    assert result == run.calls[0].result.text == REGISTRY.run(tool, argument).text


@pytest.mark.model
def test_tools_disabled_never_opens_a_call(real_backend):
    run = InlineRun()
    text = "".join(run_inline(real_backend, MERCHANT, REGISTRY, GenerateOptions(max_tokens=30, temperature=0),
                              top_k=10, disabled=True, record=run))
    assert run.calls == [] and "[" not in text


def test_inline_runner_executes_calls_written_by_a_scripted_model():
    # The test double writes a call, stops at "->" like a model would, then finishes the sentence.
    double = ScriptedBackend(responses=["[Calculator(12*4) -> ", " 48 gold in all."])
    run = InlineRun()
    text = "".join(run_inline(double, "12 lamps at 4 gold cost", REGISTRY, GenerateOptions(max_tokens=50),
                              record=run))
    assert text.startswith("[Calculator(12*4) -> 48]")
    assert [c.result.text for c in run.calls] == ["48"]


def test_a_failing_call_becomes_an_error_result_in_the_text():
    double = ScriptedBackend(responses=["[Calculator(1/0) -> ", " and so on."])
    text = "".join(run_inline(double, "x", REGISTRY, GenerateOptions(max_tokens=50)))
    assert text.startswith("[Calculator(1/0) -> error: division by zero]")


def test_parse_calls_reads_results_and_bare_calls():
    assert parse_calls("a [Calculator(2+2) -> 4] b [Calendar()] c") == [("Calculator", "2+2", "4"),
                                                                        ("Calendar", "", None)]


def test_the_call_syntax_written_is_the_syntax_read():
    written = format_call("Calculator", "7*13", "91")
    assert written == "[Calculator(7*13) -> 91]"
    assert parse_calls(f"so {written} then {format_call('Calendar', '')}") == [("Calculator", "7*13", "91"),
                                                                               ("Calendar", "", None)]
    assert CALL_BODY.match("Calculator(7*13) -> 91]").groups() == ("Calculator", "7*13")
    assert CALL_BODY.match("Calculator(7*\n13)]") is None  # a call is one line


def test_the_narrators_call_hider_shows_only_results_even_across_pieces():
    hider = CallHider()
    pieces = ["You pay ", "[Calcu", "lator(3*5) -", "> 15]", " 15 gold", " [Calendar()] today."]
    shown = "".join(hider.feed(p) for p in pieces) + hider.flush()
    assert shown == "You pay 15 15 gold  today."


def test_the_call_hider_passes_brackets_that_are_not_calls():
    hider = CallHider()
    assert hider.feed("A sign reads [closed] and [") == "A sign reads [closed] and "
    assert hider.feed("the rest") == ""  # held: it may still become a call
    assert hider.flush() == "[the rest"
    long_open = "[" + "x" * 250
    assert CallHider().feed(long_open) == long_open  # too long to be a call: shown as it is


def test_call_starts_count_brackets_and_named_tools_only():
    assert count_call_starts("You [Calc and Dice( and Calculator (2) and Print(3)", ["Calculator", "Dice"]) == 3
    assert count_call_starts("no calls here", ["Calculator"]) == 0


def _trigger_pick(trigger_p: float, min_p: float) -> int:
    """The llama.cpp backend's choice when token 7 opens a call with probability `trigger_p` and token 5 is the
    most likely (greedy, no sampler: the path `toolformer eval` takes)."""
    import numpy as np

    from agent.llama_backend import LlamaCppBackend

    probs = np.full(100, (1 - 0.6 - trigger_p) / 98)
    probs[5], probs[7] = 0.6, trigger_p
    opts = GenerateOptions(temperature=0, trigger_token_ids=(7,), trigger_top_k=10, trigger_min_p=min_p)
    return LlamaCppBackend._pick(None, np.log(probs).astype(np.float32), None, None, opts)


def test_a_call_starts_in_the_top_k_only_above_the_floor():
    assert _trigger_pick(0.01, min_p=0.0) == 7  # the paper's rule: in the top 10 is enough
    assert _trigger_pick(0.01, min_p=0.02) == 5  # below the floor: the likeliest word instead
    assert _trigger_pick(0.05, min_p=0.02) == 7
