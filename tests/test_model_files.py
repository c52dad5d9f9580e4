"""Model path resolution order and file checks (no model is loaded here)."""
from __future__ import annotations

import pytest

from agent.adapters import check_adapter
from agent.backend import ModelError
from agent.model_files import default_model_path, resolve_model_path


@pytest.fixture
def gguf_files(tmp_path):
    files = {}
    for name in ("explicit", "env", "config"):
        path = tmp_path / f"{name}.gguf"
        path.write_bytes(b"GGUF" + b"\0" * 16)
        files[name] = path
    config = tmp_path / "config.toml"
    config.write_text(f'model = "{files["config"]}"\n')
    files["config_file"] = config
    return files


def test_first_match_wins(gguf_files, monkeypatch):
    monkeypatch.setenv("ADVENTURE_CONFIG", str(gguf_files["config_file"]))
    monkeypatch.setenv("ADVENTURE_MODEL", str(gguf_files["env"]))
    assert resolve_model_path(gguf_files["explicit"]) == gguf_files["explicit"]
    assert resolve_model_path() == gguf_files["env"]
    monkeypatch.delenv("ADVENTURE_MODEL")
    assert resolve_model_path() == gguf_files["config"]
    monkeypatch.setenv("ADVENTURE_CONFIG", str(gguf_files["config_file"].with_name("absent.toml")))
    assert resolve_model_path() == default_model_path()
    assert default_model_path().name == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_errors_name_the_source_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.delenv("ADVENTURE_MODEL", raising=False)
    with pytest.raises(ModelError, match=r"--model: model file .* does not exist"):
        resolve_model_path(tmp_path / "absent.gguf")
    with pytest.raises(ModelError, match="is a directory"):
        resolve_model_path(tmp_path)
    text = tmp_path / "notes.gguf"
    text.write_text("hello")
    with pytest.raises(ModelError, match="not a GGUF file"):
        resolve_model_path(text)


def test_a_model_is_not_accepted_as_an_adapter():
    with pytest.raises(ModelError, match="not a LoRA adapter"):
        check_adapter(default_model_path(), default_model_path())
