"""How much of what a player types each part of the game keeps: the input-length limits, in one place.

A player can type (or paste) anything; these bound what is echoed, stored in a
save or a villager's memory, or sent to the model, so one long line never
bloats a save or a prompt. Each is a count of characters.

Deliberately left out: limits on files (each format caps its own bytes:
game.stories.loader, agent.villagers.script) and on the model's output.
"""
from __future__ import annotations

SHOWN_INPUT_CHARS = 200  # the player's line as a turn records and shows it
RANKED_INPUT_CHARS = 200  # the words the model reads when it ranks actions (game.understanding.ranking)
META_ARGUMENT_CHARS = 300  # a save name or transcript path after `save` / `load` / `transcript`
RIDDLE_ANSWER_SHOWN_CHARS = 40  # a wrong riddle answer, as the refusal echoes it
VILLAGER_QUESTION_CHARS = 300  # what a villager is asked (and remembers being asked)
WITNESSED_CHARS = 300  # what a villager remembers seeing of one turn
MAX_NAME_CHARS = 30  # "NAME, question": how long a name said before the comma may be
