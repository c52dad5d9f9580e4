"""OpenAICompatBackend: any OpenAI-compatible `/v1` server.

Tested against llama-cpp-python's server (`python -m llama_cpp.server`); the
same calls work on llama.cpp's own server, vLLM and Ollama where those servers
implement them:

  * generation: `/v1/completions` for text prompts and `/v1/chat/completions`
    for `chat_stream`/`chat` (the server applies its model's own template),
    streamed; stop strings are applied here, client-side, so the caller learns
    which one ended the text (the stream is closed at once, which cancels the
    generation on the server). `chat_prompt` cannot see the server's template
    and renders ChatML text for `/v1/completions` callers;
  * prefill (`chat_stream(..., prefill="You")`): sent as a trailing assistant
    message to servers that continue it (llama.cpp's server and Ollama; vLLM
    with `continue_final_message`), told apart by their `/props`,
    `/api/version`, `/version` endpoints; dropped with a logged warning on
    the rest (llama-cpp-python's server closes that message and starts a new
    turn), where `supports_prefill` is False. `chat_prefill=` overrides it;
  * grammar: llama.cpp servers take GBNF in `grammar`; vLLM takes
    `guided_json` / `guided_grammar` (both are sent as extra fields);
  * `rank` / `logprobs`: each option is generated under a grammar (llama.cpp)
    or regex (vLLM) that admits only that text, with `logprobs=1`: the server
    reports each forced token's raw log-probability, an exact score. One
    request per option; the server's prefix cache makes the shared prefix
    cheap. A server that cannot gets a ModelError saying so, and the game
    falls back to its parser;
  * embeddings: `/v1/embeddings`; tokenize: `/extras/tokenize`
    (llama-cpp-python), `/tokenize` (llama.cpp, vLLM).

Timeouts, and a server that stops answering: connecting gives up after
`connect_timeout_s` (3 s), reading after `timeout_s` (`--timeout`, 60 s), and
nothing is retried (a retry triples the wait on a dead server). Before its
first request the backend checks the server once with a short ping (GET
/v1/models, at most PING_TIMEOUT_S), so a server that accepts connections and
never replies is found in seconds, not after a full read timeout. After a
connection failure or a timeout the backend is `unavailable` (a reason string):
every call fails at once with a ModelError, without touching the network,
while a background thread pings the server every RECHECK_S seconds and clears
the state (logging that the server is back) when it answers. A game skips
the model while it is unavailable; each failure is raised, and the caller
logs it.

Deliberately left out: Toolformer's top-k trigger (needs per-step logits; the
model's own "[" still starts calls), prefix caches, which servers keep, and
reading a server's template to render it here (only llama.cpp's server shows it).
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from typing import Iterator, Sequence

import httpx
import openai

from .backend import (
    Backend,
    GenerateOptions,
    GenerationStats,
    ModelError,
    merge_options,
)
from .stops import StopFilter

log = logging.getLogger(__name__)

# Servers whose chat endpoint continues a trailing assistant message instead of closing it and
# opening a new turn (llama.cpp's server and Ollama by default, vLLM when asked). llama-cpp-python's
# server closes it, so a prefill is dropped there.
PREFILL_SERVERS = ("llama.cpp", "ollama", "vllm")
PING_TIMEOUT_S = 5.0  # the liveness check before the first request and in the background
RECHECK_S = 5.0  # how often an unavailable server is pinged again
SERVER_CONCURRENCY = 8  # requests worth sending at once: a server batches them (llama-server --parallel)


class OpenAICompatBackend(Backend):
    def __init__(self, base_url: str, model: str | None = None, api_key: str = "not-needed",
                 timeout_s: float = 60.0, max_retries: int = 0, n_ctx: int = 4096,
                 chat_prefill: bool | None = None, connect_timeout_s: float = 3.0) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.timeout_s = timeout_s
        self.connect_timeout_s = min(connect_timeout_s, timeout_s)
        self.client = openai.OpenAI(base_url=self.base_url, api_key=api_key, max_retries=max_retries,
                                    timeout=httpx.Timeout(timeout_s, connect=self.connect_timeout_s))
        self.unavailable: str | None = None  # why the server is not used now; None when it is
        self._alive_checked = False
        self._rechecking = threading.Event()
        self._closed = threading.Event()
        self.n_ctx = n_ctx
        self._model = model
        self.name = model or self.base_url
        self._embed_cache: dict[str, list[float]] = {}
        self._server_kind: str | None = None
        self._chat_prefill = chat_prefill  # None: decided by server_kind on first use
        self._warned_prefill = False

    # --- availability ---------------------------------------------------------------
    def _ping(self) -> str | None:
        """None when the server answers anything at all (any HTTP status), else why not."""
        timeout = min(self.timeout_s, PING_TIMEOUT_S)
        try:
            with urllib.request.urlopen(self.base_url + "/models", timeout=timeout):
                return None
        except urllib.error.HTTPError:
            return None  # it answered
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, OSError)) and "timed out" in str(reason):
                return f"server {self.base_url} accepted the connection but did not answer within {timeout:g}s"
            return f"cannot reach server {self.base_url} ({reason})"

    def _guard(self) -> None:
        """Fail at once while the server is unavailable; check it once before the first request."""
        if self.unavailable:
            raise ModelError(f"model unavailable: {self.unavailable}")
        if not self._alive_checked:
            problem = self._ping()
            if problem:
                hint = ("is it stuck or overloaded?" if "did not answer" in problem else
                        "is it running? e.g. `python -m llama_cpp.server --model MODEL.gguf --port 8000`")
                raise self._mark_unavailable(ModelError(f"{problem}; {hint}"))
            self._alive_checked = True

    def _mark_unavailable(self, error: ModelError) -> ModelError:
        self.unavailable = str(error)
        if not self._rechecking.is_set():
            self._rechecking.set()
            threading.Thread(target=self._recheck, name="server-recheck", daemon=True).start()
        return ModelError(f"{error}; going on without the model, checking the server again every {RECHECK_S:g}s")

    def _recheck(self) -> None:
        while not self._closed.wait(RECHECK_S):
            if self._ping() is None:
                log.warning("server %s answers again; the model is back", self.base_url)
                self.unavailable = None
                break
        self._rechecking.clear()

    # --- errors -----------------------------------------------------------------
    def _fail(self, exc: Exception) -> ModelError:
        if isinstance(exc, openai.APITimeoutError):
            return self._mark_unavailable(ModelError(
                f"server {self.base_url} did not answer within {self.timeout_s:g}s; "
                "is it overloaded? raise --timeout or use a smaller model"))
        if isinstance(exc, openai.APIConnectionError):
            return self._mark_unavailable(ModelError(
                f"cannot reach server {self.base_url}; is it running? e.g. "
                "`python -m llama_cpp.server --model MODEL.gguf --port 8000`"))
        if isinstance(exc, openai.APIStatusError):
            return ModelError(f"server {self.base_url} refused the request ({exc.status_code}): "
                              f"{str(exc.message)[:200]}")
        return ModelError(f"server {self.base_url}: {exc}")

    @property
    def model(self) -> str:
        if self._model is None:
            self._guard()
            try:
                models = self.client.models.list().data
            except openai.OpenAIError as exc:
                raise self._fail(exc) from exc
            if not models:
                raise ModelError(f"server {self.base_url} lists no models; pass --server-model")
            self._model = models[0].id
            self.name = self._model
        return self._model

    # --- generation -----------------------------------------------------------
    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        return self._generate(self.client.completions.create, {"prompt": prompt}, options or GenerateOptions())

    # --- capabilities -------------------------------------------------------------
    @property
    def concurrency(self) -> int:
        return SERVER_CONCURRENCY

    def info(self) -> dict:
        return {"server": self.base_url, "model": self.name, "chat_template": self.template_kind}

    # --- chat -----------------------------------------------------------------
    @property
    def template_kind(self) -> str:
        return "server"  # chat_stream: the server applies its model's template; chat_prompt text is ChatML

    @property
    def server_kind(self) -> str:
        """Which server this is, as far as a prefill needs to know: "llama.cpp", "ollama", "vllm" or "other"."""
        if self._server_kind is None:
            self._server_kind = self._detect_server()
        return self._server_kind

    def _detect_server(self) -> str:
        root = self.base_url[: -len("/v1")]
        for kind, path, key in (("llama.cpp", "/props", "default_generation_settings"),
                                ("ollama", "/api/version", "version"), ("vllm", "/version", "version")):
            try:
                with urllib.request.urlopen(root + path, timeout=min(self.timeout_s, 5.0)) as response:
                    answer = json.loads(response.read())
            except (OSError, ValueError):
                continue  # not this server's endpoint (404, not JSON, ...): try the next
            if isinstance(answer, dict) and key in answer:
                return kind
        return "other"

    @property
    def supports_prefill(self) -> bool:
        if self._chat_prefill is None:
            self._chat_prefill = self.server_kind in PREFILL_SERVERS
            log.info("server %s (%s) %s a trailing assistant message", self.base_url, self.server_kind,
                     "continues" if self._chat_prefill else "cannot continue")
        return self._chat_prefill

    def chat_stream(self, messages, options: GenerateOptions | None = None, *, prefill: str = "",
                    **kw) -> Iterator[str]:
        """Chat through `/v1/chat/completions`, so the server applies its own model's chat template.

        `prefill` goes as a trailing assistant message on servers that continue one (llama.cpp,
        Ollama; vLLM with `continue_final_message`); elsewhere it is dropped (logged), and the
        reply is a whole one: check `supports_prefill`.
        """
        self._guard()
        msgs, extra = [dict(m) for m in messages], {}
        if prefill and self.supports_prefill:
            msgs.append({"role": "assistant", "content": prefill})
            if self.server_kind == "vllm":
                extra = {"continue_final_message": True, "add_generation_prompt": False}
        elif prefill:
            (log.warning if not self._warned_prefill else log.debug)(
                "server %s cannot continue an assistant message; prefill %r dropped, the reply is a whole one",
                self.base_url, prefill)
            self._warned_prefill = True
        return self._generate(self.client.chat.completions.create, {"messages": msgs}, merge_options(options, kw),
                              extra)

    # --- generation (shared) -------------------------------------------------------
    def _generate(self, create, payload: dict, opts: GenerateOptions, extra_body: dict | None = None) -> Iterator[str]:
        self._guard()
        start = time.perf_counter()
        stats = self.last_stats = GenerationStats()
        extra: dict = dict(extra_body or {})
        if opts.grammar:
            extra.update(grammar=opts.grammar, guided_grammar=opts.grammar)
        if opts.json_schema is not None:
            from llama_cpp.llama_grammar import json_schema_to_gbnf

            extra.update(grammar=json_schema_to_gbnf(json.dumps(opts.json_schema)), guided_json=opts.json_schema)
        kwargs = dict(model=self.model, max_tokens=opts.max_tokens, temperature=max(opts.temperature, 0.0),
                      top_p=opts.top_p, stream=True, extra_body=extra, **payload)
        if opts.seed is not None:
            kwargs["seed"] = opts.seed
        if opts.banned_token_ids:
            kwargs["logit_bias"] = {str(t): -100 for t in opts.banned_token_ids}
        stops = StopFilter(opts.stop)
        stats.finish_reason = "length"
        try:
            response = create(**kwargs)
        except openai.OpenAIError as exc:
            raise self._fail(exc) from exc
        try:
            for chunk in response:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                piece = choice.delta.content if hasattr(choice, "delta") else choice.text
                if piece:
                    stats.completion_tokens += 1
                    if stats.completion_tokens == 1:
                        stats.ttft_s = time.perf_counter() - start
                    text = stops.feed(piece)
                    if text:
                        yield text
                    if stops.hit:
                        stats.finish_reason, stats.stop_string = "stop", stops.hit
                        break
                if choice.finish_reason:
                    stats.finish_reason = "eos" if choice.finish_reason == "stop" else choice.finish_reason
            if not stops.hit:
                tail = stops.flush()
                if tail:
                    yield tail
        except openai.OpenAIError as exc:
            raise self._fail(exc) from exc
        except (OSError, httpx.TransportError) as exc:  # a stall mid-stream (read timeout) or a dropped connection
            raise self._mark_unavailable(ModelError(f"server {self.base_url} broke off the stream: "
                                                    f"{type(exc).__name__} {exc}")) from exc
        finally:
            response.close()
            stats.total_s = time.perf_counter() - start

    # --- scoring ----------------------------------------------------------------
    def _forced_logprobs(self, prefix: str, continuation: str) -> list[float]:
        """Per-token log-probs of `continuation`, generated under a grammar that admits only its tokens.

        The grammar names token ids (`root ::= <[685]> <[4081]>`), so the
        tokenization is the canonical one, as in the local backend; servers
        report each generated token's raw log-probability, before the grammar
        masks the distribution, so this is an exact teacher-forced score.
        (Echoed prompt log-probs would need one request for all options, but
        llama-cpp-python's server shifts them by one position.) vLLM gets a
        regex of the text instead, which it tokenizes its own way.
        """
        if not continuation:
            return []
        self._guard()
        ids = self.tokenize(continuation)
        extra = {"grammar": "root ::= " + " ".join(f"<[{i}]>" for i in ids), "guided_regex": re.escape(continuation)}
        try:
            result = self.client.completions.create(
                model=self.model, prompt=prefix, max_tokens=len(ids), temperature=0.0, logprobs=1, extra_body=extra)
        except openai.OpenAIError as exc:
            raise self._fail(exc) from exc
        choice = result.choices[0]
        pairs = _token_logprobs(choice.logprobs)
        if not pairs:
            raise ModelError(f"server {self.base_url} returns no log-probabilities; rank() needs them")
        if not choice.text.startswith(continuation):
            raise ModelError(f"server {self.base_url} ignored the grammar (wrote {choice.text[:40]!r}); "
                             "rank() needs a server with grammar or guided decoding")
        scores, text = [], ""
        for token, value in pairs:
            if len(text) >= len(continuation):
                break
            text += token
            scores.append(float(value))
        return scores

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        return self._forced_logprobs(context, continuation)

    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        return [float(sum(self._forced_logprobs(prefix, option))) if option else float("-inf") for option in options]

    # --- text utilities -----------------------------------------------------------
    def embed(self, text: str) -> list[float]:
        if text in self._embed_cache:
            return self._embed_cache[text]
        self._guard()
        try:
            data = self.client.embeddings.create(model=self.model, input=text).data
        except openai.OpenAIError as exc:
            raise self._fail(exc) from exc
        self._embed_cache[text] = vec = list(data[0].embedding)
        return vec

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        self._guard()
        root = self.base_url[: -len("/v1")]
        attempts = ((f"{root}/extras/tokenize", {"input": text}, "tokens"),
                    (f"{root}/tokenize", {"content": text, "prompt": text, "model": self._model}, "tokens"))
        for url, body, key in attempts:
            request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    answer = json.loads(response.read())
            except urllib.error.HTTPError:
                continue  # not this server's endpoint; try the next
            except (urllib.error.URLError, OSError) as exc:
                raise self._mark_unavailable(ModelError(f"cannot reach server {self.base_url} to tokenize: {exc}")) \
                    from exc
            if isinstance(answer, dict) and key in answer:
                return list(answer[key])
        raise ModelError(f"server {self.base_url} has no tokenize endpoint (/extras/tokenize or /tokenize)")

    def close(self) -> None:
        self._closed.set()
        self.client.close()


def _token_logprobs(logprobs) -> list[tuple[str, float]]:
    """(token, log-prob) pairs from a completion's `logprobs`, in either shape servers send: the legacy
    completions one (`tokens` + `token_logprobs`: llama-cpp-python's server, vLLM) or the chat one
    (`content: [{token, logprob}]`: llama.cpp's own server on /v1/completions too)."""
    if logprobs is None:
        return []
    if logprobs.tokens and logprobs.token_logprobs:
        return [(t, float(v)) for t, v in zip(logprobs.tokens, logprobs.token_logprobs) if v is not None]
    content = getattr(logprobs, "content", None) or (logprobs.model_extra or {}).get("content") or []
    return [(item["token"], float(item["logprob"])) for item in content
            if isinstance(item, dict) and "token" in item and item.get("logprob") is not None]
