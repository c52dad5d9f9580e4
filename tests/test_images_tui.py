"""The scene picture in the terminal: every textual-image mode draws it (no real terminal needed), the half-cell
pane holds 32×32 pixels, and F2 shows it larger."""
from __future__ import annotations

import io
import sys

import pytest
from PIL import Image
from rich.color import ColorSystem
from rich.console import Console

from game.images.cache import ImageCache
from game.images.generator import SceneImages
from game.tui.widgets.scene_pane import (
    MODES,
    ScenePane,
    ScenePictureScreen,
    picture_mode,
    renderable_class,
)
from tests.test_images import SolidColourGenerator
from tests.tui_support import SIZE, make_app, settle

pytestmark = pytest.mark.timeout(120)


def _picture() -> Image.Image:
    image = Image.new("RGB", (128, 128), (230, 180, 60))
    for x in range(40, 90):
        for y in range(50, 110):
            image.putpixel((x, y), (20, 60, 160))
    return image


def _render(mode: str, monkeypatch) -> str:
    """Everything the mode sends for one picture: cell text with its escape sequences, plus (Kitty) what the
    renderable writes straight to the terminal."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "__stdout__", out)  # Kitty's image data goes straight to the real stdout
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=40, height=20)
    renderable = renderable_class(mode)(_picture(), width=32, height=16)
    cells = "".join(segment.style.render(segment.text, color_system=ColorSystem.TRUECOLOR) if segment.style
                    else segment.text for segment in console.render(renderable, console.options))
    return out.getvalue() + cells


def test_each_mode_draws_the_picture_differently(monkeypatch):
    drawn = {mode: _render(mode, monkeypatch) for mode in MODES}
    assert all(drawn.values())
    assert len(set(drawn.values())) == len(MODES)
    assert "\x1b_G" in drawn["kitty"] and "f=100" in drawn["kitty"]  # Kitty graphics protocol, PNG payload
    assert "\x1bP" in drawn["sixel"] and "#" in drawn["sixel"]  # a sixel DCS string with colour registers
    half = drawn["halfcell"]
    assert half.count("▀") == 32 * 16 and "38;2;230;180;60" in half and "48;2;20;60;160" in half
    assert set(drawn["unicode"]) - {" ", "\n"} and "\x1b" not in drawn["unicode"].replace("\x1b[0m", "")


def test_the_mode_follows_the_probe_unless_overridden(monkeypatch):
    monkeypatch.delenv("ADVENTURE_PICTURES", raising=False)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert picture_mode() == "unicode"  # pytest has no terminal: textual-image's probe says so
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual_serve.web_driver:WebDriver")
    assert picture_mode() == "halfcell"
    for mode in MODES:
        monkeypatch.setenv("ADVENTURE_PICTURES", mode)
        assert picture_mode() == mode


def test_the_probe_runs_before_the_app_even_when_the_mode_is_chosen(monkeypatch):
    """A forced mode still imports textual-image's widgets later; their probe must not run once Textual owns stdin
    (the terminal's answer, "[?1;2c", would land in the command line: seen in tmux)."""
    from game.tui.widgets.scene_pane import probe_terminal

    monkeypatch.setenv("ADVENTURE_PICTURES", "halfcell")
    monkeypatch.delitem(sys.modules, "textual_image.widget", raising=False)
    probe_terminal()
    assert "textual_image.widget" in sys.modules


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.slow
async def test_half_cell_pane_holds_32_pixels_square_and_f2_enlarges(tmp_path, anyio_backend, monkeypatch):
    monkeypatch.setenv("ADVENTURE_PICTURES", "halfcell")
    app = make_app(tmp_path, images=SceneImages(SolidColourGenerator(), ImageCache(tmp_path / "c")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # before any picture: a note, no screen
        await settle(pilot)
        assert not isinstance(app.screen, ScenePictureScreen)
        for _ in range(100):
            await settle(pilot)
            pane = app.screen.query_one(ScenePane)
            if pane.image_path is not None and pane.query(".scene-image"):
                break
        image = pane.query_one(".scene-image")
        await settle(pilot)
        print("pane picture", image.size)
        assert image.size.width >= 32 and image.size.height >= 16, image.size  # ≥ 32×32 half-cell pixels
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ScenePictureScreen)
        big = app.screen.query_one("#scene-picture-image")
        print("enlarged", big.size)
        assert big.size.height > image.size.height and big.size.width > image.size.width
        assert app.screen.location_name == pane.location_name
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.game_screen
