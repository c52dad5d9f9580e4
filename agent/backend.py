"""The one model protocol everything in the project talks to.

A `Backend` turns text into text (streamed), scores text (`rank`, `logprobs`),
embeds text and counts tokens. The game's narrator and intent ranker, the
villagers and the Toolformer runner all use this interface and nothing else,
so a llama.cpp model in-process, a remote OpenAI-compatible server and the
scripted test double are interchangeable.

Roles: every call names a `role` ("narrator", "intent", "villager", ...).
Backends that keep a prompt cache keep one per role, so roles never evict
each other's prefix. Backends without a cache ignore it. Calls from several
threads are safe; calls for the same role are serialised.

Chat: `chat_prompt(messages, prefill=...)` renders prompt text in the
model's own format (`chat_format`, see agent/chat_format.py), `chat_stop` is
the end-of-turn string(s) of that text, `template_kind` says which format
("jinja", "chatml", "completion"; "server" when a server applies its own).

Capabilities are asked of the backend, never guessed from its class:
`concurrency` (requests worth sending at once), `has_embeddings`,
`has_logprobs`, `supports_prefill`, `unavailable` (why it cannot be used
now), and what it runs (`model_path`, `lora_path`, `lora_roles`, `info()`).

`ForwardingBackend(inner)` forwards every method and capability to another
backend; a wrapper (the TUI's lazy loader, the villagers' meter) subclasses it
and overrides only what it changes.

Deliberately left out: sampling knobs beyond temperature / top_p / seed, and
any notion of chat history management (callers build their prompts).
"""
from __future__ import annotations

import abc
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .chat_format import ChatFormat, ChatMLFormat, Message


class ModelError(RuntimeError):
    """A model could not be loaded or did not answer; the message says what to do."""


@dataclass
class GenerationStats:
    """What the last generation cost; filled in by the backend as it streams."""

    prompt_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens reused from the role's cache
    completion_tokens: int = 0
    ttft_s: float = 0.0  # time to first token
    total_s: float = 0.0
    truncated_prompt: bool = False
    finish_reason: str = ""  # "stop" (a stop string), "eos", "length" or "cancelled"
    stop_string: str = ""  # which stop string ended it, when finish_reason == "stop"
    end_token: str = ""  # the text of the model's end token, when finish_reason == "eos" (if the backend knows)

    @property
    def tokens_per_s(self) -> float:
        decode_s = self.total_s - self.ttft_s
        if self.completion_tokens <= 1 or decode_s <= 0:
            return 0.0
        return (self.completion_tokens - 1) / decode_s


@dataclass
class GenerateOptions:
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int | None = None
    stop: Sequence[str] = ()
    grammar: str | None = None  # GBNF text
    json_schema: dict | None = None  # converted to GBNF by llama-cpp's converter
    role: str = "default"
    # token ids whose probability is forced to zero (e.g. " [" = tools disabled)
    banned_token_ids: Sequence[int] = field(default_factory=tuple)
    # Toolformer's trigger: emit one of these tokens whenever it is among the
    # top-k candidates (0 = off). Backends without logits access ignore it.
    trigger_token_ids: Sequence[int] = field(default_factory=tuple)
    trigger_top_k: int = 0
    # ... and only when their probability together is at least this (0 = any probability in the top-k)
    trigger_min_p: float = 0.0


class Backend(abc.ABC):
    """Abstract model backend. Subclasses implement the abstract methods."""

    name: str = "backend"
    n_ctx: int = 2048
    # why the backend cannot be used now (a server that stopped answering); None when it can
    unavailable: str | None = None
    # what runs: the model file, the LoRA adapter and the roles it applies to (None: all), where known
    model_path: Path | None = None
    lora_path: Path | None = None
    lora_roles: frozenset[str] | None = None

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def last_stats(self) -> GenerationStats:
        """Stats of the last generation started by the calling thread (a UI worker, a villager...)."""
        stats = getattr(self._local, "stats", None)
        if stats is None:
            stats = self._local.stats = GenerationStats()
        return stats

    @last_stats.setter
    def last_stats(self, stats: GenerationStats) -> None:
        self._local.stats = stats

    # --- generation -------------------------------------------------------
    @abc.abstractmethod
    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        """Yield text pieces of a completion of `prompt` (raw, no chat template)."""

    def complete(self, prompt: str, options: GenerateOptions | None = None, **kw) -> str:
        """The whole completion as one string. Keyword args override `options`."""
        return "".join(self.stream(prompt, merge_options(options, kw)))

    # --- chat -------------------------------------------------------------------
    # The format chat_prompt renders (see agent/chat_format.py). ChatML here; a local model picks
    # its own from the GGUF's metadata; a wrapper around another backend forwards the inner one's.
    chat_format: ChatFormat = ChatMLFormat()

    @property
    def template_kind(self) -> str:
        """How chat prompts are written: "jinja" (the model's own template), "chatml" or "completion"."""
        return self.chat_format.kind

    @property
    def is_chat(self) -> bool:
        """False for a base model prompted with a plain transcript."""
        return self.template_kind != "completion"

    @property
    def chat_stop(self) -> tuple[str, ...]:
        """The strings that end an assistant turn in `chat_prompt`'s text ("<|im_end|>", "<|eot_id|>", ...)."""
        return tuple(self.chat_format.stop)

    @property
    def supports_prefill(self) -> bool:
        """Whether `chat_stream(..., prefill=...)` really continues the prefill (a remote server may not)."""
        return True

    def chat_prompt(self, messages: Sequence[Message], add_generation_prompt: bool = True, *,
                    prefill: str = "") -> str:
        """Render chat messages as prompt text in the model's format; `prefill` starts the reply."""
        return self.chat_format.render(messages, add_generation_prompt, prefill)

    def chat_stream(self, messages: Sequence[Message], options: GenerateOptions | None = None, *,
                    prefill: str = "", **kw) -> Iterator[str]:
        """Stream the assistant's reply (after `prefill`, which is not repeated); stops at the end of its turn."""
        opts = merge_options(options, kw)
        opts.stop = tuple(opts.stop) + tuple(s for s in self.chat_stop if s not in opts.stop)
        return self.stream(self.chat_prompt(messages, prefill=prefill), opts)

    def chat(self, messages: Sequence[Message], options: GenerateOptions | None = None, *,
             prefill: str = "", **kw) -> str:
        return "".join(self.chat_stream(messages, options, prefill=prefill, **kw))

    # --- capabilities -------------------------------------------------------
    @property
    def concurrency(self) -> int:
        """How many requests are worth sending at once (a server batches them; an in-process model does not)."""
        return 1

    @property
    def has_embeddings(self) -> bool:
        """Whether `embed` gives vectors; a backend without them raises ModelError from `embed`."""
        return True

    @property
    def has_logprobs(self) -> bool:
        """Whether `rank` and `logprobs` score text; a backend without them raises ModelError there."""
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the backend can answer (one that loads in the background); True when it has."""
        return True

    def info(self) -> dict:
        """What `adventure model info` shows: the model and how it is prompted."""
        return {"model": self.name, "path": str(self.model_path) if self.model_path else None,
                "chat_template": self.template_kind}

    # --- scoring ----------------------------------------------------------
    @abc.abstractmethod
    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        """Summed log-probability of each option as a continuation of `prefix`.

        The prefix is evaluated once; options branch from it.
        """

    @abc.abstractmethod
    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        """Per-token log-probabilities of `continuation` given `context`."""

    # --- text utilities ---------------------------------------------------
    @abc.abstractmethod
    def embed(self, text: str) -> list[float]:
        """A fixed-size embedding vector of `text`."""

    @abc.abstractmethod
    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        """Token ids of `text`."""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def token_id(self, piece: str) -> int | None:
        """The id of `piece` if it is exactly one token, else None."""
        ids = self.tokenize(piece)
        return ids[0] if len(ids) == 1 else None

    def close(self) -> None:
        """Release resources. Safe to call twice."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class ForwardingBackend(Backend):
    """A backend that hands every call and capability to `self.inner`; subclasses override what they change.

    Derived calls stay derived (`complete` streams through `self.stream`, `chat`
    through `self.chat_stream`), so a subclass that overrides `stream` and
    `chat_stream` sees every generation. `inner` is a property so that a
    subclass can make it wait for, or refuse, a backend that is not there yet."""

    def __init__(self, inner: Backend) -> None:
        super().__init__()
        self._wrapped = inner

    @property
    def inner(self) -> Backend:
        return self._wrapped

    # --- identity and state --------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def n_ctx(self) -> int:
        return self.inner.n_ctx

    @property
    def last_stats(self) -> GenerationStats:
        return self.inner.last_stats

    @last_stats.setter
    def last_stats(self, stats: GenerationStats) -> None:
        self.inner.last_stats = stats

    @property
    def unavailable(self) -> str | None:
        return self.inner.unavailable

    @property
    def model_path(self) -> Path | None:
        return self.inner.model_path

    @property
    def lora_path(self) -> Path | None:
        return self.inner.lora_path

    @property
    def lora_roles(self) -> frozenset[str] | None:
        return self.inner.lora_roles

    # --- capabilities ---------------------------------------------------------------------
    @property
    def concurrency(self) -> int:
        return self.inner.concurrency

    @property
    def has_embeddings(self) -> bool:
        return self.inner.has_embeddings

    @property
    def has_logprobs(self) -> bool:
        return self.inner.has_logprobs

    def wait(self, timeout: float | None = None) -> bool:
        return self.inner.wait(timeout)

    def info(self) -> dict:
        return self.inner.info()

    # --- generation and chat --------------------------------------------------------------
    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        return self.inner.stream(prompt, options)

    def chat_stream(self, messages: Sequence[Message], options: GenerateOptions | None = None, *,
                    prefill: str = "", **kw) -> Iterator[str]:
        return self.inner.chat_stream(messages, options, prefill=prefill, **kw)

    @property
    def chat_format(self) -> ChatFormat:  # the inner model's own format, never ChatML by default
        return self.inner.chat_format

    @property
    def template_kind(self) -> str:
        return self.inner.template_kind

    @property
    def chat_stop(self) -> tuple[str, ...]:
        return self.inner.chat_stop

    @property
    def supports_prefill(self) -> bool:
        return self.inner.supports_prefill

    def chat_prompt(self, messages: Sequence[Message], add_generation_prompt: bool = True, *,
                    prefill: str = "") -> str:
        return self.inner.chat_prompt(messages, add_generation_prompt, prefill=prefill)

    # --- scoring and text utilities -------------------------------------------------------
    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        return self.inner.rank(prefix, options, role=role)

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        return self.inner.logprobs(context, continuation, role=role)

    def embed(self, text: str) -> list[float]:
        return self.inner.embed(text)

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return self.inner.tokenize(text, add_bos)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def token_id(self, piece: str) -> int | None:
        return self.inner.token_id(piece)

    def close(self) -> None:
        self.inner.close()


def merge_options(options: GenerateOptions | None, overrides: dict) -> GenerateOptions:
    opts = GenerateOptions() if options is None else GenerateOptions(**vars(options))
    for key, value in overrides.items():
        if not hasattr(opts, key):
            raise TypeError(f"unknown generation option {key!r}")
        setattr(opts, key, value)
    return opts


def normalise_scores(logps: Sequence[float]) -> list[float]:
    """Softmax over option log-likelihoods: a probability for each option."""
    import math

    if not logps:
        return []
    top = max(logps)
    exps = [math.exp(v - top) for v in logps]
    total = sum(exps)
    return [e / total for e in exps]
