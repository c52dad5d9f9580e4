"""Starting a real `llama_cpp.server` in tests, with llama.cpp's extra weight buffers off where the CPU
reports AMX, as LlamaCppBackend has them (its AMX kernel dies of SIGILL in some VMs)."""
from __future__ import annotations

from agent.llama_backend import extra_buffers_allowed

# The server as `python -m llama_cpp.server`, with llama.cpp's extra weight buffers off, as
# LlamaCppBackend has them where the CPU reports AMX (its AMX kernel dies of SIGILL in some VMs).
WITHOUT_EXTRA_BUFFERS = """
import runpy, sys
import llama_cpp.llama_cpp as raw
default_params = raw.llama_model_default_params
def params():
    p = default_params()
    p.use_extra_bufts = False
    return p
raw.llama_model_default_params = params
sys.argv[0] = "llama_cpp.server"
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


def server_launch() -> list[str]:
    """The interpreter arguments that start the server: `python -m llama_cpp.server`, or the wrapper above."""
    return ["-m", "llama_cpp.server"] if extra_buffers_allowed() else ["-c", WITHOUT_EXTRA_BUFFERS]
