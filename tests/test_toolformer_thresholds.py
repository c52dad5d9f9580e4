"""Per-tool sampling thresholds (tau_s, min_sites) and kept calls per tool."""
from __future__ import annotations

import argparse

import pytest
from _toolformer_tiny import CharTokenizer, tiny_model

from toolformer import cli
from toolformer.evaluate import kept_per_tool
from toolformer.prompts import SAMPLING, sampling_for
from toolformer.sample import Sampler, sample_record


@pytest.fixture(scope="module")
def sampler():
    return Sampler(tiny_model(), CharTokenizer(), seed=0)


def test_settings_resolve_per_tool():
    assert sampling_for("Calendar")["tau_s"] == SAMPLING["Calendar"]["tau_s"]
    over = {"k": 2, "tau_s": 0.3, "Calendar": {"tau_s": 0.01}}
    assert sampling_for("Calendar", over)["tau_s"] == 0.01 and sampling_for("Calendar", over)["k"] == 2
    assert sampling_for("LoreSearch", over)["tau_s"] == 0.3
    assert SAMPLING["Calendar"]["min_sites"] >= 1 and SAMPLING["LoreSearch"]["min_sites"] >= 1


@pytest.mark.slow
def test_top_ranked_site_is_sampled_below_tau_s_only_with_min_sites(sampler):
    rec = {"id": "c1", "tool": "Calendar", "text": "The guard says today is Monday, May 3, 1204.",
           "today": "1204-05-03"}
    # the tiny random model gives " [" a probability far below 0.5 everywhere
    none = sample_record(sampler, rec, {"Calendar": {"tau_s": 0.5, "min_sites": 0, "m": 2}})
    one = sample_record(sampler, rec, {"Calendar": {"tau_s": 0.5, "min_sites": 1, "m": 2}})
    assert none["n_samples"] == 0
    assert one["n_samples"] == 1  # one site; the Calendar takes no input, so its one call there is not sampled
    assert [c["input"] for c in one["candidates"]] == [""]
    _pairs, _start, x_ids, pieces, p, _chars = sampler.positions("Calendar", rec["text"])
    best = max((i for i in range(1, len(x_ids)) if pieces[i].startswith(" ")), key=lambda i: p[i])
    assert {c["pos"] for c in one["candidates"]} <= {_chars[best]}


def test_cli_takes_tau_s_for_all_tools_or_one():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["toolformer", "sample", "--tau-s", "0.1", "--tau-s", "Calendar=0.01",
                              "--min-sites", "LoreSearch=2"])
    assert args.tau_s == [(None, 0.1), ("Calendar", 0.01)] and args.min_sites == [("LoreSearch", 2)]
    with pytest.raises(SystemExit):
        parser.parse_args(["toolformer", "sample", "--tau-s", "Dice=0.1"])


def test_kept_calls_are_counted_per_tool_at_its_own_tau_f():
    filtered = [
        {"tool": "Calendar", "scored": [{"gain": 1.2}, {"gain": 0.7}]},
        {"tool": "Calendar", "scored": [{"gain": None}]},
        {"tool": "LoreSearch", "scored": [{"gain": 2.0}, {"gain": 1.0}]},
        {"tool": "Calculator", "scored": [{"gain": 0.6}, {"gain": 0.4}]},
    ]
    got = kept_per_tool(filtered, {"Calculator": 0.5, "Calendar": 1.0, "LoreSearch": 1.0})
    assert got["kept_calls_calendar"] == 1 and got["kept_texts_calendar"] == 1 and got["tool_texts_calendar"] == 2
    assert got["kept_calls_lore"] == 2 and got["kept_calls_calculator"] == 1


def test_a_call_whose_result_contradicts_the_texts_answer_is_not_kept():
    from toolformer.keep_rule import decide, supports_answer

    rec = {"tool": "Calculator", "answer": "1", "text": "19 wide, 20 long: 1 more.",
           "scored": [{"tool": "Calculator", "input": "19+20", "result": "39", "gain": 3.0},
                      {"tool": "Calculator", "input": "20-19", "result": "1", "gain": 0.7},
                      {"tool": "Calculator", "input": "20-19", "result": "1", "gain": 0.2}]}
    kept = decide(rec, {"Calculator": 0.5})["kept"]
    assert [c["input"] for c in kept] == ["20-19"] and kept[0]["gain"] == 0.7  # the loss alone kept 19+20 first
    assert supports_answer({"answer": "1,200"}, {"result": "1200.0"})
    assert supports_answer({"answer": "October"}, {"result": "Today is Monday, October 25, 2021."})
    assert not supports_answer({"answer": "October"}, {"result": "Today is Monday, June 2, 2021."})
    assert supports_answer({"text": "no answer stated"}, {"result": "anything"})
