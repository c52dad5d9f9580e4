"""The check a real-model narration test makes on what reached the player: every shown sentence is backed."""
from __future__ import annotations

from game.narration import grounding as g


def assert_every_shown_sentence_is_backed(narration, story, events, state, lexicon) -> None:
    """Re-run the grounding check on the shown text, sentence by sentence, with what came before it."""
    facts = g.build_facts(story, events, state, lexicon)
    earlier: list[str] = []
    for sentence in g.split_sentences(narration.text + " ")[0]:
        assert g.check_sentence(sentence, facts, earlier, lexicon) is None, (sentence, narration.rejected)
        earlier.append(sentence)
