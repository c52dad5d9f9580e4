"""One forwarding wrapper: ForwardingBackend hands on every call and capability; LazyBackend and MeteredBackend
override only what they change (a late model, the bill), and neither drops `chat_stream`."""
from __future__ import annotations

import logging
import threading

import pytest

from agent.backend import Backend, ForwardingBackend, GenerateOptions, ModelError
from agent.scripted import ScriptedBackend
from agent.villagers.budget import MeteredBackend, default_workers
from game.tui.lazy_backend import LazyBackend

DERIVED = {"complete", "chat", "is_chat"}  # written in terms of stream, chat_stream, template_kind


class ChatServerDouble(ScriptedBackend):
    """A TEST DOUBLE that answers chats itself (as a server's chat endpoint does) and says what it can do."""

    template_kind = "server"
    concurrency = 8
    has_embeddings = False
    unavailable = None

    def __init__(self) -> None:
        super().__init__(responses=["plain"])
        self.chats: list[tuple[list, str]] = []

    def chat_stream(self, messages, options=None, *, prefill="", **kw):
        self.chats.append((list(messages), prefill))
        self.last_stats.prompt_tokens, self.last_stats.completion_tokens = 7, 2
        yield from ("from the ", "chat endpoint")


def test_every_public_member_of_a_backend_is_forwarded():
    public = {name for name in dir(Backend) if not name.startswith("_")} - DERIVED
    assert public - set(vars(ForwardingBackend)) == set()


def test_forwarding_reaches_the_inner_chat_endpoint_and_capabilities():
    inner = ChatServerDouble()
    wrapped = ForwardingBackend(inner)
    messages = [{"role": "user", "content": "hello"}]
    assert wrapped.chat(messages, prefill="You") == "from the chat endpoint"
    assert inner.chats == [(messages, "You")]
    assert (wrapped.template_kind, wrapped.concurrency, wrapped.has_embeddings) == ("server", 8, False)
    assert wrapped.complete("x", max_tokens=4) == "plain"
    assert wrapped.name == inner.name and wrapped.last_stats is inner.last_stats


def test_the_meter_bills_chats_too():
    meter = MeteredBackend(ChatServerDouble())
    with meter.paying({"nadia": 0.5, "farah": 0.5}):
        assert meter.chat([{"role": "user", "content": "hi"}], GenerateOptions(role="villager")) == \
            "from the chat endpoint"
    assert meter.calls == {"nadia": 0.5, "farah": 0.5}
    assert meter.tokens == {"nadia": 4.5, "farah": 4.5}
    assert meter.by_role["villager"][0] == 1
    assert meter.name == "metered(scripted-test-double)"
    assert default_workers(meter) == 8 and default_workers(ScriptedBackend()) == 1


def test_a_lazy_backend_answers_its_name_before_the_load_and_forwards_chats_after():
    may_load = threading.Event()
    inner = ChatServerDouble()

    def load():
        may_load.wait(10)
        return inner

    lazy = LazyBackend(load, label="Slow.gguf")
    assert (lazy.name, lazy.unavailable, lazy.ready) == ("Slow.gguf", None, False)
    worker = threading.Thread(target=lazy.load)
    worker.start()
    may_load.set()
    worker.join(10)
    assert lazy.loaded and lazy.name == "scripted-test-double"
    assert lazy.chat([{"role": "user", "content": "hi"}], prefill="You") == "from the chat endpoint"
    assert lazy.concurrency == 8 and lazy.template_kind == "server"


def test_a_lazy_backend_whose_model_fails_says_why_in_the_log_and_on_every_call(caplog):
    def broken():
        raise FileNotFoundError("no such model: /models/missing.gguf")

    lazy = LazyBackend(broken, label="missing.gguf")
    with caplog.at_level(logging.WARNING, logger="game.tui.lazy_backend"):
        assert lazy.load() is None
    assert "the model did not load" in caplog.text and "missing.gguf" in caplog.text
    assert lazy.ready and not lazy.loaded and lazy.name == "missing.gguf"
    with pytest.raises(ModelError, match="the model did not load: FileNotFoundError"):
        lazy.chat([{"role": "user", "content": "hi"}])
    with pytest.raises(ModelError, match="did not load"):
        lazy.rank("a", ["b"])
    lazy.close()  # nothing loaded: nothing to close, no error
