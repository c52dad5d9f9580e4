"""Starting a real `llama_cpp.server` in tests with the same llama.cpp settings as LlamaCppBackend
(`agent.llama_process.apply_buffer_policy`: the extra weight buffers off where the CPU reports AMX, whose
kernel dies of SIGILL in some VMs). `running_server(model)` starts one on 127.0.0.1 for a test module."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

# The server as `python -m llama_cpp.server`, after the project's buffer policy is applied in its process.
WITH_BUFFER_POLICY = """
import runpy, sys
from agent.llama_process import apply_buffer_policy
apply_buffer_policy()
sys.argv[0] = "llama_cpp.server"
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


def server_launch() -> list[str]:
    """The interpreter arguments that start the server."""
    return ["-c", WITH_BUFFER_POLICY]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(model_path, n_ctx: int = 2048, threads: int | None = None,
                   start_timeout_s: float = 120.0) -> Iterator[str]:
    """A `llama_cpp.server` for `model_path` on 127.0.0.1; yields its base URL (".../v1"), stops it after.

    Fails the test (never skips) when the server exits or does not answer within `start_timeout_s`."""
    import pytest

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, *server_launch(), "--model", str(model_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", str(n_ctx), "--verbose", "False",
         *(("--n_threads", str(threads)) if threads else ())],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(f"{url}/models", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start within {start_timeout_s:.0f} s")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
