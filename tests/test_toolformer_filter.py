"""Loss weights, L+ / L- and the prefix placement against hand-computed values on a tiny model."""
from __future__ import annotations

import math

import pytest
import torch
from _toolformer_tiny import CharTokenizer, tiny_model

from agent.inline import format_call
from toolformer.calls import insert_call
from toolformer.filter import (
    WEIGHTS,
    filter_batched,
    filter_naive,
    loss_weights,
    prefix_ids,
    text_logprobs,
    weighted_loss,
)


def test_weights_are_the_papers_normalised_ones():
    assert loss_weights() == pytest.approx([1 / 3, 0.8 / 3, 0.6 / 3, 0.4 / 3, 0.2 / 3])
    assert sum(WEIGHTS) == pytest.approx(1.0)
    assert len(loss_weights(8)) == 8 and loss_weights(8)[5:] == [0.0, 0.0, 0.0]


def test_weighted_loss_by_hand():
    logps = [-9.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0]
    # from i=1: (1*1 + .8*2 + .6*3 + .4*4 + .2*5) / 3
    assert weighted_loss(logps, 1) == pytest.approx((1 + 1.6 + 1.8 + 1.6 + 1.0) / 3)
    # near the end only the remaining tokens count, weights are not renormalised
    assert weighted_loss(logps, 6) == pytest.approx((6 + 0.8 * 7) / 3)


def _manual_logps(model, ids: list[int], first_text_index: int) -> list[float]:
    """log p(token_j | tokens_<j) for every token from `first_text_index` on, one plain forward pass."""
    with torch.no_grad():
        lp = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0], -1)
    return [float(lp[j - 1, ids[j]]) if j > 0 else float("nan") for j in range(first_text_index, len(ids))]


def _manual_L(model, tok, prefix_text: str | None, text: str, i: int) -> float:
    pre = prefix_ids(tok, prefix_text) if prefix_text is not None else []
    logps = _manual_logps(model, pre + tok.encode(text), len(pre))
    return sum(-w * logps[i + t] for t, w in enumerate(WEIGHTS) if i + t < len(logps))


@pytest.fixture(scope="module")
def tiny():
    return tiny_model(), CharTokenizer()


def _record():
    text = "He pays 7 times 13 gold, a total of 91 gold in all."
    pos = text.index(" 91")
    cands = [{"pos": pos, "tool": "Calculator", "input": "7*13", "result": "91", "ok": True},
             {"pos": pos, "tool": "Calculator", "input": "7+13", "result": "20", "ok": True},
             {"pos": text.index(" gold,"), "tool": "Calculator", "input": "7*13", "result": "91", "ok": True},
             {"pos": pos, "tool": "Calculator", "input": "7/0", "result": "error: division by zero", "ok": False}]
    return {"id": "r1", "tool": "Calculator", "text": text, "candidates": cands}


@pytest.mark.slow
def test_L_plus_and_L_minus_match_hand_computation_with_prefix_placement(tiny):
    model, tok = tiny
    rec = _record()
    scored = filter_batched(model, tok, rec, tau_min=-1e9)  # no lazy skipping: every L- computed
    assert len(scored) == 3  # the failed call is dropped before filtering
    for s in scored:
        i = s["i"]
        assert tok.decode(tok.encode(rec["text"])[i:i + 3]) == rec["text"][s["pos"]:s["pos"] + 3]
        with_result = format_call(s["tool"], s["input"], s["result"])
        without = format_call(s["tool"], s["input"])
        l_none = _manual_L(model, tok, None, rec["text"], i)
        l_plus = _manual_L(model, tok, with_result, rec["text"], i)
        l_nores = _manual_L(model, tok, without, rec["text"], i)
        assert s["L_none"] == pytest.approx(l_none, abs=1e-4)
        assert s["L_plus"] == pytest.approx(l_plus, abs=1e-4)
        assert s["L_nores"] == pytest.approx(l_nores, abs=1e-4)
        assert s["gain"] == pytest.approx(min(l_none, l_nores) - l_plus, abs=1e-4)


def test_call_is_a_prefix_not_inline(tiny):
    model, tok = tiny
    rec = _record()
    s = filter_batched(model, tok, rec, tau_min=-1e9)[0]
    call = format_call(s["tool"], s["input"], s["result"])
    assert prefix_ids(tok, call) == tok.encode(call + "\n")
    # the inline placement would score other tokens in another context: a different number
    inline = insert_call(rec["text"], s["pos"], call)
    j = len(tok.encode(inline[: s["pos"]])) + len(tok.encode(" " + call))
    logps = _manual_logps(model, tok.encode(inline), 0)
    l_inline = sum(-w * logps[j + t] for t, w in enumerate(WEIGHTS))
    assert not math.isclose(l_inline, s["L_plus"], abs_tol=1e-3)


def test_batched_equals_naive_and_lazy_skip_is_safe(tiny):
    model, tok = tiny
    rec = _record()
    naive = filter_naive(model, tok, rec)
    fast = filter_batched(model, tok, rec, tau_min=0.0)
    assert len(naive) == len(fast) == 3
    for a, b in zip(naive, fast):
        assert b["L_none"] == pytest.approx(a["L_none"], abs=1e-4)
        assert b["L_plus"] == pytest.approx(a["L_plus"], abs=1e-4)
        if b["gain"] is None:  # skipped: then even L(no call) - L+ is below tau_min, so the call is rejected anyway
            assert b["L_none"] - b["L_plus"] < 0.0 and a["gain"] < 0.0
        else:
            assert b["gain"] == pytest.approx(a["gain"], abs=1e-4)


def test_padding_does_not_change_logprobs(tiny):
    model, tok = tiny
    rows = [([], tok.encode("short")), (tok.encode("[X(1)]\n"), tok.encode("a longer text here"))]
    batched = text_logprobs(model, rows, batch_size=2)
    single = [text_logprobs(model, [r], batch_size=1)[0] for r in rows]
    for a, b in zip(batched, single):
        assert [x for x in a if x == x] == pytest.approx([x for x in b if x == x], abs=1e-4)
