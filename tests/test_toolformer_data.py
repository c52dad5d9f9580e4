"""Corpus, JSONL and call handling, including bad input: empty/huge lines, unparsable calls, failing tools."""
from __future__ import annotations

import json
import re
import time

import pytest
from pydantic import BaseModel

from agent.inline import format_call
from agent.tools import Tool, ToolRegistry, make_calculator
from toolformer.calls import CallParseError, insert_call, parse_call, prefix_call
from toolformer.corpus import build_corpus, calculator_prefilter
from toolformer.execute import execute_records
from toolformer.jsonl import MAX_LINE_CHARS, JsonlError, drop_unfinished_line, read_jsonl, write_jsonl
from toolformer.train import build_examples


def test_corpus_is_seeded_and_heldout_is_disjoint():
    a_train, a_held, lore = build_corpus(seed=3)
    b_train, b_held, _ = build_corpus(seed=3)
    assert a_train == b_train and a_held == b_held
    assert {r["text"] for r in a_train}.isdisjoint({r["text"] for r in a_held})
    assert build_corpus(seed=4)[0] != a_train
    for rec in a_train + a_held:
        if rec.get("answer"):
            assert rec["text"][rec["answer_at"]:].startswith(" " + rec["answer"])
        if rec["tool"] == "Calculator" and "expr" not in rec:  # generated problems carry their worked expression
            assert calculator_prefilter(rec["text"])
    assert {r["kind"] for r in a_held} == {"merchant", "svamp", "narration"}
    assert lore and all(title and text for title, text in lore)


def test_calculator_prefilter_follows_the_paper():
    assert calculator_prefilter("She had 12 apples, ate 5 and kept 7.")  # 12 - 5 = 7
    assert calculator_prefilter("The sum equals 42.")
    assert calculator_prefilter("a total of 300 coins")
    assert not calculator_prefilter("He saw 3 birds, 8 cats and 100 dogs.")
    assert not calculator_prefilter("Two numbers: 4 and 9.")


@pytest.mark.parametrize("bad_line, problem", [
    ("{not json", "not JSON"),
    (json.dumps([1, 2]), "a JSON list, not an object"),
    (json.dumps({"id": "b", "text": ""}), "missing or empty text"),
    (json.dumps({"id": "c", "text": "x" * MAX_LINE_CHARS}), "a line of 20024 characters (the limit is 20000)"),
], ids=["not JSON", "a list", "empty field", "too long"])
def test_a_bad_jsonl_line_is_an_error_naming_the_file_and_line(tmp_path, bad_line, problem):
    path = tmp_path / "c.jsonl"
    good = json.dumps({"id": "a", "text": "fine"})
    path.write_text("\n".join([good, "", "   ", bad_line, good]) + "\n")
    records = read_jsonl(path, required=("id", "text"))
    assert next(records)["id"] == "a"  # lines before the bad one are read; blank lines are allowed
    with pytest.raises(JsonlError, match=rf"c\.jsonl:4: {re.escape(problem)}") as caught:
        next(records)
    assert (caught.value.path, caught.value.line) == (path, 4)


def test_a_jsonl_line_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "\xff"}\n')
    with pytest.raises(JsonlError, match=r"c\.jsonl:2: not UTF-8"):
        list(read_jsonl(path))


def test_an_interrupted_append_loses_only_its_unfinished_line(tmp_path, caplog):
    path = tmp_path / "samples.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "t"}) + "\n" + '{"id": "b", "te')
    with caplog.at_level("WARNING", logger="toolformer.jsonl"):
        assert drop_unfinished_line(path)
    assert "cut off by an interrupted run" in caplog.text
    assert list(read_jsonl(path)) == [{"id": "a", "text": "t"}]
    assert not drop_unfinished_line(path)  # a whole file is left alone


def test_write_jsonl_is_atomic_and_roundtrips(tmp_path):
    path = tmp_path / "out.jsonl"
    assert write_jsonl(path, [{"a": 1}, {"b": "ü"}]) == 2
    assert list(read_jsonl(path)) == [{"a": 1}, {"b": "ü"}]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary file left beside it


def test_missing_stage_file_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="previous toolformer stage"):
        list(read_jsonl(tmp_path / "nope.jsonl"))


@pytest.mark.parametrize("body", ["Calculator(7*13", "Calc ulator(1)]", "(7*13)]", "Calculator((1+2)*3)]",
                                  "Calculator(1)] and more [Calculator(2)]", "Calculator(" + "1+" * 100 + "1)]"])
def test_unparsable_calls_are_rejected(body):
    with pytest.raises(CallParseError):
        parse_call(body, ("Calculator",))


def test_call_format_and_placement():
    assert parse_call("Calculator(7*13) ->").input == "7*13"
    assert parse_call("Calendar()]", ("Calendar",)).input == ""
    with pytest.raises(CallParseError, match="unknown tool"):
        parse_call("Weather(now)]", ("Calculator",))
    call = format_call("Calculator", "7*13", "91")
    assert call == "[Calculator(7*13) -> 91]" and format_call("Calculator", "7*13") == "[Calculator(7*13)]"
    text = "The total is 91 gold."
    assert insert_call(text, text.index(" 91"), call) == "The total is [Calculator(7*13) -> 91] 91 gold."
    assert prefix_call(text, call) == "[Calculator(7*13) -> 91] The total is 91 gold."


class _Args(BaseModel):
    expression: str


def test_tools_that_raise_or_hang_become_error_results():
    def boom(_args):
        raise RuntimeError("tool exploded")

    def hang(_args):
        time.sleep(5)
        return "never"

    registry = ToolRegistry([make_calculator(),
                             Tool("Boom", "raises", _Args, boom, inline_field="expression"),
                             Tool("Hang", "hangs", _Args, hang, inline_field="expression", timeout_s=0.2)])
    rec = {"id": "x", "tool": "Calculator", "text": "t", "candidates": [
        {"pos": 1, "tool": "Calculator", "input": "7*13"}, {"pos": 1, "tool": "Calculator", "input": "7/0"},
        {"pos": 1, "tool": "Boom", "input": "1"}, {"pos": 1, "tool": "Hang", "input": "1"},
        {"pos": 1, "tool": "Nope", "input": "1"}]}
    t0 = time.perf_counter()
    (out,) = list(execute_records([rec], [], make_registry=lambda _r: registry))
    assert time.perf_counter() - t0 < 2.0
    res = [(c["ok"], c["result"]) for c in out["candidates"]]
    assert res[0] == (True, "91")
    assert res[1][0] is False and "division by zero" in res[1][1]
    assert res[2] == (False, "error: tool exploded")
    assert res[3][0] is False and "timed out" in res[3][1]
    assert res[4][0] is False and "unknown tool" in res[4][1]


def test_calendar_uses_the_texts_game_date():
    rec = {"id": "c", "tool": "Calendar", "text": "t", "today": "1203-12-01",
           "candidates": [{"pos": 1, "tool": "Calendar", "input": ""}]}
    (out,) = list(execute_records([rec], []))
    assert out["candidates"][0]["result"] == "Today is Monday, December 1, 1203."


def test_training_examples_have_the_call_inline_with_result():
    text = "He pays a total of 91 gold."
    kept = {"tool": "Calculator", "input": "7*13", "result": "91", "pos": text.index(" 91"), "gain": 2.0}
    filtered = [{"text": text, "kept": [kept]},
                {"text": "nothing kept here", "kept": []}]
    plain = [{"text": "A quiet night."}, {"text": "Wind."}]
    capped = build_examples(filtered, plain, max_plain_ratio=1.0)
    assert capped == ["He pays a total of [Calculator(7*13) -> 91] 91 gold.", "A quiet night."]
    # by default every text without a kept call is kept unchanged, the filtered-out tool text included
    assert build_examples(filtered, plain) == ["He pays a total of [Calculator(7*13) -> 91] 91 gold.",
                                              "A quiet night.", "Wind.", "nothing kept here"]


def test_cli_registers_every_stage(tmp_path):
    import argparse

    from toolformer import cli

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    bench_parser = argparse.ArgumentParser().add_subparsers(dest="b")
    cli.register(sub, bench_parser)
    for stage in ("corpus", "sample", "execute", "filter", "train", "export", "eval", "all"):
        args = parser.parse_args(["toolformer", stage, "--work", str(tmp_path)])
        assert callable(args.func) and args.threads == 1 and args.device == "cpu"
    args = parser.parse_args(["toolformer", "run", "--lora", "x.gguf", "--top-k", "1", "--disabled", "hello"])
    assert args.text == "hello" and args.disabled and args.top_k == 1
    # a stage reads the previous stage's file and says so, with exit code 2, instead of a traceback
    args = parser.parse_args(["toolformer", "execute", "--work", str(tmp_path)])
    assert args.func(args) == 2


def test_corpus_stage_writes_its_files(tmp_path):
    import argparse

    from toolformer import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["toolformer", "corpus", "--work", str(tmp_path), "--n-merchant", "5"])
    assert args.func(args) == 0
    train = list(read_jsonl(tmp_path / "corpus.jsonl"))
    assert sum(r["kind"] == "merchant" for r in train) == 5
    assert (tmp_path / "heldout.jsonl").exists() and (tmp_path / "lore.jsonl").exists()
    assert "corpus" in json.loads((tmp_path / "timings.json").read_text())


def test_stage_files_keep_long_records(tmp_path):
    from toolformer.jsonl import STAGE_LINE_CHARS

    path = tmp_path / "filtered.jsonl"
    big = {"id": "a", "text": "t", "scored": [{"input": "1+1", "pad": "x" * 100}] * 400}
    write_jsonl(path, [big])
    assert list(read_jsonl(path, max_chars=STAGE_LINE_CHARS)) == [big]
    with pytest.raises(JsonlError, match="filtered.jsonl:1: a line of"):
        list(read_jsonl(path))  # the corpus limit still holds for corpus files
