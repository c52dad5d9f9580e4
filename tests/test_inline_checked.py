"""Checked inline calls (agent.inline, `checked=True`) with a scripted TEST DOUBLE, and the numbers a text says
(agent.tools.numbers_said). The real model's figures are `adventure toolformer eval`'s (docs/BENCHMARKS.md)."""
from __future__ import annotations

import pytest

from agent.backend import GenerateOptions
from agent.inline import InlineRun, run_inline
from agent.scripted import ScriptedBackend
from agent.tools import default_registry
from agent.tools.numbers_said import numbers_in, unsaid_numbers
from agent.tools.operations_asked import operation_unasked

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


def _run(double: ScriptedBackend, prompt: str, doubts: bool = True) -> tuple[str, InlineRun]:
    run = InlineRun()
    text = "".join(run_inline(double, prompt, REGISTRY, GenerateOptions(max_tokens=30, temperature=0), top_k=10,
                              checked=True, doubts=doubts, record=run))
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


def test_a_product_no_word_asks_for_is_drawn_again_and_a_sum_kept():
    prompt = "A school has 432 girls and 482 boys. How many students are in the school? The answer is"
    double = _double({"Calculator": "482*432) -> ", "Calculator~": "482+432) -> "},
                     {prompt: " [", "-> 914]": " 914.", "-> 208224]": " 208224."}, first_tool="Calculator")
    assert [c.argument for c in _run(double, prompt)[1].calls] == ["482+432"]
    assert [c.argument for c in _run(double, prompt, doubts=False)[1].calls] == ["482*432"]


def test_a_doubted_call_is_kept_when_no_draw_does_better():
    prompt = "A school has 432 girls and 482 boys. How many students are in the school? The answer is"
    double = _double({"Calculator": "482*432) -> ", "LoreSearch": "zebra) -> ", "Calendar": "zebra) -> "},
                     {prompt: " [", "-> 208224]": " 208224."}, first_tool="Calculator")
    text, run = _run(double, prompt)
    assert [c.argument for c in run.calls] == ["482*432"] and text.endswith("208224.")


def test_a_lore_query_with_a_number_gives_way_to_the_next_tool():
    prompt = "The well of the oasis gives 12 jugs a day; in 3 days it gives"
    double = _double({"LoreSearch": "oasis well, 12 jugs) -> ", "Calculator": "12*3) -> "},
                     {prompt: " [", "-> 36]": " 36 jugs.", "dries.]": " 36 jugs."}, first_tool="LoreSearch")
    text, run = _run(double, prompt)
    assert [(c.tool, c.argument) for c in run.calls] == [("Calculator", "12*3")] and run.calls_taken_back == 1
    assert text == " [Calculator(12*3) -> 36] 36 jugs."
    text, run = _run(double, prompt, doubts=False)
    assert [c.tool for c in run.calls] == ["LoreSearch"]


def test_a_lore_search_made_in_a_sentence_of_figures_is_doubted():
    lore = REGISTRY["LoreSearch"]
    figures = "The innkeeper had 740 loaves of bread and sold 188 of them at the oasis well, which left"
    assert REGISTRY.doubt("LoreSearch", "oasis well", figures) is not None
    assert REGISTRY.doubt("LoreSearch", "oasis well", "It cost 3 coins. The keeper of the oasis well is") is None
    assert lore.run("oasis well").found  # the search itself still answers: the doubt is about the text


def test_what_a_text_asks_of_an_expression():
    school = "A school has 432 girls and 482 boys. How many students are in the school?"
    assert operation_unasked("482*432", school) is not None
    assert operation_unasked("482+432", school) is None
    assert operation_unasked("26*16", "Kade buys 26 candles at 16 gold each. What is the total?") is None
    assert operation_unasked("66/6", "Eli shares 66 stickers equally among 6 friends. How many does each get?") is None
    assert operation_unasked("66/6", "Eli has 66 stickers and finds 6 more. How many has he?") is not None
    assert operation_unasked("129+101", "There were 129 birds. 101 flew away. How many are left?") is not None
    assert operation_unasked("42-17", "Ingrid has 42 marbles and Tom has 17. How many more does Ingrid have than "
                                      "Tom?") is None
    assert operation_unasked("80*25/100", "A coat costs 80 dollars. It is 25% off. How much do you save?") is None
    tank = "A tank holds 20 gallons. Each day 3 are used. How many gallons are left after 4 days?"
    assert operation_unasked("20-3*4", tank) is None and operation_unasked("20+3*4", tank) is not None


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
