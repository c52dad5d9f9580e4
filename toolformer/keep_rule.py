"""Which scored calls the filter keeps: the loss rule of the paper plus agreement with the text's answer.

A call is kept when it lowers the loss of the following tokens by the tool's tau_f (toolformer.filter
scores that) and, where the text states its answer (the corpus knows it: `answer`), its result agrees
with that answer. With a 135M model the loss alone kept about half of the Calculator calls with a wrong
result (runs/toolformer-varied: 20 of 31 right at tau_f 0.5), and a model trained on wrong calls learns
wrong expressions. Kept apart from the filter so counting and resuming need no torch.

Deliberately left out: judging texts without a stated answer (any result the loss accepts is kept).
"""
from __future__ import annotations


def _number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def supports_answer(rec: dict, call: dict) -> bool:
    """Does the call's result agree with the answer the text states? A number must equal it (the Calculator);
    any other answer must appear in the result ("October" in "Today is Monday, October 25, 2021"). Texts
    without a stated answer accept any result."""
    answer = str(rec.get("answer") or "").strip()
    if not answer:
        return True
    result = str(call.get("result", ""))
    if _number(answer) is not None and _number(result) is not None:
        return _number(answer) == _number(result)
    return answer.lower() in result.lower()


def keeps(rec: dict, call: dict, tau: dict) -> bool:
    """The keep rule: the call lowers the loss by the tool's tau_f and agrees with the text's answer."""
    gain = call.get("gain")
    return gain is not None and gain >= tau.get(rec.get("tool"), 1.0) and supports_answer(rec, call)


def decide(rec: dict, tau: dict) -> dict:
    """`kept` (best first) re-decided from a record's scored calls: a resumed filter applies today's rule."""
    kept = sorted((s for s in rec.get("scored", []) if keeps(rec, s, tau)), key=lambda s: -s["gain"])
    return {**rec, "kept": kept}
