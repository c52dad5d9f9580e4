"""`adventure bench llm`: the runtime's speed figures, measured in one run.

  decode_ratio              our streamed greedy decode tokens/s ÷ a raw
                            llama-cpp-python low-level loop (llama_decode +
                            greedy sampler), same model, threads, prompt
  ttft_warm_over_cold       time to first token of a 1,500-token prompt after a
                            prompt sharing all but its last 50 tokens ÷ cold
  rank_over_prefix          rank() of 10 options (~8 tokens) after a 500-token
                            prefix, cold ÷ one cold evaluation of that prefix
  ttft_round20_over_round1  narrator, intent and villager roles interleaved
                            for 20 rounds: narrator TTFT round 20 ÷ round 1
                            (round 2, the first warm one, is reported too)
Every figure is a median over `repeats` runs, raw times included.
"""
from __future__ import annotations

import statistics
import time

import llama_cpp
from llama_cpp import _internals
from tqdm import tqdm

from .backend import GenerateOptions
from .llama_backend import LlamaCppBackend

LOREM = ("The caravan road bends past the oasis where merchants trade salt, dates and copper lamps. "
         "Old stones half buried in the dunes mark the way to the ruined temple of the four winds. ")


def _filler(backend: LlamaCppBackend, n_tokens: int, salt: str = "") -> str:
    text = salt
    while backend.count_tokens(text) < n_tokens:
        text += LOREM
    tokens = backend.tokenize(text)[:n_tokens]
    return backend.detokenize(tokens)


def raw_decode_tps(backend: LlamaCppBackend, prompt: str, n_tokens: int) -> float:
    """Tokens/s of the plainest llama-cpp-python loop we can write."""
    params = llama_cpp.llama_context_default_params()
    params.n_ctx, params.n_batch, params.n_ubatch = 2048, 512, 512
    params.n_threads = params.n_threads_batch = backend.n_threads
    ctx = _internals.LlamaContext(model=backend.model, params=params, verbose=False)
    sampler = llama_cpp.llama_sampler_init_greedy()
    try:
        tokens = backend.tokenize(prompt, add_bos=backend.add_bos)
        prompt_array = (llama_cpp.llama_token * len(tokens))(*tokens)  # must outlive the decode call
        llama_cpp.llama_decode(ctx.ctx, llama_cpp.llama_batch_get_one(prompt_array, len(tokens)))
        token = llama_cpp.llama_sampler_sample(sampler, ctx.ctx, -1)
        one = (llama_cpp.llama_token * 1)()
        start, produced = time.perf_counter(), 0
        for _ in range(n_tokens - 1):
            if llama_cpp.llama_vocab_is_eog(backend.vocab, token):
                break
            one[0] = token
            llama_cpp.llama_decode(ctx.ctx, llama_cpp.llama_batch_get_one(one, 1))
            token = llama_cpp.llama_sampler_sample(sampler, ctx.ctx, -1)
            produced += 1
        return produced / (time.perf_counter() - start)
    finally:
        llama_cpp.llama_sampler_free(sampler)
        ctx.close()


def ours_decode_tps(backend: LlamaCppBackend, prompt: str, n_tokens: int, role: str) -> float:
    for _ in backend.stream(prompt, GenerateOptions(max_tokens=n_tokens, temperature=0, role=role)):
        pass
    return backend.last_stats.tokens_per_s


def ttft(backend: LlamaCppBackend, prompt: str, role: str) -> float:
    for _ in backend.stream(prompt, GenerateOptions(max_tokens=1, temperature=0, role=role)):
        pass
    return backend.last_stats.ttft_s


def run_llm_bench(model: str | None = None, threads: int | None = None, repeats: int = 5) -> dict:
    backend = LlamaCppBackend(model, n_threads=threads, n_ctx=4096, max_roles=64)
    figures: dict = {"model": backend.name, "threads": backend.n_threads, "repeats": repeats}
    bar = tqdm(total=4 * repeats + 20, desc="bench llm", unit="step")
    try:
        story = backend.chat_prompt(
            [{"role": "user", "content": "Tell a long story about a caravan crossing the desert."}])
        raw, ours = [], []
        for i in range(repeats):  # alternate so machine noise hits both alike
            raw.append(raw_decode_tps(backend, story, 128))
            ours.append(ours_decode_tps(backend, story, 128, role=f"decode{i}"))
            bar.update()
        figures["raw_decode_tps_median"] = statistics.median(raw)
        figures["our_decode_tps_median"] = statistics.median(ours)
        figures["decode_ratio"] = figures["our_decode_tps_median"] / figures["raw_decode_tps_median"]

        cold, warm = [], []
        for i in range(repeats):
            shared = _filler(backend, 1450, salt=f"Session {i}. ")
            first = shared + _filler(backend, 50, salt="The first question: ")
            second = shared + _filler(backend, 50, salt="Another question entirely: ")
            cold.append(ttft(backend, second, role=f"cold{i}"))
            ttft(backend, first, role=f"warm{i}")
            warm.append(ttft(backend, second, role=f"warm{i}"))
            bar.update()
        figures["prompt_tokens"] = backend.count_tokens(second)
        figures["ttft_cold_s_median"] = statistics.median(cold)
        figures["ttft_warm_s_median"] = statistics.median(warm)
        figures["ttft_warm_over_cold"] = figures["ttft_warm_s_median"] / figures["ttft_cold_s_median"]

        options = [f" go to the {place} and look around" for place in
                   ("well", "market", "temple", "dunes", "palm grove", "gate", "tower", "cave", "camp", "river")]
        prefix_times, rank_times = [], []
        for i in range(repeats):
            prefix = _filler(backend, 500, salt=f"Turn {i}. ")
            start = time.perf_counter()
            backend.context(f"prefix{i}").eval_prompt(backend.tokenize(prefix, add_bos=backend.add_bos))
            prefix_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            backend.rank(prefix, options, role=f"rank{i}")
            rank_times.append(time.perf_counter() - start)
            bar.update()
        figures["option_tokens_mean"] = statistics.mean(backend.count_tokens(o) for o in options)
        figures["prefix_eval_s_median"] = statistics.median(prefix_times)
        figures["rank_s_median"] = statistics.median(rank_times)
        figures["rank_over_prefix"] = figures["rank_s_median"] / figures["prefix_eval_s_median"]

        figures.update(_interleaved_roles(backend, bar))
        bar.update(repeats)
    finally:
        bar.close()
        backend.close()
    return figures


def _interleaved_roles(backend: LlamaCppBackend, bar) -> dict:
    """Narrator, intent and villager prompts take turns, as in a game."""
    rules = _filler(backend, 600, salt="You are the game master. Never invent items. ")
    villager_rules = _filler(backend, 400, salt="You are Amira, the well keeper. ")
    history: list[str] = []
    narrator_ttft = []
    for round_no in range(1, 21):
        prompt = rules + "".join(history) + f"\nTurn {round_no}: the player walks on.\nNarrator:"
        opts = GenerateOptions(max_tokens=24, temperature=0, role="narrator")
        text = "".join(backend.stream(prompt, opts))
        narrator_ttft.append(backend.last_stats.ttft_s)
        history.append(f"\nTurn {round_no}: the player walks on.\nNarrator:{text}")
        backend.rank(rules[:800] + f"\nPlayer typed: go north {round_no}\nAction:",
                     [" go north", " take lamp", " look"], role="intent")
        for _ in backend.stream(villager_rules + f"\nHour {round_no}. Amira thinks:",
                                GenerateOptions(max_tokens=12, temperature=0, role="villager")):
            pass
        bar.update()
    return {
        "narrator_ttft_round1_s": narrator_ttft[0],
        "narrator_ttft_round2_s": narrator_ttft[1],
        "narrator_ttft_round20_s": narrator_ttft[19],
        "ttft_round20_over_round1": narrator_ttft[19] / narrator_ttft[0],
        "ttft_round20_over_round2": narrator_ttft[19] / narrator_ttft[1],
    }
