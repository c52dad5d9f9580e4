"""OpenAICompatBackend against a real llama_cpp.server on 127.0.0.1, plus dead and slow servers."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from agent.backend import GenerateOptions, ModelError
from agent.model_files import default_model_path
from agent.openai_backend import OpenAICompatBackend

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(default_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--verbose", "False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1).read()
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(server_url):
    backend = OpenAICompatBackend(server_url, timeout_s=60)
    yield backend
    backend.close()


def test_streams_a_completion_and_applies_stops(server):
    prompt = "<|im_start|>user\nCount from one to ten in words.<|im_end|>\n<|im_start|>assistant\n"
    pieces = list(server.stream(prompt, GenerateOptions(max_tokens=40, temperature=0)))
    text = "".join(pieces)
    assert len(pieces) > 3 and server.last_stats.completion_tokens > 3
    marker = text.split()[2]
    stopped = server.complete(prompt, max_tokens=40, temperature=0, stop=[marker])
    assert server.last_stats.finish_reason == "stop" and marker not in stopped and text.startswith(stopped)


def test_rank_and_logprobs_match_the_local_backend(server, real_backend):
    prefix = "The player says: I want to walk north through the gate.\nThe action is:"
    options = [" go north", " take the lamp", " eat the bread"]
    remote = server.rank(prefix, options)
    local = real_backend.rank(prefix, options)
    assert max(range(3), key=remote.__getitem__) == 0
    assert all(abs(r - l) < 0.5 for r, l in zip(remote, local))
    assert len(server.logprobs("The capital of France is", " Paris")) >= 1


def test_tokenize_matches_the_model(server, real_backend):
    assert server.tokenize("The oasis at dusk") == real_backend.tokenize("The oasis at dusk")


def test_grammar_constrains_server_output(server):
    schema = {"type": "object", "properties": {"direction": {"enum": ["north", "south"]}}, "required": ["direction"]}
    out = server.complete("Pick a direction as JSON:", json_schema=schema, max_tokens=30, temperature=0)
    import json

    assert json.loads(out)["direction"] in ("north", "south")


def test_dead_server_is_a_clear_error_not_a_hang():
    backend = OpenAICompatBackend(f"http://127.0.0.1:{_free_port()}/v1", model="m", timeout_s=2, max_retries=1)
    started = time.monotonic()
    with pytest.raises(ModelError, match="cannot reach server"):
        backend.complete("hello", max_tokens=3)
    assert time.monotonic() - started < 15


def test_slow_server_times_out_with_a_clear_error():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    threading.Thread(target=lambda: [accepted.append(listener.accept()) for _ in range(8)], daemon=True).start()
    backend = OpenAICompatBackend(f"http://127.0.0.1:{listener.getsockname()[1]}/v1", model="m",
                                  timeout_s=1, max_retries=1)
    started = time.monotonic()
    with pytest.raises(ModelError, match="did not answer within 1s"):
        backend.complete("hello", max_tokens=3)
    assert time.monotonic() - started < 15
    listener.close()


def test_chat_goes_through_the_servers_chat_endpoint(server):
    messages = [{"role": "user", "content": "Name one desert animal."}]
    pieces = list(server.chat_stream(messages, max_tokens=12, temperature=0))
    assert "".join(pieces).strip() and server.last_stats.finish_reason in ("length", "eos")
    assert server.last_stats.completion_tokens == len(pieces)
