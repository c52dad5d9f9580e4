"""Stage 4: keep a call only if it makes the following tokens easier to predict.

L_i(z) = -sum_{j>=i} w_{j-i} log p(x_j | z, x_1..x_{j-1}),
w~_t = max(0, 1 - 0.2 t) normalised to sum 1, so only 5 tokens count:
(1, .8, .6, .4, .2) / 3. The call z is placed as a PREFIX before the whole
text (the paper's placement while filtering), e.g. "[Calculator(7*13) -> 91]\\n"
followed by the text's own tokens; the no-call variant is the bare text.
L+ = L_i(call with result), L- = min(L_i(no call), L_i(call without result));
keep if L- - L+ >= tau_f and the result agrees with the text's stated answer
(toolformer.keep_rule).

Shared computation (`filter_batched`), each exact, none changing a decision:
  * one pass over the bare text gives L_i(no call) for every position i;
  * the prefix does not depend on i, so one pass per distinct call gives
    L_i for all positions where that call was sampled;
  * sequences stop at the last token any window needs (i + 5);
  * rows are batched with padding; the vocabulary projection runs only where a
    log-probability is needed;
  * the call-without-result pass is skipped when L(no call) - L+ < tau_min,
    because then L- - L+ <= L(no call) - L+ < tau_min already.
`filter_naive` is the reference: three full passes per candidate, one at a time.

Deliberately left out: merging calls of several tools per text (one call per
text is kept downstream), the paper's dedup across tools.
"""
from __future__ import annotations

import time

import torch

from agent.inline import format_call

from .keep_rule import decide
from .model import encode

N_WEIGHTS = 5


def loss_weights(n: int = N_WEIGHTS) -> list[float]:
    raw = [max(0.0, 1.0 - 0.2 * t) for t in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


WEIGHTS = loss_weights()


def weighted_loss(token_logps, i: int) -> float:
    """L_i from log p(x_j | ...) for every text index j (index 0 = first text token)."""
    total = 0.0
    for t, w in enumerate(WEIGHTS):
        j = i + t
        if j >= len(token_logps) or w == 0:
            break
        total -= w * float(token_logps[j])
    return total


def prefix_ids(tokenizer, call_text: str) -> list[int]:
    """Token ids of the call placed before the whole text (with a newline after it)."""
    return encode(tokenizer, call_text) + encode(tokenizer, "\n")


def char_to_token(tokenizer, x_ids: list[int]) -> dict[int, int]:
    """Character offset where each token starts -> token index."""
    out, offset = {}, 0
    for idx, tid in enumerate(x_ids):
        out[offset] = idx
        offset += len(tokenizer.decode([tid], clean_up_tokenization_spaces=False))
    return out


@torch.no_grad()
def text_logprobs(model, rows: list[tuple[list[int], list[int]]], pad_id: int = 0, batch_size: int = 16,
                  full_vocab_everywhere: bool = False) -> list[list[float]]:
    """For each (prefix, x) row: log p(x_j | prefix, x_<j) for every j (nan for j=0 without prefix)."""
    device = next(model.parameters()).device
    results: list[list[float] | None] = [None] * len(rows)
    order = sorted(range(len(rows)), key=lambda r: len(rows[r][0]) + len(rows[r][1]))
    for b in range(0, len(order), batch_size):
        chunk = order[b: b + batch_size]
        seqs = [rows[r][0] + rows[r][1] for r in chunk]
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for k, s in enumerate(seqs):
            ids[k, : len(s)] = torch.tensor(s)
            mask[k, : len(s)] = 1
        ids, mask = ids.to(device), mask.to(device)
        if full_vocab_everywhere:
            logits = model(input_ids=ids, attention_mask=mask).logits
            hidden = None
        else:
            hidden = model.model(input_ids=ids, attention_mask=mask).last_hidden_state
        for k, r in enumerate(chunk):
            prefix, x = rows[r]
            first = len(prefix)
            # predicting x_j uses the output at sequence index first + j - 1
            js = [j for j in range(len(x)) if first + j - 1 >= 0]
            pos = torch.tensor([first + j - 1 for j in js], device=device)
            row_logits = logits[k, pos] if hidden is None else model.lm_head(hidden[k, pos])
            lp = torch.log_softmax(row_logits.float(), -1)
            picked = lp[torch.arange(len(js), device=device), torch.tensor([x[j] for j in js], device=device)]
            out = [float("nan")] * len(x)
            for jj, j in enumerate(js):
                out[j] = float(picked[jj])
            results[r] = out
    return results  # type: ignore[return-value]


def _candidate_keys(tokenizer, rec: dict):
    """x ids and, per usable candidate, its token index."""
    x_ids = encode(tokenizer, rec["text"])
    starts = char_to_token(tokenizer, x_ids)
    usable = []
    for c in rec.get("candidates", []):
        if not c.get("ok", False):
            continue  # the tool failed: an error message is not information
        i = starts.get(c["pos"])
        if i is None or i < 1:
            continue
        usable.append((c, i))
    return x_ids, usable


def filter_batched(model, tokenizer, rec: dict, tau_min: float = 0.5, batch_size: int = 16) -> list[dict]:
    """Scored candidates of one record: each with L_none, L_plus, L_nores (None = skipped, provably
    irrelevant) and gain = L- - L+ (None when skipped, then gain < tau_min)."""
    x_ids, usable = _candidate_keys(tokenizer, rec)
    if not usable:
        return []
    upto = min(len(x_ids), max(i for _, i in usable) + N_WEIGHTS)
    plus_keys: dict[str, int] = {}
    for c, i in usable:
        key = format_call(c["tool"], c["input"], c["result"])
        plus_keys[key] = max(plus_keys.get(key, 0), min(len(x_ids), i + N_WEIGHTS))
    rows = [([], x_ids[:upto])] + [(prefix_ids(tokenizer, k), x_ids[:n]) for k, n in plus_keys.items()]
    lps = text_logprobs(model, rows, batch_size=batch_size)
    none_lp, plus_lp = lps[0], dict(zip(plus_keys, lps[1:]))
    scored = []
    for c, i in usable:
        l_none = weighted_loss(none_lp, i)
        l_plus = weighted_loss(plus_lp[format_call(c["tool"], c["input"], c["result"])], i)
        scored.append({**c, "i": i, "L_none": l_none, "L_plus": l_plus, "L_nores": None, "gain": None})
    need: dict[str, int] = {}
    for s in scored:
        if s["L_none"] - s["L_plus"] >= tau_min:
            key = format_call(s["tool"], s["input"])
            need[key] = max(need.get(key, 0), min(len(x_ids), s["i"] + N_WEIGHTS))
    if need:
        lps = text_logprobs(model, [(prefix_ids(tokenizer, k), x_ids[:n]) for k, n in need.items()],
                            batch_size=batch_size)
        nores = dict(zip(need, lps))
        for s in scored:
            key = format_call(s["tool"], s["input"])
            if key in nores:
                s["L_nores"] = weighted_loss(nores[key], s["i"])
                s["gain"] = min(s["L_none"], s["L_nores"]) - s["L_plus"]
    return scored


def filter_naive(model, tokenizer, rec: dict) -> list[dict]:
    """Reference: three separate full-length passes per candidate, one candidate at a time."""
    x_ids, usable = _candidate_keys(tokenizer, rec)
    scored = []
    for c, i in usable:
        variants = [[], prefix_ids(tokenizer, format_call(c["tool"], c["input"], c["result"])),
                    prefix_ids(tokenizer, format_call(c["tool"], c["input"]))]
        losses = [weighted_loss(text_logprobs(model, [(p, x_ids)], batch_size=1, full_vocab_everywhere=True)[0], i)
                  for p in variants]
        l_none, l_plus, l_nores = losses
        scored.append({**c, "i": i, "L_none": l_none, "L_plus": l_plus, "L_nores": l_nores,
                       "gain": min(l_none, l_nores) - l_plus})
    return scored


def run_filter(model, tokenizer, records, tau: dict, tau_min: float = 0.5, progress: bool = True):
    """Yield records with scored candidates and `kept` (the keep rule, `keeps`), plus timing."""
    import sys

    from tqdm import tqdm

    for rec in tqdm(list(records), desc="filter", disable=not progress, file=sys.stderr):
        t0 = time.perf_counter()
        scored = filter_batched(model, tokenizer, rec, tau_min=min(tau_min, tau.get(rec["tool"], 1.0)))
        yield decide({**{k: v for k, v in rec.items() if k != "candidates"}, "scored": scored,
                      "n_candidates": len(scored), "seconds": round(time.perf_counter() - t0, 3)}, tau)
