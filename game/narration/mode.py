"""Narration modes and the capability probe that picks the default when a model loads.

    mode, note = resolve_mode(backend, "auto")   # -> ("model", "narration: model (probe 5/6 kept)")

Modes: "model" (the model's prose, every sentence checked, the engine's text beside it) and "engine"
(the engine's text only, no model call). "auto" runs the probe: the narrator tells six fixed turns
of the bundled story (`PROBE_ACTIONS`), every sentence goes through the grounding check, and the
mode is "model" when at least `MIN_KEPT_SHARE` of those turns keep some prose, else "engine".

The result is cached per model file (path, size, mtime, and the same for a LoRA adapter) and per
version of the check and prompt (a hash of game/narration/grounding.py and game/narration/narrator.py), in
$ADVENTURE_CACHE or ~/.cache/adventure/narration_probe.json, so a launch does not repay it. A
backend with no file (a server, the scripted test double) is not probed: its mode is "model".

Deliberately left out: probing servers (their model can change behind one URL), and re-probing
while playing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from agent.backend import Backend, ModelError
from agent.files import write_text_atomic
from game.narration.narrator import Narrator
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.engine import Engine
from game.world.events import Action

log = logging.getLogger(__name__)

MODES = ("model", "engine")
MIN_KEPT_SHARE = 0.5
PROBE_ACTIONS = (Action("go", "west"), Action("open", "cedar_chest"), Action("take", "bronze_key"),
                 Action("go", "east"), Action("go", "north"), Action("look"))


@dataclass
class ProbeResult:
    turns: int
    kept_turns: int  # turns that showed some model prose
    sentences: int
    kept_sentences: int
    mode: str
    seconds: float

    def note(self, cached: bool = False) -> str:
        return (f"narration: {self.mode} (probe {self.kept_turns}/{self.turns} kept"
                + (", cached" if cached else "") + ")")


def cache_file() -> Path:
    base = os.environ.get("ADVENTURE_CACHE") or Path.home() / ".cache" / "adventure"
    return Path(base) / "narration_probe.json"


def _file_key(path) -> dict | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime": int(stat.st_mtime)}


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for name in ("grounding.py", "narrator.py", "mode.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def model_identity(backend: Backend | None) -> dict | None:
    """What the probe result depends on: the model file and adapter; None when there is no file."""
    if backend is None:
        return None
    backend.wait()  # the TUI's LazyBackend: the probe runs in a worker, after the load
    try:
        path, lora, roles = backend.model_path, backend.lora_path, backend.lora_roles
    except ModelError as exc:  # a model that did not load has no identity: nothing to probe
        log.info("no model identity (%s)", exc)
        return None
    model = _file_key(path) if path else None
    if model is None:
        return None
    return {"model": model, "lora": _file_key(lora) if lora else None,
            "lora_roles": sorted(roles or []), "code": _code_version()}


def run_probe(backend: Backend, threads_note: str = "") -> ProbeResult:
    """Narrate the fixed probe turns with the default narrator and count what the check keeps."""
    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    engine = Engine(story)
    narrator = Narrator(backend, story, state=lambda: engine.state)
    started = time.perf_counter()
    turns = kept_turns = sentences = kept = 0
    for action in PROBE_ACTIONS:
        outcome = engine.perform(action)
        if outcome.refused:
            continue
        narration = narrator.narrate([], action.phrase(story), outcome.events, seed=turns)
        turns += 1
        kept_turns += narration.source == "model"
        sentences += narration.sentences
        kept += narration.kept
    mode = "model" if turns and kept_turns / turns >= MIN_KEPT_SHARE else "engine"
    return ProbeResult(turns, kept_turns, sentences, kept, mode, round(time.perf_counter() - started, 2))


def _load_cache() -> dict:
    try:
        return json.loads(cache_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("narration probe cache %s is unreadable (%s); probing again", cache_file(), exc)
        return {}


def _store(key: str, result: ProbeResult) -> None:
    path = cache_file()
    cache = _load_cache()
    cache[key] = asdict(result)
    try:
        write_text_atomic(path, json.dumps(cache, indent=1))
    except OSError as exc:
        log.warning("could not cache the narration probe in %s: %s", path, exc)


def resolve_mode(backend: Backend | None, requested: str = "auto") -> tuple[str, str]:
    """The narration mode and a one-line note for a status bar. `requested`: model, engine or auto."""
    if backend is None:
        return "engine", "narration: engine (no model)"
    if requested in MODES:
        return requested, f"narration: {requested} (chosen)"
    identity = model_identity(backend)
    if identity is None:
        return "model", "narration: model (not probed: no model file)"
    key = json.dumps(identity, sort_keys=True)
    cached = _load_cache().get(key)
    if cached:
        try:
            result = ProbeResult(**cached)
            return result.mode, result.note(cached=True)
        except TypeError as exc:  # written by an older version of the probe: probe again
            log.info("cached narration probe result is stale (%s); probing again", exc)
    try:
        result = run_probe(backend)
    except Exception as exc:  # the probe failing must not stop the game: the checked model prose stays on
        log.warning("narration probe failed (%s: %s); narration stays on the model", type(exc).__name__, exc)
        return "model", "narration: model (probe failed)"
    log.info("narration probe: %s in %.1f s", result.note(), result.seconds)
    _store(key, result)
    return result.mode, result.note()
