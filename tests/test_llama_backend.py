"""LlamaCppBackend with the real embedded default model (SmolLM2-135M, offline)."""
from __future__ import annotations

import math

import pytest

from agent.backend import GenerateOptions, ModelError, normalise_scores
from agent.llama_backend import LlamaCppBackend

pytestmark = pytest.mark.model

CHAT = [{"role": "system", "content": "You are a game master."},
        {"role": "user", "content": "Describe an oasis in one sentence."}]


def test_chat_streams_pieces_and_records_stats(real_backend):
    pieces = list(real_backend.chat_stream(CHAT, max_tokens=24, temperature=0))
    stats = real_backend.last_stats
    assert len(pieces) >= 5 and "oasis" in "".join(pieces).lower()
    assert stats.completion_tokens == 24 and stats.finish_reason == "length"
    assert 0 < stats.ttft_s < stats.total_s and stats.tokens_per_s > 0


def test_greedy_is_deterministic_and_stop_strings_cut(real_backend):
    opts = GenerateOptions(max_tokens=30, temperature=0, role="t-stop")
    first = real_backend.chat(CHAT, opts)
    assert real_backend.chat(CHAT, opts) == first
    cut_word = first.split()[3]
    stopped = real_backend.chat(CHAT, opts, stop=[cut_word])
    assert real_backend.last_stats.finish_reason == "stop" and cut_word not in stopped
    assert first.startswith(stopped)


def test_prefix_cache_reuses_a_shared_prompt_start(real_backend):
    shared = "The old caravan road runs past the oasis. " * 40
    real_backend.complete(shared + "First question:", max_tokens=1, temperature=0, role="t-cache")
    real_backend.complete(shared + "Second question:", max_tokens=1, temperature=0, role="t-cache")
    stats = real_backend.last_stats
    assert stats.cached_tokens >= stats.prompt_tokens - 6


def test_roles_do_not_evict_each_other(real_backend):
    narrator = "You narrate a desert adventure. " * 30 + "Turn 1."
    real_backend.complete(narrator, max_tokens=1, temperature=0, role="t-narrator")
    real_backend.complete("Completely different villager prompt. " * 30, max_tokens=1, temperature=0, role="t-villager")
    real_backend.complete(narrator, max_tokens=1, temperature=0, role="t-narrator")
    assert real_backend.last_stats.cached_tokens == real_backend.last_stats.prompt_tokens


def test_rank_prefers_the_stated_action_and_matches_logprobs(real_backend):
    prefix = "The player says: I want to walk north through the gate.\nThe action is:"
    options = [" go north", " take the lamp", " eat the bread"]
    scores = real_backend.rank(prefix, options)
    assert max(range(3), key=scores.__getitem__) == 0
    assert math.isclose(scores[1], sum(real_backend.logprobs(prefix, options[1])), rel_tol=1e-4)
    probs = normalise_scores(scores)
    assert math.isclose(sum(probs), 1.0) and probs[0] > 0.5


def test_logprobs_are_per_token_and_favour_the_truth(real_backend):
    context = "The capital of France is"
    right = real_backend.logprobs(context, " Paris")
    wrong = real_backend.logprobs(context, " a banana")
    assert len(right) == real_backend.count_tokens(" Paris") and all(v <= 0 for v in right)
    assert sum(right) > sum(wrong)


def test_embeddings_are_normalised_and_semantic(real_backend):
    a = real_backend.embed("The camel drinks water at the oasis.")
    b = real_backend.embed("A camel is drinking at the desert spring.")
    c = real_backend.embed("Quarterly tax filings are due in April.")
    cos = lambda x, y: sum(p * q for p, q in zip(x, y))
    assert math.isclose(cos(a, a), 1.0, rel_tol=1e-6) and cos(a, b) > cos(a, c)


def test_overlong_prompt_is_truncated_not_fatal(real_backend):
    huge = "word " * 5000
    out = real_backend.complete(huge + "The end.", max_tokens=4, temperature=0, role="t-long")
    assert isinstance(out, str) and real_backend.last_stats.truncated_prompt
    assert real_backend.last_stats.prompt_tokens <= real_backend.n_ctx - 4
    scores = real_backend.rank(huge, [" a", " b"], role="t-long-rank")
    assert len(scores) == 2 and all(math.isfinite(s) for s in scores)


def test_banned_tokens_never_appear(real_backend):
    prompt = "List three fruits in square brackets like [apple]:"
    banned = [t for t in (real_backend.token_id("["), real_backend.token_id(" [")) if t is not None]
    out = real_backend.complete(prompt, max_tokens=30, temperature=0, banned_token_ids=banned)
    assert "[" not in out


def test_missing_and_non_gguf_files_get_clear_errors(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        LlamaCppBackend(tmp_path / "nope.gguf")
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 a zip file, not a model")
    with pytest.raises(ModelError, match="not a GGUF file"):
        LlamaCppBackend(fake)


def test_truncated_gguf_gets_a_clear_error(tmp_path, real_backend):
    truncated = tmp_path / "truncated.gguf"
    with open(real_backend.model_path, "rb") as src:
        truncated.write_bytes(src.read(1_000_000))
    with pytest.raises(ModelError, match="truncated, corrupt"):
        LlamaCppBackend(truncated)


def test_adapter_that_does_not_match_is_refused(real_backend):
    with pytest.raises(ModelError, match="does not match model"):
        LlamaCppBackend(lora_path=real_backend.model_path)  # a model, not an adapter


def test_threads_on_different_roles_match_sequential_results(real_backend):
    import threading

    prompts = {f"t-thread{i}": f"<|im_start|>user\nName {i + 2} desert animals.<|im_end|>\n<|im_start|>assistant\n"
               for i in range(2)}
    expected = {role: real_backend.complete(p, max_tokens=12, temperature=0, role=role + "-seq")
                for role, p in prompts.items()}
    got: dict = {}

    def work(role):
        got[role] = (real_backend.complete(prompts[role], max_tokens=12, temperature=0, role=role),
                     real_backend.last_stats.completion_tokens)

    threads = [threading.Thread(target=work, args=(role,)) for role in prompts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert {role: text for role, (text, _n) in got.items()} == expected
    assert all(n == 12 for _text, n in got.values())  # stats are per thread
