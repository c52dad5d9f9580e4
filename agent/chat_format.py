"""How a model wants a conversation written: its own template, ChatML, or a plain transcript.

A `ChatFormat` renders chat messages to prompt TEXT (so a role's prefix cache
still sees the same tokens turn after turn) and knows the strings that end an
assistant turn in that text (`stop`). Three kinds:

  * "jinja": the GGUF's own `tokenizer.chat_template`, rendered by
    llama-cpp-python's `Jinja2ChatFormatter` with the model's real BOS/EOS
    token strings. When the tokenizer adds BOS itself, a leading BOS string is
    cut from the text so the prompt does not start with two. A template that
    rejects a "system" message (Gemma's) gets the system text folded into the
    first user message; this is found by rendering a probe, not by a family
    table. The end-of-turn string is read off the template too: an assistant
    turn holding a sentinel is rendered, and what the template writes after
    the sentinel ("<|eot_id|>", "<end_of_turn>", "</s>"...) is the stop.
  * "chatml": the file has no template but its vocabulary has ChatML's
    `<|im_start|>`/`<|im_end|>` tokens, so it was tuned on ChatML.
  * "completion": no template and no ChatML tokens, so a base model: the
    messages become a transcript ("System text\n\nUser: ...\nAssistant: ...")
    and the model continues it; earlier turns in the messages serve as the
    few-shot examples. It stops where it would start the next "User:" line.

`prefill` starts the assistant's reply for it: the text is rendered right
after the generation prompt, and the model continues from there.

Deliberately left out: tool/function-call rendering, multimodal content
parts, and guessing a template from the model's name.
"""
from __future__ import annotations

import abc
import logging
from typing import Sequence

log = logging.getLogger(__name__)

Message = dict  # {"role": "system"|"user"|"assistant", "content": str}

KINDS = ("jinja", "chatml", "completion")
_SENTINEL = "Zq7Sentinel"


class ChatFormat(abc.ABC):
    kind: str = ""
    stop: tuple[str, ...] = ()

    @abc.abstractmethod
    def render(self, messages: Sequence[Message], add_generation_prompt: bool = True, prefill: str = "") -> str:
        """The prompt text for `messages`, ending in the assistant's turn (plus `prefill`) when asked."""

    def describe(self) -> str:
        return self.kind


class ChatMLFormat(ChatFormat):
    kind = "chatml"
    stop = ("<|im_end|>",)

    def render(self, messages, add_generation_prompt=True, prefill=""):
        parts = [f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages]
        if add_generation_prompt:
            parts.append("<|im_start|>assistant\n" + prefill)
        return "".join(parts)


class CompletionFormat(ChatFormat):
    """A transcript for base models: system text first, then "User:"/"Assistant:" lines."""

    kind = "completion"
    stop = ("\nUser:", "\nAssistant:")
    labels = {"user": "User", "assistant": "Assistant"}

    def render(self, messages, add_generation_prompt=True, prefill=""):
        system = "\n\n".join(m["content"].strip() for m in messages if m["role"] == "system")
        lines = [f"{self.labels.get(m['role'], m['role'].title())}: {m['content'].strip()}"
                 for m in messages if m["role"] != "system"]
        text = (system + "\n\n" if system else "") + "".join(line + "\n" for line in lines)
        if add_generation_prompt:
            text += "Assistant:" + (" " + prefill if prefill else "")
        return text


class JinjaFormat(ChatFormat):
    """The GGUF's own chat template, rendered to text."""

    kind = "jinja"

    def __init__(self, template: str, *, bos_token: str = "", eos_token: str = "", tokenizer_adds_bos: bool = False,
                 fallback_stop: Sequence[str] = ()) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.template = template
        self.bos_token = bos_token
        self.strip_bos = bool(tokenizer_adds_bos and bos_token)
        self._with_prompt = Jinja2ChatFormatter(template=template, eos_token=eos_token, bos_token=bos_token,
                                                add_generation_prompt=True)
        self._without_prompt = Jinja2ChatFormatter(template=template, eos_token=eos_token, bos_token=bos_token,
                                                   add_generation_prompt=False)
        self.fold_system = self._rejects_system()
        self.stop = self._end_of_turn(fallback_stop)

    # --- probes ---------------------------------------------------------------
    def _rejects_system(self) -> bool:
        probe = [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]
        try:
            self._raw(probe, True)
            return False
        except Exception as exc:  # a template says "no" by raising; any error counts
            reason = f"{type(exc).__name__}: {exc}"
        self._raw(probe[1:], True)  # a template that cannot render one user message is unusable: raise
        log.info("chat template rejects a system message (%s); system text goes into the first user message", reason)
        return True

    def _end_of_turn(self, fallback: Sequence[str]) -> tuple[str, ...]:
        """What the template writes after an assistant's words: the end-of-turn stop string."""
        turn = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": _SENTINEL}]
        tail = self._raw(turn, False).split(_SENTINEL, 1)[-1].strip()
        if not tail:  # the template writes nothing after an assistant turn: look before the next user turn
            follow = turn + [{"role": "user", "content": "Again"}]
            tail = self._raw(follow, False).split(_SENTINEL, 1)[-1].split("Again", 1)[0].strip()
        if tail:
            return (tail.splitlines()[0].strip(),)
        log.warning("chat template writes nothing after an assistant turn; stopping on the model's end tokens %s",
                    list(fallback))
        return tuple(s for s in fallback if s)

    # --- rendering --------------------------------------------------------------
    def _raw(self, messages: Sequence[Message], add_generation_prompt: bool) -> str:
        formatter = self._with_prompt if add_generation_prompt else self._without_prompt
        return formatter(messages=[dict(m) for m in messages]).prompt

    def _folded(self, messages: Sequence[Message]) -> list[Message]:
        system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
        rest = [dict(m) for m in messages if m["role"] != "system"]
        if not system:
            return rest
        for m in rest:
            if m["role"] == "user":
                m["content"] = f"{system}\n\n{m['content']}"
                return rest
        return [{"role": "user", "content": system}] + rest

    def render(self, messages, add_generation_prompt=True, prefill=""):
        msgs = self._folded(messages) if self.fold_system else [dict(m) for m in messages]
        try:
            text = self._raw(msgs, add_generation_prompt)
        except Exception as exc:
            merged = _merge_same_role(msgs)
            if len(merged) == len(msgs):
                raise ValueError(f"the model's chat template refused these messages: {exc}") from exc
            log.info("chat template refused consecutive messages of one role (%s); merged them", exc)
            text = self._raw(merged, add_generation_prompt)
        if self.strip_bos and text.startswith(self.bos_token):
            text = text[len(self.bos_token):]  # the tokenizer adds BOS itself
        return text + (prefill if add_generation_prompt else "")


def _merge_same_role(messages: list[Message]) -> list[Message]:
    merged: list[Message] = []
    for m in messages:
        if merged and merged[-1]["role"] == m["role"]:
            merged[-1] = {"role": m["role"], "content": merged[-1]["content"] + "\n\n" + m["content"]}
        else:
            merged.append(dict(m))
    return merged


def choose_format(template: str | None, *, bos_token: str = "", eos_token: str = "", tokenizer_adds_bos: bool = False,
                  has_chatml_tokens: bool = False, end_tokens: Sequence[str] = (), source: str = "model") -> ChatFormat:
    """The format for a model: its own template, else ChatML if its vocabulary knows ChatML, else a transcript."""
    if template:
        try:
            return JinjaFormat(template, bos_token=bos_token, eos_token=eos_token,
                               tokenizer_adds_bos=tokenizer_adds_bos, fallback_stop=end_tokens)
        except Exception as exc:
            fallback = "ChatML" if has_chatml_tokens else "a plain transcript"
            log.warning("%s: its chat template cannot be used (%s: %s); prompting with %s instead",
                        source, type(exc).__name__, str(exc)[:200], fallback)
    if has_chatml_tokens:
        if not template:
            log.info("%s has no chat template; its vocabulary has ChatML tokens, so prompts are ChatML", source)
        return ChatMLFormat()
    if not template:
        log.info("%s has no chat template and no ChatML tokens (a base model); prompts are a plain transcript",
                 source)
    return CompletionFormat()
