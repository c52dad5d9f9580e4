"""The hand-written development set (tests/data/toolformer/handwritten_dev.yaml): load and check it.

`load_handwritten` returns records shaped like the held-out set's
({id, kind, tool, text, answer, answer_at}) so `evaluate` scores them the same
way: the prompt is the question followed by " The answer is", the first number
the model writes is its answer. Every stored answer is checked against its
worked expression with the project's Calculator (`agent.tools.calculate`) on
load; a file with a wrong answer is refused.

The set is for reporting only: no stage of the pipeline (corpus, sample,
filter, train) reads it. Deliberately left out: partial credit, units.
"""
from __future__ import annotations

from pathlib import Path

from agent.backend import ModelError

HANDWRITTEN = Path(__file__).resolve().parent.parent / "tests" / "data" / "toolformer" / "handwritten_dev.yaml"
FIELDS = ("id", "shape", "question", "expr", "answer")
CUE = " The answer is"


def _number(value) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_handwritten(path: str | Path = HANDWRITTEN) -> list[dict]:
    import yaml

    from agent.tools import calculate

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist (the hand-written dev set ships in tests/data/toolformer/)")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out, seen = [], set()
    for n, p in enumerate(data.get("problems") or []):
        missing = [f for f in FIELDS if p.get(f) in (None, "")]
        if missing:
            raise ModelError(f"{path}: problem {n + 1} lacks {', '.join(missing)}")
        if p["id"] in seen:
            raise ModelError(f"{path}: duplicate id {p['id']}")
        seen.add(p["id"])
        answer = _number(p["answer"])
        worked = calculate(str(p["expr"]))
        if worked != answer:
            raise ModelError(f"{path}: {p['id']}: {p['expr']} = {worked}, but the answer says {answer}")
        question = str(p["question"]).strip()
        out.append({"id": p["id"], "kind": "handwritten", "shape": p["shape"], "tool": "Calculator",
                    "text": f"{question}{CUE} {answer}.", "answer": answer, "answer_at": len(question) + len(CUE),
                    "expr": str(p["expr"])})
    return out
