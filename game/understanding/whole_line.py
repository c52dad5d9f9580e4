"""A line of several commands is understood whole before any of it is done.

"sell the bangle, buy the lamp, bounce": carried out one by one, the bangle and the gold would be gone
before the game found it does not know "bounce". So every command of the line is first resolved and
tried on a copy of the world (each one after the last, as they will be played: "go west and talk to the
elder" finds the elder there); if one of them is not understood, nothing is done and the player is asked
about that one, told what was understood.

What the engine refuses is not a misunderstanding: "take the key and open the door" with the door locked
still takes the key and then says why the door stays shut, as a game would.

Deliberately left out: lines with a meta command or words to a villager (they act on the game or the
village, not on a copy of the world), and the model (the copy is understood without it).
"""
from __future__ import annotations

import copy
from typing import Sequence

from game.understanding.addressing import Addressee
from game.understanding.intent import Context, Intent, resolve
from game.world.choices import Choice
from game.world.engine import Engine


def not_understood(parts: Sequence[str], engine: Engine, choices: list[Choice], context: Context,
                   villagers: Sequence[Addressee] = ()) -> Intent | None:
    """The question to ask instead of playing the line, or None when every part is understood (or the
    line has one part, a meta command or words to a villager)."""
    if len(parts) < 2:
        return None
    trial, memory = Engine(engine.story, engine.state.trial_copy()), copy.deepcopy(context)
    understood: list[str] = []
    for part in parts:
        # no model on the copy: its choice is never carried out (intent.MIN_PROBABILITY), so a part the model
        # would rank is not understood either way, and the line's model calls are not made twice
        intent = resolve(part, trial, choices, None, context=memory, villagers=villagers)
        if intent.talk is not None or intent.meta is not None:
            return None
        if intent.action is None:
            if not understood:
                return None  # the first part: played as it is, it asks by itself
            said = " ".join(part.split())
            return Intent("clarify", layer="ask", message=f"Nothing done yet: I understood "
                          f"{', then '.join(understood)}, but not \"{said}\". {intent.message}".strip())
            # no numbered options: they would name things of the copy, where the parts before had happened
        for action in [intent.action, *intent.also]:
            if trial.perform(action).refused:
                return None  # the engine will say why, after the parts before it are done
        understood.append(intent.action.phrase(engine.story))
    return None
