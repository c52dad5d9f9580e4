"""End to end in a real terminal: `adventure play` (real default model, --no-images) in tmux.

Types a few commands with `send-keys`, reads the screen with `capture-pane` and
checks the game answered. A missing tmux is a failure, not a skip (.ci/run installs it).
"""
from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.timeout(600)]


@pytest.fixture(autouse=True, scope="module")
def tmux_is_installed():
    assert shutil.which("tmux"), "tmux is not installed: these tests drive the game in it (apt-get install tmux)"


# A private tmux server (own socket, no config file): another tmux on the machine, its options or its window
# sizes cannot change this test's terminal.
TMUX = ["tmux", "-L", f"adventure-test-{os.getpid()}", "-f", "/dev/null"]


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run([*TMUX, *args], check=check, capture_output=True, text=True).stdout


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
    program = str(adventure) if adventure.exists() else f"{sys.executable} -m game.cli"
    command = f"{program} play --no-images"
    env = f"-u COLUMNS -u LINES ADVENTURE_SAVE_DIR={tmp_path} TERM=xterm-256color"  # the pane's size, not pytest's
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", f"env {env} {command}; sleep 30")
    tmux("resize-window", "-t", session, "-x", "120", "-y", "36", check=False)
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
        tmux("kill-session", "-t", session, check=False)


# --- 30 turns in a real terminal: the screen stays whole ---------------------------------------------------
SIDE = 36  # the side column's width right of its border (the log is to its left)
SCROLLBAR = "▁▂▃▄▅▆▇█"  # the log's scrollbar thumb, drawn in its last column


def _saved(save: Path):
    """(transcript rows, the state now shown) read from the game's own SQLite file, read-only."""
    import json
    import sqlite3

    conn = sqlite3.connect(f"file:{save}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT input, facts FROM transcript ORDER BY id").fetchall()
        head = int(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
        state = json.loads(conn.execute("SELECT state FROM timeline WHERE idx = ?", (head,)).fetchone()[0])
        return rows, state
    finally:
        conn.close()


def _log_column(screen: str, width: int) -> list[str]:
    lines = []
    for line in screen.splitlines():
        if line.lstrip().startswith(("1 ", "▊")):  # the choice bar and the input start below the log
            break
        lines.append(line[:width - SIDE - 3].rstrip(" " + SCROLLBAR))  # the text, without the log's scrollbar
    return lines


def _side_column(screen: str, width: int) -> list[str]:
    return [line[width - SIDE:].strip(" │") for line in screen.splitlines()]


@pytest.mark.parametrize("width, height", [(120, 36)])  # 80x24: tests/test_tui_screen.py (a turn there can
def test_thirty_turns_keep_the_screen_whole(tmp_path: Path, width: int, height: int):  # outgrow the log)
    """The bundled walkthrough's first 30 commands, engine narration (fast; the model's streaming is the first
    test's). After each turn, once the screen is still: the turn's input line and its last line of facts are on
    screen, the log column holds every line seen before it in order (nothing lost between turns), and the side
    column is whole — the picture box (18 rows: 16 inside, 32×32 half-cell pixels; 8 to 18 on a short terminal),
    the room, score, time, purse, turn of the saved state, and who is here."""
    from game.stories.loader import load_story, resolve_story_path

    story = load_story(resolve_story_path(None), check_walkthrough=False)
    session = f"adv-{uuid.uuid4().hex[:8]}"
    adventure = Path(sys.executable).with_name("adventure")
    command = f"{adventure} play --no-images --narration engine"
    env = f"-u COLUMNS -u LINES ADVENTURE_SAVE_DIR={tmp_path} TERM=xterm-256color"  # the pane's size, not pytest's
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), f"env {env} {command}; sleep 30")
    try:
        assert tmux("display", "-p", "-t", session, "#{window_width}x#{window_height}").strip() == f"{width}x{height}"
        wait_for(session, lambda s: "Village Square" in s and "What do you do?" in s, 180)
        save = next(tmp_path.glob("*.sqlite"))
        seen: list[str] = []  # the log column, stitched across turns
        for number, said in enumerate(story.walkthrough[:30], 1):
            rows_before = len(_saved(save)[0])
            tmux("send-keys", "-t", session, "-l", said)
            tmux("send-keys", "-t", session, "Enter")
            deadline = time.monotonic() + 120
            while len(_saved(save)[0]) == rows_before:
                assert time.monotonic() < deadline, f"turn {number} ({said}) never finished"
                time.sleep(0.2)
            screen = _still_screen(session)
            rows, state = _saved(save)
            said_row, facts = rows[-1]
            assert said_row == said
            log = _log_column(screen, width)
            assert f"> {said}" in [line.strip() for line in log], (number, screen)
            last_fact = facts.strip().splitlines()[-1].strip()
            assert " ".join(last_fact.split()) in " ".join(" ".join(log).split()), (number, last_fact, screen)
            seen = _stitch(seen, [line for line in log if line.strip()], number, screen)
            _assert_side_whole(screen, width, story, state, number)
        assert " ".join(seen).count("> ") == 30  # every turn's input line, in the stitched log
    finally:
        tmux("kill-session", "-t", session, check=False)


def _still_screen(session: str, timeout: float = 30) -> str:
    """The screen once two captures 0.3 s apart agree and the status bar says ready."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if screen == last and "ready" in screen.splitlines()[-1]:
            return screen
        last = screen
        time.sleep(0.3)
    raise AssertionError(f"the screen never settled:\n{last}")


def _stitch(seen: list[str], now: list[str], number: int, screen: str) -> list[str]:
    """Append what scrolled into view, word by word (a scrollbar appearing re-wraps the text). The words still
    on screen from before must be exactly the tail of what was seen: a lost or rewritten line breaks it."""
    words = " ".join(now).split()
    for overlap in range(min(len(seen), len(words)), 0, -1):
        if seen[-overlap:] == words[:overlap]:
            return seen + words[overlap:]
    if seen:  # nothing overlaps: the screen must be all new, not a rewritten stretch of what was seen
        assert " ".join(words[:12]) not in " ".join(seen), f"turn {number}: the log lost lines\n{screen}"
    return seen + words  # the whole screen is new (a turn longer than the log): nothing to compare


def _assert_side_whole(screen: str, width: int, story, state: dict, number: int) -> None:
    side = _side_column(screen, width)
    top = next(i for i, line in enumerate(side) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(side) if line.startswith("╰"))
    fewest = 18 if len(side) >= 36 else 8  # a short terminal gets a smaller box, never a cut one
    assert top == 0, (number, screen)
    assert fewest <= bottom - top + 1 <= 18, (number, screen)
    room = story.room(state["location"]).name
    assert any(f"~ {room} ~" in line for line in side[top + 1:bottom]), (number, screen)  # the placeholder
    panel = side[bottom + 1:]
    clock = story.clock.start + datetime.timedelta(minutes=state["minutes"])
    purse = state["counters"].get(story.currency, 0)
    for wanted in (room, f"Score {state['score']} / {story.max_score()}", f"Time  {clock:%a %d %b, %H:%M}",
                   f"Purse {purse} {story.currency}", f"Turn  {state['turn']}", "People here", "Inventory"):
        assert wanted in panel, (number, wanted, screen)
