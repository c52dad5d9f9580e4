"""Self-consistency over sampled call inputs, with the scripted test double (no model)."""
from __future__ import annotations

from agent.backend import GenerateOptions
from agent.scripted import ScriptedBackend
from toolformer.consistency import Cost, numbers_used, run_consistent, vote
from toolformer.execute import registry_for

QUESTION = "Her room is 19 feet wide and 20 feet long. How much longer is it than it is wide? The answer is"


def _backend(samples: dict[int, str], greedy_call: str = "19+20"):
    """Greedy pass opens `greedy_call`; the sample with seed s writes samples[s]; after the call: ' N feet.'"""

    def responder(prompt: str, opts: GenerateOptions) -> str:
        if prompt.endswith("Calculator("):
            return samples[opts.seed]
        if "]" in prompt[len(QUESTION):]:
            return " 1 feet."
        return f" [Calculator({greedy_call}) -> "

    return ScriptedBackend(responder=responder)


def _run(backend, k: int, cost: Cost | None = None):
    cost = cost if cost is not None else Cost()
    run = run_consistent(backend, QUESTION, registry_for({}, []), GenerateOptions(max_tokens=32, temperature=0.0,
                         stop=("\n",), role="eval"), samples=k, top_k=10, cost=cost)
    return run, cost


def test_majority_of_sampled_calls_beats_the_greedy_call():
    run, cost = _run(_backend({0: "20-19)", 1: "19+20)", 2: "20 - 19)"}), 3)
    assert [c.argument for c in run.calls] == ["20-19"] and run.calls[0].result.text == "1"
    assert run.text == " [Calculator(20-19) -> 1] 1 feet."
    assert cost.model_calls == 1 + 3 + 1 and cost.seconds > 0
    assert [s["result"] for s in cost.samples] == ["1", "39", "1"]


def test_unclosed_or_failing_samples_do_not_vote():
    run, cost = _run(_backend({0: "19+20)", 1: "20-19", 2: "20/0)", 3: "bogus)"}), 4)
    # only "19+20" closed and ran: it wins alone
    assert run.calls[0].argument == "19+20" and [s["ok"] for s in cost.samples] == [True, False, False, False]


def test_no_usable_sample_falls_back_to_the_greedy_call():
    run, _ = _run(_backend({0: "x)", 1: "y)"}, greedy_call="20-19"), 2)
    assert run.calls[0].argument == "20-19"


def test_ties_go_to_the_input_using_more_of_the_questions_numbers():
    # 20-9 and 20-19 each get one vote; 9 is not in the question, so 20-19 wins although sampled later
    run, _ = _run(_backend({0: "20-9)", 1: "20-19)"}), 2)
    assert run.calls[0].argument == "20-19"
    samples = [{"input": "19+19", "result": "38", "ok": True}, {"input": "19+20", "result": "39", "ok": True}]
    assert vote(samples, QUESTION) == 1  # 19 appears once in the question: using it twice counts once
    assert numbers_used("19+19", QUESTION) == 1 and numbers_used("20-19", QUESTION) == 2


def test_one_sample_is_plain_greedy_decoding():
    backend = _backend({})
    run, cost = _run(backend, 1)
    assert run.calls[0].argument == "19+20" and cost.samples == []
    assert not any(p.endswith("Calculator(") for _m, p in backend.calls)


def test_no_call_means_no_sampling():
    backend = ScriptedBackend(responses=[" 1 foot."])
    run, cost = _run(backend, 5)
    assert run.calls == [] and run.text == " 1 foot." and cost.model_calls == 1


def test_each_input_votes_only_over_its_own_samples():
    cost = Cost()  # one cost record for a whole eval column
    _run(_backend({0: "19+20)", 1: "19+20)", 2: "19+20)"}), 3, cost)
    run, _ = _run(_backend({0: "20-19)", 1: "20-9)", 2: "19-20)"}), 3, cost)
    assert run.calls[0].argument == "20-19" and len(cost.samples) == 6 and cost.model_calls == 10


def test_with_checks_only_the_best_fitting_samples_vote():
    # "How much longer ... than": a sum takes nothing away (doubted), 433 is never said (misfit); 20-19 fits
    backend = _backend({0: "19+20)", 1: "19+20)", 2: "20-19)", 3: "433-19)"})
    run = run_consistent(backend, QUESTION, registry_for({}, []), GenerateOptions(max_tokens=32, temperature=0.0,
                         stop=("\n",), role="eval"), samples=4, top_k=10, checked=True)
    assert run.calls[0].argument == "20-19"
    unchecked, _ = _run(backend, 4)
    assert unchecked.calls[0].argument == "19+20"
