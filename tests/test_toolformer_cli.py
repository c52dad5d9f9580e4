"""`adventure toolformer` from a fresh clone: defaults resolve, missing inputs fail clearly, eval runs with no args."""
from __future__ import annotations

import argparse
import json

import pytest

from agent.adapters import SHIPPED_ADAPTER
from agent.backend import ModelError
from toolformer import cli, eval_cli


def _parser():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    return parser


def test_eval_adapter_default_is_the_export_stage_output_else_the_shipped_one(tmp_path, monkeypatch):
    args = _parser().parse_args(["toolformer", "eval", "--work", str(tmp_path)])
    fake_shipped = tmp_path / "assets" / "adapter.gguf"
    monkeypatch.setattr(eval_cli, "SHIPPED_ADAPTER", fake_shipped)
    with pytest.raises(ModelError, match="toolformer all"):
        eval_cli.default_adapter(args)
    fake_shipped.parent.mkdir()
    fake_shipped.write_bytes(b"x")
    assert eval_cli.default_adapter(args) == fake_shipped
    (tmp_path / "adapter.gguf").write_bytes(b"y")  # what `toolformer export` writes
    assert eval_cli.default_adapter(args) == tmp_path / "adapter.gguf"
    args = _parser().parse_args(["toolformer", "eval", "--work", str(tmp_path), "--lora", "mine.gguf"])
    assert str(eval_cli.default_adapter(args)) == "mine.gguf"
    # `run` resolves its adapter the same way
    args = _parser().parse_args(["toolformer", "run", "--work", str(tmp_path), "hello"])
    assert eval_cli.default_adapter(args, "run") == tmp_path / "adapter.gguf"


def test_eval_makes_its_own_seeded_heldout_set(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for work in (a, b):
        args = _parser().parse_args(["toolformer", "eval", "--work", str(work)])
        recs = eval_cli.heldout_records(args)
        assert {r["kind"] for r in recs} == {"merchant", "svamp", "narration"}
    assert (a / "heldout.jsonl").read_text() == (b / "heldout.jsonl").read_text()
    assert (a / "lore.jsonl").exists() and (a / "corpus.jsonl").exists()


@pytest.mark.parametrize("stage,needs,made_by", [("sample", "corpus.jsonl", "corpus"),
                                                 ("execute", "samples.jsonl", "sample"),
                                                 ("filter", "executed.jsonl", "execute"),
                                                 ("train", "filtered.jsonl", "filter"),
                                                 ("export", "adapter", "train")])
@pytest.mark.slow
def test_each_stage_reads_the_previous_stages_output_and_says_what_to_run(tmp_path, stage, needs, made_by, capsys,
                                                                          monkeypatch):
    from toolformer import model as tf_model

    # the stages would load the PyTorch model first; the missing input must be reported before that matters
    monkeypatch.setattr(tf_model, "load_model", lambda *a, **k: (_ for _ in ()).throw(AssertionError("loaded")))
    args = _parser().parse_args(["toolformer", stage, "--work", str(tmp_path)])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert needs in err and f"toolformer {made_by}" in err


@pytest.mark.model
def test_eval_with_no_arguments_evaluates_the_shipped_adapter(tmp_path, monkeypatch, capsys):
    from agent.model_files import default_model_path

    default_model_path()
    monkeypatch.chdir(tmp_path)  # a fresh checkout: no runs/ directory at all
    # no arguments but the size (one prompt per set) and skipping the 10-process start-up timing
    args = _parser().parse_args(["toolformer", "eval", "--eval-limit", "1", "--no-load-time", "--samples", "2"])
    assert args.func(args) == 0
    figures = json.loads((tmp_path / "runs" / "toolformer" / "eval.json").read_text())["figures"]
    assert figures["adapter"] == str(SHIPPED_ADAPTER)
    assert figures["n_arith"] == 1 and figures["arith_tuned"] in (0.0, 1.0) and figures["n_handwritten"] == 1
    for key in ("arith_base", "arith_tuned", "arith_tuned_disabled", "handwritten_base", "handwritten_tuned",
                "narration_call_rate", "self_consistency_samples", "eval_seconds"):
        assert figures[key] is not None, key
    # a fresh checkout has no filter-stage files and --no-load-time skips the timing: no figure, and a note saying why
    for key in ("filter_speedup", "kept_calls_calendar", "kept_calls_lore", "adapter_load_s"):
        assert figures[key] is None and figures["notes"][key], key
    assert figures["self_consistency_samples"] == 2 and "handwritten_tuned_greedy" in figures
    assert figures["cost"]["arith_tuned"]["model_calls_per_problem"] >= 1
    assert "the shipped one" in capsys.readouterr().err
