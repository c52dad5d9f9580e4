"""`adventure model info` and the front door's error messages, through the real console script."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def adventure(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.model
def test_model_info_reports_the_embedded_default():
    done = adventure("model", "info", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["path"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert info["architecture"] == "llama" and info["parameters"] > 100_000_000


@pytest.mark.slow
def test_bad_model_path_from_env_is_one_clear_line(tmp_path):
    done = adventure("model", "info", env={"ADVENTURE_MODEL": str(tmp_path / "missing.gguf")})
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: ADVENTURE_MODEL: model file") and "Traceback" not in done.stderr


@pytest.mark.slow
def test_broken_config_file_names_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("model = [unclosed")
    done = adventure("model", "info", env={"ADVENTURE_CONFIG": str(config), "ADVENTURE_MODEL": ""})
    assert done.returncode == 2 and str(config) in done.stderr and "not valid TOML" in done.stderr


@pytest.mark.slow
def test_help_lists_the_subcommands():
    done = adventure("--help")
    assert done.returncode == 0 and "model" in done.stdout and "bench" in done.stdout
