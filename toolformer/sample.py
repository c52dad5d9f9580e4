"""Stage 2: where would a call help, and which calls does the model propose there?

For each text x and its tool: evaluate P(x)'s demonstrations once (KV cache
kept for every text), then ONE forward pass over the text gives
p_i = p(" [" | P(x), x_<i) at every position. Positions with p_i > tau_s, at
most the top k, become call sites; at each, m calls are sampled in one batch
branching from the sliced cache, until a token with "]" or "->" closes the
call. Unclosed samples and ones that do not parse are dropped (and counted).

Choices beyond the paper, all cheap and stated: call sites are only word
starts (a token beginning with a space), so a call is inserted as
" [call] word"; the tool's name and "(" are fed after " [" instead of being
sampled, since P(x) is per tool anyway.

Deliberately left out: sampling several tools in one prompt, nucleus/top-k
sampling (plain temperature sampling as in the paper).
"""
from __future__ import annotations

import sys
import time
import zlib
from collections import Counter

import torch

from . import kv
from .calls import CallParseError, parse_call
from .model import call_token_ids, encode
from .prompts import SAMPLING, prompt_for, prompt_prefix


def token_pieces(tokenizer, ids: list[int]) -> list[str]:
    return [tokenizer.decode([t], clean_up_tokenization_spaces=False) for t in ids]


class Sampler:
    def __init__(self, model, tokenizer, seed: int = 0, temperature: float = 1.0) -> None:
        self.model, self.tok = model, tokenizer
        self.device = next(model.parameters()).device
        self.open_id = call_token_ids(tokenizer)[" ["]
        self.temperature = temperature
        self.gen = torch.Generator(device="cpu").manual_seed(seed)
        self._demo_cache: dict[str, tuple[list, int]] = {}
        vocab = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
        self.closing = torch.tensor([("]" in (v or "")) or (v or "").endswith("->") for v in vocab])

    @torch.no_grad()
    def _forward(self, ids: list[int], cache=None):
        x = torch.tensor([ids], device=self.device)
        return self.model(input_ids=x, past_key_values=cache, use_cache=True)

    def demo_cache(self, tool: str):
        if tool not in self._demo_cache:
            ids = encode(self.tok, prompt_prefix(tool))
            out = self._forward(ids)
            self._demo_cache[tool] = (kv.tensors(out.past_key_values), len(ids))
        return self._demo_cache[tool]

    @torch.no_grad()
    def positions(self, tool: str, text: str):
        """(cache pairs of P(x)+x, index where x starts, x ids, p_i per x index, char offset per x index)."""
        demo, demo_len = self.demo_cache(tool)
        prefix, x = prompt_for(tool, text)
        ctx_ids = encode(self.tok, prefix[len(prompt_prefix(tool)):])  # "x\nOutput:"
        x_ids = encode(self.tok, x)
        pieces = token_pieces(self.tok, x_ids)
        if "".join(pieces) != x:
            return None  # tokens do not map back onto characters; skip the text
        out = self._forward(ctx_ids + x_ids, kv.build(demo))
        logp = torch.log_softmax(out.logits[0].float(), dim=-1)[:, self.open_id]
        start = demo_len + len(ctx_ids)  # cache index of x_0
        # p_i for inserting before x_i: predicted at the position of x_{i-1} (or the last prompt token)
        p = logp[len(ctx_ids) - 1: len(ctx_ids) - 1 + len(x_ids)].exp().tolist()
        chars, offset = [], -1  # offsets in `text` (x has one leading space)
        for piece in pieces:
            chars.append(offset)
            offset += len(piece)
        return kv.tensors(out.past_key_values), start, x_ids, pieces, p, chars

    @torch.no_grad()
    def sample_at(self, pairs, length: int, tool: str, m: int, max_new: int) -> list[str | None]:
        """m sampled call bodies ("Tool(input)") branching after cache[:length]; None = never closed."""
        cache = kv.build(pairs, length=length, repeat=m)
        forced = [self.open_id] + encode(self.tok, f"{tool}(")
        x = torch.tensor([forced] * m, device=self.device)
        out = self.model(input_ids=x, past_key_values=cache, use_cache=True)
        done = torch.zeros(m, dtype=torch.bool)
        generated: list[list[int]] = [[] for _ in range(m)]
        for _ in range(max_new):
            logits = out.logits[:, -1].float().cpu() / max(self.temperature, 1e-5)
            nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=self.gen).squeeze(1)
            for row in range(m):
                if not done[row]:
                    generated[row].append(int(nxt[row]))
            done |= self.closing[nxt]
            if bool(done.all()):
                break
            out = self.model(input_ids=nxt[:, None].to(self.device), past_key_values=out.past_key_values, use_cache=True)
        bodies = []
        for row in range(m):
            text = f"{tool}(" + self.tok.decode(generated[row], clean_up_tokenization_spaces=False)
            bodies.append(text if done[row] else None)
        return bodies


def sample_record(sampler: Sampler, rec: dict, settings: dict | None = None) -> dict:
    """Candidate calls for one corpus record."""
    tool = rec["tool"]
    s = {**SAMPLING[tool], **(settings or {})}
    found = sampler.positions(tool, rec["text"])
    result = {k: rec[k] for k in ("id", "kind", "tool", "text", "answer", "answer_at", "today") if k in rec}
    result.update(candidates=[], n_samples=0, n_unclosed=0, n_unparsable=0)
    if found is None:
        result["skipped"] = "tokens do not map back onto the text"
        return result
    pairs, start, x_ids, pieces, p, chars = found
    sites = [i for i in range(1, len(x_ids)) if pieces[i].startswith(" ") and p[i] > s["tau_s"]]
    sites = sorted(sites, key=lambda i: -p[i])[: s["k"]]
    for i in sorted(sites):
        counts: Counter = Counter()
        for body in sampler.sample_at(pairs, start + i, tool, s["m"], s["max_new"]):
            result["n_samples"] += 1
            if body is None:
                result["n_unclosed"] += 1
                continue
            try:
                call = parse_call(body, (tool,))
            except CallParseError:
                result["n_unparsable"] += 1
                continue
            counts[call.input] += 1
        for arg, n in counts.items():
            result["candidates"].append({"pos": chars[i], "p": round(p[i], 5), "tool": tool, "input": arg, "n": n})
    return result


def run_sample(model, tokenizer, records, out_path, seed: int = 0, settings: dict | None = None,
               limit_per_tool: dict | None = None, progress: bool = True) -> dict:
    """Sample candidates for every tool record; appends to `out_path` so an interrupted run resumes."""
    import json
    from pathlib import Path

    from tqdm import tqdm

    from .jsonl import read_jsonl

    out_path = Path(out_path)
    done_ids = {r["id"] for r in read_jsonl(out_path, warn=lambda m: None)} if out_path.exists() else set()
    todo = [r for r in records if r.get("tool") in SAMPLING and r["id"] not in done_ids]
    sampler = Sampler(model, tokenizer, seed=seed)
    t0, n_cand = time.perf_counter(), 0
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("a", encoding="utf-8") as handle:
        for rec in tqdm(todo, desc="sample", disable=not progress, file=sys.stderr):
            sampler.gen.manual_seed(seed * 1_000_003 + zlib.crc32(rec["id"].encode()))
            res = sample_record(sampler, rec, settings)
            n_cand += len(res["candidates"])
            handle.write(json.dumps(res) + "\n")
            handle.flush()
    return {"texts": len(todo), "resumed_from": len(done_ids), "candidates": n_cand,
            "seconds": round(time.perf_counter() - t0, 1)}
