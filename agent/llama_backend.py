"""LlamaCppBackend: any GGUF model in-process through llama-cpp-python.

One loaded model, one `CachedContext` per role (created on first use), so the
narrator's long stable prompt, the intent ranker and the villagers each keep
their own prefix cache. Sampling runs on llama.cpp's sampler chain (grammar,
logit bias, top-k/top-p/temperature); greedy decoding without constraints
takes a plain argmax.

Prompt longer than the context (the stated truncation policy): the first
quarter of the window (rules, story intro) and the most recent tokens are
kept, the middle is dropped, `last_stats.truncated_prompt` is set and a
warning is logged. Scoring calls (`rank`, `logprobs`) keep the most recent
tokens of the prefix instead.

Chat prompts are text in the GGUF's own template (agent/chat_format.py picks
it from the metadata: the Jinja template, else ChatML or a base-model transcript).

Deliberately left out: multimodal models, speculative decoding, batching
several roles in one decode call.
"""
from __future__ import annotations

import codecs
import ctypes
import logging
import os
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Collection
from pathlib import Path
from typing import Iterator, Sequence

import llama_cpp
import numpy as np
from llama_cpp import _internals
from llama_cpp.llama_grammar import LlamaGrammar

from .adapters import check_adapter
from .backend import Backend, GenerateOptions, GenerationStats, ModelError
from .chat_format import ChatFormat, choose_format
from .llama_context import CachedContext
from .llama_process import default_threads, extra_buffers_allowed, silence_llama_logs
from .model_files import resolve_model_path
from .stops import StopFilter

log = logging.getLogger(__name__)


class LlamaCppBackend(Backend):
    def __init__(
        self,
        model_path: str | os.PathLike | None = None,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_batch: int = 512,
        n_gpu_layers: int | None = None,
        lora_path: str | os.PathLike | None = None,
        lora_scale: float = 1.0,
        lora_roles: Collection[str] | None = None,
        max_roles: int = 6,
    ) -> None:
        super().__init__()
        silence_llama_logs()
        self.model_path = resolve_model_path(model_path)
        self.name = self.model_path.name
        params = llama_cpp.llama_model_default_params()
        gpu = llama_cpp.llama_supports_gpu_offload()
        params.n_gpu_layers = (-1 if gpu else 0) if n_gpu_layers is None else n_gpu_layers
        params.use_extra_bufts = extra_buffers_allowed()
        try:
            # verbose=True: with False, llama-cpp-python dup2()s /dev/null over fd 1 and 2 for the whole load, and
            # a UI drawing from another thread meanwhile loses its output (the served game's stream broke, #18).
            # llama.cpp's own log lines are off anyway (silence_llama_logs above).
            self.model = _internals.LlamaModel(path_model=str(self.model_path), params=params, verbose=True)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(
                f"could not load model {self.model_path}: the file is truncated, corrupt or of an "
                f"architecture this llama.cpp build does not know ({exc}); re-download it or pick another .gguf"
            ) from exc
        self.gpu_offload = bool(gpu and params.n_gpu_layers != 0)
        self.n_ctx = min(n_ctx, self.model.n_ctx_train()) if n_ctx else self.model.n_ctx_train()
        self.n_batch = n_batch
        self.n_threads = n_threads or default_threads()
        self.max_roles = max_roles
        self.vocab = llama_cpp.llama_model_get_vocab(self.model.model)
        self.add_bos = self.model.add_bos_token()
        self.lora_path = Path(lora_path) if lora_path else None
        self.lora_scale = lora_scale
        self._lora = self._load_lora(self.lora_path) if self.lora_path else None
        # Roles whose contexts get the adapter (None: all). The game gives the Toolformer adapter to the
        # narrator only, so intent ranking keeps the bare model its accuracy was measured on.
        self.lora_roles = frozenset(lora_roles) if lora_roles is not None else None
        self._roles: OrderedDict[str, CachedContext] = OrderedDict()
        self._roles_lock = threading.Lock()
        self._embed_lock = threading.Lock()
        self._embed_ctx: _internals.LlamaContext | None = None
        self._embed_cache: OrderedDict[str, list[float]] = OrderedDict()
        self._piece_cache: dict[int, bytes] = {}
        self.chat_format = self._chat_format()

    # --- loading ------------------------------------------------------------
    def _load_lora(self, path: Path):
        check_adapter(path, self.model_path)
        adapter = llama_cpp.llama_adapter_lora_init(self.model.model, str(path).encode("utf-8"))
        if adapter is None:
            raise ModelError(
                f"LoRA adapter {path} does not match model {self.model_path.name} (wrong base model, "
                "tensor shapes or not an adapter file); export it for this model or run with --no-lora"
            )
        return adapter

    def token_text(self, token: int) -> str:
        """The vocabulary's text of `token`, special tokens included ("" for none)."""
        if token is None or token < 0:
            return ""
        return llama_cpp.llama_vocab_get_text(self.vocab, token).decode("utf-8", errors="replace")

    def _chat_format(self) -> ChatFormat:
        """The model's own chat template from its metadata; ChatML or a transcript without one."""
        template = self.model.metadata().get("tokenizer.chat_template")
        chatml = all(len(self.tokenize(t)) == 1 for t in ("<|im_start|>", "<|im_end|>"))
        ends = [self.token_text(t) for t in (llama_cpp.llama_vocab_eot(self.vocab), self.model.token_eos())]
        return choose_format(template, bos_token=self.token_text(self.model.token_bos()),
                             eos_token=self.token_text(self.model.token_eos()), tokenizer_adds_bos=self.add_bos,
                             has_chatml_tokens=chatml, end_tokens=[e for e in ends if e], source=self.name)

    def context(self, role: str) -> CachedContext:
        """The role's own cached context; the least recently used role is evicted past `max_roles`."""
        with self._roles_lock:
            ctx = self._roles.get(role)
            if ctx is None:
                if len(self._roles) >= self.max_roles:
                    self._evict_one()
                lora = self._lora if self.lora_roles is None or role in self.lora_roles else None
                ctx = CachedContext(self.model, self.n_ctx, self.n_batch, self.n_threads, lora, self.lora_scale)
                self._roles[role] = ctx
            self._roles.move_to_end(role)
            return ctx

    def _evict_one(self) -> None:
        for name, ctx in self._roles.items():  # least recently used first; skip contexts in use
            if ctx.lock.acquire(blocking=False):
                try:
                    del self._roles[name]
                    ctx.close()
                finally:
                    ctx.lock.release()
                return

    # --- tokens ---------------------------------------------------------------
    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return self.model.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def _prompt_tokens(self, prompt: str) -> list[int]:
        return self.tokenize(prompt, add_bos=self.add_bos)

    def piece(self, token: int) -> bytes:
        cached = self._piece_cache.get(token)
        if cached is None:
            # _internals.LlamaModel.token_to_piece returns its whole padded buffer; size it ourselves
            size = 64
            buf = ctypes.create_string_buffer(size)
            n = llama_cpp.llama_token_to_piece(self.vocab, token, buf, size, 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self.vocab, token, buf, -n, 0, False)
            cached = self._piece_cache[token] = buf.raw[:n]
        return cached

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", errors="replace")

    def fit_prompt(self, tokens: list[int], reserve: int) -> tuple[list[int], bool]:
        """Apply the truncation policy so `tokens` plus `reserve` new ones fit."""
        budget = self.n_ctx - reserve
        if len(tokens) <= budget:
            return tokens, False
        head = min(self.n_ctx // 4, budget // 2)
        tail = budget - head
        log.warning("prompt of %d tokens truncated to %d (kept first %d and last %d)", len(tokens), budget, head, tail)
        return tokens[:head] + tokens[len(tokens) - tail :], True

    # --- generation -----------------------------------------------------------
    def _sampler(self, opts: GenerateOptions) -> _internals.LlamaSampler | None:
        grammar_text = opts.grammar
        if opts.json_schema is not None:
            import json

            from llama_cpp.llama_grammar import json_schema_to_gbnf

            grammar_text = json_schema_to_gbnf(json.dumps(opts.json_schema))
        greedy = opts.temperature <= 0
        if greedy and not grammar_text and not opts.banned_token_ids:
            return None  # plain argmax: the fastest path
        chain = _internals.LlamaSampler()
        if opts.banned_token_ids:
            chain.add_logit_bias(self.model.n_vocab(), {t: float("-inf") for t in opts.banned_token_ids})
        if grammar_text:
            try:
                chain.add_grammar(self.model, LlamaGrammar.from_string(grammar_text, verbose=False))
            except ValueError as exc:
                raise ValueError(f"invalid grammar: {exc}") from exc
        if greedy:
            chain.add_greedy()
        else:
            chain.add_top_k(40)
            chain.add_top_p(opts.top_p, 1)
            chain.add_temp(opts.temperature)
            chain.add_dist(opts.seed if opts.seed is not None else random.getrandbits(32))
        return chain

    def _pick(self, logits: np.ndarray, sampler, token_array, opts: GenerateOptions) -> int:
        if opts.trigger_top_k and opts.trigger_token_ids:
            top = np.argpartition(logits, -opts.trigger_top_k)[-opts.trigger_top_k :]
            if opts.trigger_min_p > 0 and any(t in top for t in opts.trigger_token_ids):
                shifted = np.exp(logits - logits.max())
                if sum(shifted[t] for t in opts.trigger_token_ids) < opts.trigger_min_p * shifted.sum():
                    top = ()  # in the top-k, but too unlikely: no call starts here
            for trigger in opts.trigger_token_ids:
                if trigger in top:
                    if sampler is not None:
                        llama_cpp.llama_sampler_accept(sampler.sampler, trigger)
                    return int(trigger)
        if sampler is None:
            return int(np.argmax(logits))
        token_array.copy_logits(logits)
        llama_cpp.llama_sampler_apply(sampler.sampler, llama_cpp.byref(token_array.candidates))
        token = int(token_array.candidates_data.id[token_array.candidates.selected])
        llama_cpp.llama_sampler_accept(sampler.sampler, token)
        return token

    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        opts = options or GenerateOptions()
        start = time.perf_counter()
        stats = self.last_stats = GenerationStats()
        ctx = self.context(opts.role)
        with ctx.lock:
            yield from self._generate(ctx, prompt, opts, stats, start)

    def _generate(self, ctx: CachedContext, prompt: str, opts: GenerateOptions, stats: GenerationStats,
                  start: float) -> Iterator[str]:
        reserve = min(opts.max_tokens, self.n_ctx // 4)
        tokens, stats.truncated_prompt = self.fit_prompt(self._prompt_tokens(prompt), reserve)
        stats.prompt_tokens = len(tokens)
        sampler = self._sampler(opts)
        needs_candidates = sampler or opts.trigger_top_k
        token_array = _internals.LlamaTokenDataArray(n_vocab=self.model.n_vocab()) if needs_candidates else None
        logits, stats.cached_tokens = ctx.eval_prompt(tokens)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = StopFilter(opts.stop)
        stats.finish_reason = "length"
        try:
            token = None
            for _ in range(opts.max_tokens):
                if token is not None:  # decode the previous token only when another one is wanted
                    if len(ctx.tokens) >= self.n_ctx:
                        break
                    logits = ctx.append(token)
                token = self._pick(logits, sampler, token_array, opts)
                if llama_cpp.llama_vocab_is_eog(self.vocab, token):
                    stats.finish_reason, stats.end_token = "eos", self.token_text(token)
                    break
                stats.completion_tokens += 1
                if stats.completion_tokens == 1:
                    stats.ttft_s = time.perf_counter() - start
                text = stops.feed(decoder.decode(self.piece(token)))
                if text:
                    yield text
                if stops.hit:
                    stats.finish_reason, stats.stop_string = "stop", stops.hit
                    break
            if not stops.hit:
                tail = stops.feed(decoder.decode(b"", final=True)) + stops.flush()
                if tail:
                    yield tail
        except GeneratorExit:
            stats.finish_reason = "cancelled"
            raise
        finally:
            stats.total_s = time.perf_counter() - start
            if sampler is not None:
                sampler.close()

    # --- scoring ----------------------------------------------------------------
    def _scoring_prefix(self, text: str, longest_continuation: int) -> list[int]:
        tokens = self._prompt_tokens(text)
        budget = self.n_ctx - longest_continuation - 1
        if budget < 1:
            raise ValueError(f"continuation of {longest_continuation} tokens does not fit a {self.n_ctx}-token context")
        return tokens[-budget:] if len(tokens) > budget else tokens

    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        if not options:
            return []
        conts = [self.tokenize(o) for o in options]
        ctx = self.context(role)
        with ctx.lock:
            per_token = ctx.continuation_logprobs(self._scoring_prefix(prefix, max(map(len, conts))), conts)
        return [float(sum(s)) if s else float("-inf") for s in per_token]

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        cont = self.tokenize(continuation)
        ctx = self.context(role)
        with ctx.lock:
            return ctx.continuation_logprobs(self._scoring_prefix(context, len(cont)), [cont])[0]

    # --- embeddings ---------------------------------------------------------------
    def embed(self, text: str) -> list[float]:
        with self._embed_lock:
            return self._embed_locked(text)

    def _embed_locked(self, text: str) -> list[float]:
        cached = self._embed_cache.get(text)
        if cached is not None:
            self._embed_cache.move_to_end(text)
            return cached
        if self._embed_ctx is None:
            params = llama_cpp.llama_context_default_params()
            params.n_ctx = params.n_batch = params.n_ubatch = 512
            params.n_threads = params.n_threads_batch = self.n_threads
            params.embeddings = True
            params.pooling_type = llama_cpp.LLAMA_POOLING_TYPE_MEAN
            self._embed_ctx = _internals.LlamaContext(model=self.model, params=params, verbose=False)
            self._embed_batch = _internals.LlamaBatch(n_tokens=512, embd=0, n_seq_max=1, verbose=False)
        tokens = self.tokenize(text, add_bos=self.add_bos)[:512] or [self.model.token_bos()]
        self._embed_ctx.kv_cache_clear()
        self._embed_batch.set_batch(tokens, n_past=0, logits_all=True)
        self._embed_ctx.decode(self._embed_batch)
        ptr = llama_cpp.llama_get_embeddings_seq(self._embed_ctx.ctx, 0)
        vec = np.ctypeslib.as_array(ptr, shape=(self.model.n_embd(),)).astype(np.float64)
        norm = float(np.linalg.norm(vec)) or 1.0
        result = (vec / norm).tolist()
        self._embed_cache[text] = result
        if len(self._embed_cache) > 4096:
            self._embed_cache.popitem(last=False)
        return result

    # --- lifecycle ------------------------------------------------------------------
    def info(self) -> dict:
        meta = self.model.metadata()
        return {
            "path": str(self.model_path),
            "name": meta.get("general.name", self.name),
            "architecture": meta.get("general.architecture", "?"),
            "parameters": self.model.n_params(),
            "size_bytes": self.model.size(),
            "context_train": self.model.n_ctx_train(),
            "context": self.n_ctx,
            "vocab": self.model.n_vocab(),
            "embedding_dim": self.model.n_embd(),
            "gpu_offload": self.gpu_offload,
            "threads": self.n_threads,
            "lora": str(self.lora_path) if self.lora_path else None,
            "lora_roles": (sorted(self.lora_roles) if self.lora_roles is not None
                           else "all" if self.lora_path else None),
            "chat_template": self.template_kind,  # "jinja" (its own), "chatml" or "completion" (a base model)
            "chat_stop": list(self.chat_stop),
        }

    def close(self) -> None:
        for ctx in self._roles.values():
            ctx.close()
        self._roles.clear()
        if self._embed_ctx is not None:
            self._embed_ctx.close()
            self._embed_ctx = None
        if self._lora is not None:
            llama_cpp.llama_adapter_lora_free(self._lora)
            self._lora = None
