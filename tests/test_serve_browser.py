"""`adventure serve` in headless Chromium: the real CLI serves the game, a browser plays two turns.

How the browser is driven: the Chrome DevTools Protocol over a websocket, with
aiohttp's websocket client (aiohttp comes with textual-serve, so whatever can
serve can be tested) and Debian's `chromium`. Playwright was not used: its pip
package wants to download its own browser build, and pinning it to a system
Chromium ties the test to a driver version; CDP is the protocol both speak,
with no extra process. xterm.js draws the terminal on a canvas, so there is no
text in the DOM: a script added before the page loads catches the xterm
`Terminal` object as textual-serve's page stores it (`this.terminal = …`), and
the test reads the screen from its buffer. Keys are sent as real key events
(`Input.dispatchKeyEvent`), so they travel the same way a player's do.

The served game runs with `--no-images --narration engine` so the screen does
not wait on model speed; a screenshot goes to runs/test-artefacts/ (gitignored).
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp  # comes with textual-serve (pyproject.toml)
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = Path(__file__).resolve().parent.parent / "runs" / "test-artefacts"

pytestmark = [
    pytest.mark.slow,
    # On a busy machine the served game's model is still loading when the first keys arrive; that load once sent
    # the screen to /dev/null (llama-cpp-python's verbose=False redirects fd 1 and 2), and the game seemed to hang.
    pytest.mark.timeout(180),
]

# Runs in the page before textual-serve's script: catch `this.terminal = new Terminal(...)`.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer) { window.__adventureTerminal = value; }
  },
});
"""
SCREEN_TEXT = """
(() => {
  const term = window.__adventureTerminal;
  if (!term) { return null; }
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) { rows.push(buffer.getLine(buffer.viewportY + y).translateToString(true)); }
  return rows.join("\\n");
})()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the process ended early (exit {proc.returncode}): {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


class Page:
    """One page over CDP: send a command, await its result (events in between are ignored)."""

    def __init__(self, ws) -> None:
        self.ws, self.next_id = ws, 0

    async def send(self, method: str, **params) -> dict:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            reply = json.loads((await self.ws.receive()).data)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def screen(self) -> str:
        result = await self.send("Runtime.evaluate", expression=SCREEN_TEXT, returnByValue=True)
        return result["result"].get("value") or ""

    async def wait_for_text(self, text: str, after: str = "", timeout: float = 60) -> str:
        """The screen once `text` shows (below the last `after`, when given: an answer, not an earlier line)."""
        deadline, shown = time.time() + timeout, ""
        while time.time() < deadline:
            shown = await self.screen()
            below = shown.split(after)[-1] if after else shown
            if after in shown and text in below:
                return shown
            await asyncio.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared after {after!r}; the screen shows:\n{shown}")

    async def type_line(self, line: str) -> None:
        for char in line:
            await self.send("Input.dispatchKeyEvent", type="keyDown", text=char, key=char)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=char)
        await self.send("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter",
                        windowsVirtualKeyCode=13, text="\r")
        await self.send("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)


async def play_in_browser(url: str, debug_port: int, shot: Path) -> list[str]:
    async with aiohttp.ClientSession() as http:
        deadline = time.time() + 30
        while True:
            try:
                targets = await (await http.get(f"http://127.0.0.1:{debug_port}/json/list")).json()
                break
            except aiohttp.ClientError:
                if time.time() > deadline:
                    raise
                await asyncio.sleep(0.2)
        target = next(t for t in targets if t["type"] == "page")
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.send("Page.enable")
            await page.send("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
            await page.send("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1,
                            mobile=False)
            await page.send("Page.navigate", url=url)
            screens = [await page.wait_for_text("Village Square")]
            await page.send("Runtime.evaluate", expression="window.__adventureTerminal.focus()")
            await page.type_line("north")
            screens.append(await page.wait_for_text("Striped awnings", after="> north"))
            await page.type_line("south")
            screens.append(await page.wait_for_text("Sun-baked mud houses", after="> south"))
            shot.parent.mkdir(parents=True, exist_ok=True)
            png = await page.send("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(png["data"]))
            return screens


def test_serve_plays_two_turns_in_headless_chromium(tmp_path):
    assert CHROMIUM, "Debian's `chromium` is not installed: this test plays in it (apt-get install chromium)"
    port, debug_port = free_port(), free_port()
    env = {**os.environ, "ADVENTURE_SAVE_DIR": str(tmp_path / "saves")}
    # The server's output goes to a file: a pipe nobody reads fills up and stalls the game mid-turn.
    log_path = tmp_path / "serve.log"
    server_log = open(log_path, "w")  # noqa: SIM115 (closed in the finally below)
    server = subprocess.Popen([sys.executable, "-m", "game.cli", "serve", "--port", str(port), "--no-images",
                               "--no-villagers", "--narration", "engine"], env=env,
                              stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    browser = None
    try:
        wait_for_port(port, server, log_path)
        browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                    "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}",
                                    f"--remote-debugging-port={debug_port}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shot = ARTEFACTS / "serve-two-turns.png"
        screens = asyncio.run(play_in_browser(f"http://127.0.0.1:{port}/", debug_port, shot))
    finally:
        for proc in (browser, server):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        server_log.close()
    opening, after_north, after_south = screens
    assert "The Four Winds of Qasr al-Rih" in opening
    assert "> north" in after_north and "Striped awnings" in after_north  # the Bazaar's room text
    assert "Sun-baked mud houses" in after_south.split("> south")[-1]  # back in the Village Square
    assert shot.stat().st_size > 10_000  # a real picture of the page, kept as the test's artefact
