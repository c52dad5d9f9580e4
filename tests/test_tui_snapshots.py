"""Snapshot tests (pytest-textual-snapshot) of the main, load and help screens.

Update after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""
from __future__ import annotations

import pytest

from tests.tui_support import SIZE, make_app, settle

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def test_main_screen(snap_compare, tmp_path):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_load_screen(snap_compare, tmp_path):
    async def before(pilot):
        await settle(pilot)
        for name, key in (("a-square", None), ("b-bazaar", "2")):  # created order == name order
            if key:
                await pilot.press(key)
                await settle(pilot)
            pilot.app.game_screen.action_command("save", name)
            await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=before)


def test_help_screen(snap_compare, tmp_path):
    async def before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=before)
