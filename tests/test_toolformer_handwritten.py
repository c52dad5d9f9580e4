"""The hand-written sets, the reported one and the one decoding checks were tuned on: size, schema, answers checked
against their worked expressions (Calculator, no eval), no problem in both."""
from __future__ import annotations

import pytest
import yaml

from agent.backend import ModelError
from agent.tools import calculate
from toolformer.handwritten import HANDWRITTEN, load_handwritten

TUNING = HANDWRITTEN.with_name("handwritten_tune.yaml")  # agent.tools.operations_asked was chosen on this one


@pytest.mark.parametrize("path", [HANDWRITTEN, TUNING], ids=["reported", "tuning"])
def test_set_has_at_least_100_problems_with_the_schema(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["problems"]
    assert len(raw) >= 100
    assert len({p["id"] for p in raw}) == len(raw)
    for p in raw:
        assert set(p) == {"id", "shape", "question", "expr", "answer"}, p["id"]
        assert p["question"].strip().endswith("?"), p["id"]
        assert isinstance(p["answer"], (int, float)) and not isinstance(p["answer"], bool)
    # many shapes, not one template
    assert len({p["shape"] for p in raw}) >= 10


@pytest.mark.parametrize("path", [HANDWRITTEN, TUNING], ids=["reported", "tuning"])
def test_every_answer_is_its_worked_expression(path):
    for p in yaml.safe_load(path.read_text(encoding="utf-8"))["problems"]:
        assert float(calculate(p["expr"])) == pytest.approx(float(p["answer"]), abs=1e-9), p["id"]


def test_the_tuning_set_shares_no_problem_with_the_reported_one():
    reported = {r["text"] for r in load_handwritten()}
    assert not reported & {r["text"] for r in load_handwritten(TUNING)}


def test_loader_gives_eval_records_and_refuses_a_wrong_answer(tmp_path):
    recs = load_handwritten()
    r = recs[0]
    assert r["text"][: r["answer_at"]].endswith("? The answer is")
    assert r["text"][r["answer_at"]:].startswith(f" {r['answer']}")
    bad = tmp_path / "bad.yaml"
    bad.write_text("problems:\n  - {id: x1, shape: s, expr: '2+2', answer: 5, question: 'Two and two?'}\n")
    with pytest.raises(ModelError, match="2\\+2 = 4"):
        load_handwritten(bad)


def test_header_says_it_is_never_used_for_training_and_no_stage_reads_it():
    from pathlib import Path

    header = HANDWRITTEN.read_text(encoding="utf-8").split("problems:")[0]
    assert "never use it to generate" in header
    pkg = Path(__file__).resolve().parent.parent / "toolformer"
    for name in ("corpus.py", "corpus_problems.py", "corpus_steps.py", "corpus_dates.py", "corpus_lore.py",
                 "corpus_plain.py", "corpus_words.py", "sample.py", "filter.py", "train.py", "prompts.py",
                 "execute.py"):
        assert "handwritten" not in (pkg / name).read_text(encoding="utf-8"), name


def test_no_dev_problem_is_in_the_corpus():
    from toolformer.corpus import build_corpus

    train, heldout, _ = build_corpus(0)
    texts = {r["text"] for r in train + heldout}
    questions = [r["text"][: r["answer_at"] - len(" The answer is")] for r in load_handwritten()]
    assert not any(q in t for q in questions for t in texts)
