"""Model runtime, tools and villagers shared by the game and the Toolformer pipeline."""
from .backend import Backend, GenerateOptions, GenerationStats, ModelError

__all__ = ["Backend", "GenerateOptions", "GenerationStats", "ModelError"]
