"""Starting a real `llama_cpp.server` in tests with the same llama.cpp settings as LlamaCppBackend
(`agent.llama_process.apply_buffer_policy`: the extra weight buffers off where the CPU reports AMX, whose
kernel dies of SIGILL in some VMs)."""
from __future__ import annotations

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
