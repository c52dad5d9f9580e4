"""Build the backend a command asked for: a server URL, else a GGUF in-process.

`add_model_arguments(parser)` gives every command the same flags:
  --model PATH       a GGUF file (else ADVENTURE_MODEL, the config file, the default)
  --server URL       an OpenAI-compatible server instead of a local file
  --server-model ID  the model name on that server (default: its first)
  --lora PATH        a GGUF LoRA adapter for the local model
  --no-lora          (commands that default to the shipped adapter) run the bare model
  --threads N, --ctx N
  --timeout S        (--server) seconds to wait for the server's answer; connecting
                     gives up after 3 s, and a server that accepts and never
                     answers is found by a 5 s check before the first request

Commands registered with `shipped_lora=True` (play, run, model info) load the
Toolformer adapter shipped in assets/toolformer/ when it was exported for the
model in use; every other command (benchmarks, Toolformer's own base-model
columns) runs the bare model unless --lora is given, so their figures do not
change behind their back. The shipped adapter goes to the narrator's context
only: the intent ranker keeps the bare model its accuracy was measured on.
"""
from __future__ import annotations

import argparse
import os

from .backend import Backend
from .model_files import ModelError


def add_model_arguments(parser: argparse.ArgumentParser, shipped_lora: bool = False) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", metavar="PATH", help="GGUF model file (default: the embedded SmolLM2-135M)")
    group.add_argument("--server", metavar="URL", default=os.environ.get("ADVENTURE_SERVER"),
                       help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1")
    group.add_argument("--server-model", metavar="ID", help="model name on the server")
    group.add_argument("--lora", metavar="PATH", help="GGUF LoRA adapter for the local model" +
                       (" (default: the shipped Toolformer adapter when it fits the model)" if shipped_lora else ""))
    if shipped_lora:
        group.add_argument("--no-lora", action="store_true", help="do not load the shipped Toolformer adapter")
    parser.set_defaults(shipped_lora=shipped_lora)
    group.add_argument("--threads", type=int, default=None, help="CPU threads (default: all cores but one, at most 8)")
    group.add_argument("--ctx", type=int, default=4096, help="context window per role (tokens)")
    group.add_argument("--timeout", type=float, default=60.0, metavar="S",
                       help="with --server: seconds to wait for an answer (read timeout, default 60); connecting "
                            "gives up after 3 s, a server that never answers is found by a 5 s check first, and "
                            "after a failure the game goes on without the model and checks again in the background")


def load_backend(model: str | None = None, *, server: str | None = None, server_model: str | None = None,
                 lora: str | None = None, threads: int | None = None, ctx: int = 4096,
                 lora_roles: tuple[str, ...] | None = None, timeout: float = 60.0) -> Backend:
    if server:
        from .openai_backend import OpenAICompatBackend

        return OpenAICompatBackend(server, model=server_model, n_ctx=ctx, timeout_s=timeout)
    from .llama_backend import LlamaCppBackend

    return LlamaCppBackend(model, lora_path=lora, lora_roles=lora_roles, n_threads=threads, n_ctx=ctx)


def lora_from_args(args: argparse.Namespace) -> str | None:
    """The adapter path to load: --lora, else the shipped one where the command allows it and it fits."""
    if getattr(args, "no_lora", False):
        if args.lora:
            raise ModelError("--lora and --no-lora contradict each other; give one")
        return None
    if args.lora or args.server or not getattr(args, "shipped_lora", False):
        return args.lora
    from .adapters import shipped_adapter_for
    from .model_files import resolve_model_path

    shipped = shipped_adapter_for(resolve_model_path(args.model))
    return str(shipped) if shipped else None


SHIPPED_LORA_ROLES = ("narrator",)  # where the Toolformer adapter helps: prose with inline tool calls


def backend_from_args(args: argparse.Namespace) -> Backend:
    lora = lora_from_args(args)
    roles = SHIPPED_LORA_ROLES if lora and not args.lora else None  # a user's own adapter applies everywhere
    return load_backend(args.model, server=args.server, server_model=args.server_model,
                        lora=lora, threads=args.threads, ctx=args.ctx, lora_roles=roles,
                        timeout=getattr(args, "timeout", 60.0))
