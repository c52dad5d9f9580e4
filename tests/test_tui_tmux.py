"""End to end in a real terminal: `adventure play` (real default model, --no-images) in tmux.

Types a few commands with `send-keys`, reads the screen with `capture-pane` and
checks the game answered. Skipped only where tmux is not installed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.timeout(600),
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def wait_for(session: str, predicate, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s; the screen was:\n{screen}")


def test_adventure_play_in_tmux(tmp_path: Path):
    session = f"adv-{uuid.uuid4().hex[:8]}"
    adventure = Path(sys.executable).with_name("adventure")
    command = f"{adventure} play --no-images" if adventure.exists() else f"{sys.executable} -m game.cli play --no-images"
    env = f"ADVENTURE_SAVE_DIR={tmp_path} TERM=xterm-256color"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", f"env {env} {command}; sleep 30")
    subprocess.run(["tmux", "resize-window", "-t", session, "-x", "120", "-y", "36"], capture_output=True)
    try:
        # the screen, the opening and (in the background) the default model
        wait_for(session, lambda s: "Village Square" in s and "What do you do?" in s, 60)
        wait_for(session, lambda s: "SmolLM2" in s, 120)
        tmux("send-keys", "-t", session, "inventory", "Enter")
        screen = wait_for(session, lambda s: "> inventory" in s and "Turn  0" in s, 60)
        assert "> inventory" in screen
        # a choice by its number: the move is committed before the narration, which Esc may cut
        tmux("send-keys", "-t", session, "2")
        wait_for(session, lambda s: "> 2. Go north" in s, 60)
        time.sleep(1.0)
        tmux("send-keys", "-t", session, "Escape")
        screen = wait_for(session, lambda s: "Bazaar" in s and "Turn  1" in s, 400)
        assert "Bazaar" in screen  # the side panel moved with the player
        tmux("send-keys", "-t", session, "C-q")
        wait_for(session, lambda s: "What do you do?" not in s, 30)
        saves = list(tmp_path.glob("*.sqlite"))
        assert saves, "the game autosaved into ADVENTURE_SAVE_DIR"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
