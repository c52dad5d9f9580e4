"""Build the backend a command asked for: a server URL, else a GGUF in-process.

`add_model_arguments(parser)` gives every command the same flags:
  --model PATH       a GGUF file (else ADVENTURE_MODEL, the config file, the default)
  --server URL       an OpenAI-compatible server instead of a local file
  --server-model ID  the model name on that server (default: its first)
  --lora PATH        a GGUF LoRA adapter for the local model
  --threads N, --ctx N
"""
from __future__ import annotations

import argparse
import os

from .backend import Backend


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", metavar="PATH", help="GGUF model file (default: the embedded SmolLM2-135M)")
    group.add_argument("--server", metavar="URL", default=os.environ.get("ADVENTURE_SERVER"),
                       help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1")
    group.add_argument("--server-model", metavar="ID", help="model name on the server")
    group.add_argument("--lora", metavar="PATH", help="GGUF LoRA adapter for the local model")
    group.add_argument("--threads", type=int, default=None, help="CPU threads (default: all cores but one, at most 8)")
    group.add_argument("--ctx", type=int, default=4096, help="context window per role (tokens)")


def load_backend(model: str | None = None, *, server: str | None = None, server_model: str | None = None,
                 lora: str | None = None, threads: int | None = None, ctx: int = 4096) -> Backend:
    if server:
        from .openai_backend import OpenAICompatBackend

        return OpenAICompatBackend(server, model=server_model, n_ctx=ctx)
    from .llama_backend import LlamaCppBackend

    return LlamaCppBackend(model, lora_path=lora, n_threads=threads, n_ctx=ctx)


def backend_from_args(args: argparse.Namespace) -> Backend:
    return load_backend(args.model, server=args.server, server_model=args.server_model,
                        lora=args.lora, threads=args.threads, ctx=args.ctx)
