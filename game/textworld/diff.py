"""Differential play: the same commands in TextWorld's own environment and in our engine.

`compare_game(z8_path, commands)` plays a command list in `textworld.start`
(the compiled Inform 7 game, as researchers run it) and in our engine (the
story imported from the game's `.json`, commands through the deterministic
parser), and after every step compares location, inventory, score and
won / lost. `random_commands(...)` makes the "valid-looking" sequences: mostly
commands TextWorld says are admissible now, some built from the game's own
nouns and verbs that may well fail.

Needs the `textworld` package (the `textworld` extra); nothing on the play
path imports this module.

Deliberately left out: comparing prose (the two write different sentences by
design) and TextWorld's `look` text.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from game.textworld.importer import load_textworld, read_game
from game.understanding.parser import parse
from game.world.engine import Engine
from game.world.place import CARRIED

_VERBS_ONE = ("take", "drop", "open", "close", "eat", "examine")
_VERBS_TWO = ("put {} on {}", "insert {} into {}", "take {} from {}", "unlock {} with {}", "lock {} with {}")


@dataclass(frozen=True)
class Snapshot:
    location: str
    inventory: frozenset
    score: int
    won: bool
    lost: bool

    def differences(self, other: "Snapshot") -> list[str]:
        return [name for name in ("location", "inventory", "score", "won", "lost")
                if getattr(self, name) != getattr(other, name)]


@dataclass
class GameComparison:
    game: str
    steps: int = 0
    agreeing_steps: int = 0
    first_disagreement: dict | None = None
    ours_won: bool = False
    theirs_won: bool = False
    score: int = 0
    theirs_score: int = 0
    disagreements: list[dict] = field(default_factory=list)

    @property
    def full_agreement(self) -> bool:
        return self.steps == self.agreeing_steps


def _textworld_snapshot(state, ids: dict[str, str]) -> Snapshot:
    """TextWorld's facts name entities by their display names; `ids` maps those back to ids."""
    facts = state["facts"]
    location = next((f.arguments[1].name for f in facts if f.name == "at" and f.arguments[0].name == "P"), "?")
    inventory = frozenset(ids.get(f.arguments[0].name, f.arguments[0].name)
                          for f in facts if f.name == "in" and f.arguments[1].name == "I")
    return Snapshot(ids.get(location, location), inventory, int(state["score"]),
                    bool(state["won"]), bool(state["lost"]))


def _ids_by_name(game_json: dict) -> dict[str, str]:
    return {info["name"]: eid for eid, info in game_json["infos"] if info.get("name")}


def _our_snapshot(engine: Engine) -> Snapshot:
    state = engine.state
    inventory = frozenset(i for i, place in state.items.items() if place == CARRIED)
    return Snapshot(state.location, inventory, state.score, state.outcome == "won", state.outcome == "lost")


def textworld_walkthrough(z8_path: str | Path) -> list[str]:
    """The walkthrough exactly as TextWorld wrote it (the story's own may leave out no-op steps)."""
    game = read_game(Path(z8_path).with_suffix(".json"))
    return list((game.get("metadata") or {}).get("walkthrough") or [])


def start_textworld(z8_path: str | Path):
    import warnings

    import textworld

    infos = textworld.EnvInfos(facts=True, score=True, won=True, lost=True, admissible_commands=True,
                               entities=True)
    with warnings.catch_warnings():
        # jericho does not know tw-make's games, so it turns its own score tracking off and says so;
        # TextWorld tracks score, win and facts itself, which is what we compare against.
        warnings.filterwarnings("ignore", message=".*is not fully supported.*")
        return textworld.start(str(z8_path), request_infos=infos)


def compare_game(z8_path: str | Path, commands: list[str], story=None) -> GameComparison:
    """Play `commands` in both; stop at the first end of game (either side's)."""
    z8_path = Path(z8_path)
    story = story or load_textworld(z8_path.with_suffix(".json"))
    ids = _ids_by_name(read_game(z8_path.with_suffix(".json")))
    env = start_textworld(z8_path)
    try:
        infos = env.reset()
        engine = Engine(story)
        result = GameComparison(z8_path.stem)
        for step, command in enumerate(commands):
            infos, _, done = env.step(command)
            parsed = parse(story, engine.state, command)
            if parsed.action is not None:
                engine.perform(parsed.action)
            theirs, ours = _textworld_snapshot(infos, ids), _our_snapshot(engine)
            result.steps += 1
            diff = theirs.differences(ours)
            if diff:
                record = {"step": step, "command": command, "fields": diff,
                          "textworld": _show(theirs), "ours": _show(ours)}
                result.disagreements.append(record)
                result.first_disagreement = result.first_disagreement or record
            else:
                result.agreeing_steps += 1
            if done or engine.state.outcome != "playing":
                break
        result.ours_won, result.theirs_won = engine.state.outcome == "won", bool(infos["won"])
        result.score, result.theirs_score = engine.state.score, int(infos["score"])
        return result
    finally:
        env.close()


def _show(snapshot: Snapshot) -> dict:
    return {"location": snapshot.location, "inventory": sorted(snapshot.inventory), "score": snapshot.score,
            "won": snapshot.won, "lost": snapshot.lost}


def random_commands(z8_path: str | Path, steps: int, seed: int, admissible_share: float = 0.7) -> list[str]:
    """A random walk: mostly admissible commands (TextWorld's list at each step), the rest built from the
    game's nouns with any verb, so that refusals are compared too."""
    rng = random.Random(seed)
    env = start_textworld(z8_path)
    try:
        infos = env.reset()
        nouns = [n for n in infos["entities"] or [] if n not in ("north", "south", "east", "west")]
        commands = []
        for _ in range(steps):
            admissible = [c for c in infos["admissible_commands"] or [] if c not in ("look", "inventory")]
            if admissible and rng.random() < admissible_share:
                command = rng.choice(admissible)
            elif nouns and rng.random() < 0.5:
                command = f"{rng.choice(_VERBS_ONE)} {rng.choice(nouns)}"
            elif nouns:
                command = rng.choice(_VERBS_TWO).format(rng.choice(nouns), rng.choice(nouns))
            else:
                command = rng.choice(("go north", "go south", "go east", "go west"))
            commands.append(command)
            infos, _, done = env.step(command)
            if done:
                break
        return commands
    finally:
        env.close()
