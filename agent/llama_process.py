"""llama.cpp settings that hold for the whole process: its logs, its thread count, its CPU weight buffers.

Shared by every user of llama.cpp in the project: the game's backend
(llama_backend.py), the scene model's text encoder, Toolformer's parity check,
and llama-server (llama_server.py passes `--no-repack` where the extra buffers
are off).

Deliberately left out: GPU offload settings (the backend asks llama.cpp itself).
"""
from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def silence_llama_logs() -> None:
    """llama.cpp's own log lines off (they would draw over the terminal UI); ADVENTURE_LLAMA_DEBUG keeps them."""
    if os.environ.get("ADVENTURE_LLAMA_DEBUG"):
        return
    from llama_cpp import _logger

    _logger.logger.setLevel(logging.CRITICAL)


def default_threads() -> int:
    """All cores but one, at most 8. llama.cpp's thread pool spin-waits at every
    layer; when another process (the UI, an image model, a second role) takes a
    core, a pool as wide as the machine stalls badly (measured on 2 cores under
    load: 2.7 tokens/s with 2 threads against 15 with 1). Leaving a core free
    costs some peak speed on an idle machine and keeps turns smooth on a busy one."""
    return max(1, min((os.cpu_count() or 2) - 1, 8))


def extra_buffers_allowed() -> bool:
    """Whether llama.cpp may put weights in its extra CPU buffers (AMX, repacked layouts).

    Off on a CPU that reports AMX: inside a VM that advertises AMX without keeping its tile
    state, llama.cpp's AMX matmul dies of SIGILL on its first `tilezero` (seen on this project's
    Firecracker machines). ADVENTURE_LLAMA_EXTRA_BUFFERS=1 (or 0) decides instead.
    """
    setting = os.environ.get("ADVENTURE_LLAMA_EXTRA_BUFFERS")
    if setting is not None:
        return setting.strip().lower() not in ("", "0", "no", "false", "off")
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            amx = any(line.startswith("flags") and " amx_tile" in line for line in handle)
    except OSError:
        return True  # no /proc (macOS, Windows): nothing known against them
    if amx:
        log.info("CPU reports AMX: llama.cpp's AMX/repacked weight buffers stay off (its AMX kernel crashes "
                 "where a VM does not keep AMX state); ADVENTURE_LLAMA_EXTRA_BUFFERS=1 turns them on")
    return not amx


def apply_buffer_policy() -> None:
    """Make every `llama_cpp.Llama` of this process follow `extra_buffers_allowed()` too (the scene
    model's text encoder, the Toolformer parity check): llama-cpp-python's high-level class has no
    argument for it, so its default parameters are wrapped once."""
    import llama_cpp.llama_cpp as raw

    if extra_buffers_allowed() or getattr(raw.llama_model_default_params, "_adventure_policy", False):
        return
    default_params = raw.llama_model_default_params

    def params():
        value = default_params()
        value.use_extra_bufts = False
        return value

    params._adventure_policy = True
    raw.llama_model_default_params = params
