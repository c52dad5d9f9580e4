"""Checked inline calls (agent.inline, `checked=True`) with a scripted TEST DOUBLE, and the numbers a text says
(agent.tools.numbers_said). The real model's figures are `adventure toolformer eval`'s (docs/BENCHMARKS.md)."""
from __future__ import annotations

import pytest

from agent.backend import GenerateOptions
from agent.inline import InlineRun, run_inline
from agent.scripted import ScriptedBackend
from agent.tools import default_registry
from agent.tools.numbers_said import numbers_in, unsaid_numbers

REGISTRY = default_registry(lore=[("The oasis well", "Fed by a spring that never dries.")])


def _double(bodies: dict[str, str], prose: dict[str, str], first_tool: str) -> ScriptedBackend:
    """A test double that opens a call after `prose`'s keys, writes `bodies[tool]` after "[Tool(" (a sampled
    draw writes `bodies[tool + "~"]` when there is one), and ranks `first_tool` first."""
    def respond(prompt: str, opts: GenerateOptions) -> str:
        for tool, body in bodies.items():
            if prompt.endswith(f"[{tool}("):
                return bodies.get(f"{tool}~", body) if opts.temperature > 0 else body
        return next(text for end, text in prose.items() if prompt.endswith(end))

    return ScriptedBackend(responder=respond, rank_scores=lambda prefix, options: [
        1.0 if option.startswith(first_tool) else 0.0 for option in options])


def _run(double: ScriptedBackend, prompt: str) -> tuple[str, InlineRun]:
    run = InlineRun()
    text = "".join(run_inline(double, prompt, REGISTRY, GenerateOptions(max_tokens=30, temperature=0), top_k=10,
                              checked=True, record=run))
    return text, run


def test_a_call_that_finds_nothing_is_taken_back_and_the_next_tool_answers():
    prompt = "2 apples and 3 pears: together they are"
    double = _double({"LoreSearch": "zebra) -> ", "Calculator": "2+3) -> "},
                     {prompt: " [", "-> 5]": " 5 in all."}, first_tool="LoreSearch")
    text, run = _run(double, prompt)
    assert text == " [Calculator(2+3) -> 5] 5 in all."  # the failed search was never shown
    assert [(c.tool, c.argument, c.result.text) for c in run.calls] == [("Calculator", "2+3", "5")]
    assert run.calls_taken_back == 1


def test_an_expression_with_numbers_the_text_never_says_is_drawn_again():
    prompt = "A school has 432 girls and 482 boys. In all there are"
    double = _double({"Calculator": "482*433) -> ", "Calculator~": "482+432) -> "},
                     {prompt: " [", "-> 914]": " 914 pupils."}, first_tool="Calculator")
    text, run = _run(double, prompt)
    assert [(c.argument, c.result.text) for c in run.calls] == [("482+432", "914")]
    assert text.endswith("914 pupils.")


def test_when_no_tool_answers_the_text_goes_on_without_a_call():
    prompt = "The caravan rests at"
    double = _double({"LoreSearch": "zebra) -> ", "Calculator": "1/0) -> "},
                     {prompt: " [", "rests at ": "the oasis."}, first_tool="LoreSearch")
    text, run = _run(double, prompt)
    assert run.calls == [] and run.calls_taken_back == 2
    assert "[" not in text and text.endswith("the oasis.")


def test_the_numbers_a_text_says():
    said = numbers_in("forty-two apples, a dozen eggs, three friends, 1,200 coins, 3.5 kg and 15% off")
    assert {42, 40, 12, 3, 1200, 3.5, 15, 100} <= {float(n) for n in said}
    assert unsaid_numbers("482*433", "A school has 432 girls and 482 boys.") == ["433"]
    assert unsaid_numbers("3*7+91", "Kade buys 3 candles at 7 gold each and a saddle for 91 gold") == []
    assert unsaid_numbers("90/60", "The trip took 90 minutes") == []  # minutes and hours go unsaid


@pytest.mark.model
def test_with_the_shipped_adapter_only_calls_that_answered_are_shown():
    from agent.adapters import SHIPPED_ADAPTER
    from agent.llama_backend import LlamaCppBackend

    # trades of the kind `toolformer corpus --seed 1` writes (the development corpus, not a reported set); unchecked,
    # the first opens "[LoreSearch(29, 23) -> no lore found]"
    prompts = ["The caravan carries 29 maps; at Ember Ford it loads 23 more, so now it carries",
               "Hakim the trader had 682 bolts of silk and sold 13 of them at Azra, which left",
               "The weaver had 638 loaves of bread and sold 269 of them at Saltmarch, which left"]
    backend = LlamaCppBackend(n_ctx=512, lora_path=SHIPPED_ADAPTER)
    try:
        runs = []
        for prompt in prompts:
            run = InlineRun()
            text = "".join(run_inline(backend, prompt, REGISTRY, GenerateOptions(max_tokens=32, temperature=0,
                                      stop=("\n",)), top_k=10, min_p=0.02, checked=True, record=run))
            assert "no lore found" not in text and "error" not in text, text
            assert all(c.result.ok and c.result.found for c in run.calls)
            runs.append(run)
    finally:
        backend.close()
    assert any(c.tool == "Calculator" for run in runs for c in run.calls)
