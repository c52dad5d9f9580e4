"""Model runtime, tools and villagers shared by the game and the Toolformer pipeline.

The runtime imports neither `game` nor `toolformer` (an import-linter contract in pyproject.toml):
backend (the protocol and ForwardingBackend), llama_backend / openai_backend / scripted (its
implementations), runtime (choosing one from command-line flags), model_files, gguf_header and
adapters (model files, their headers, LoRA adapters), chat_format, stops, inline (the inline tool
call syntax), tools, files (atomic writes), villagers.
"""
from .backend import Backend, GenerateOptions, GenerationStats, ModelError

__all__ = ["Backend", "GenerateOptions", "GenerationStats", "ModelError"]
