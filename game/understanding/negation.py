"""Negation: what a command says not to do.

"never mind" / "cancel" drop the command, "don't go north" / "I won't take the key" / "nah I'm not
selling the bangle" are acknowledged and never carried out, "no, the other door" asks which;
"don't forget to take the key" and "no, go west" are the command itself.

Left out: negation inside a longer sentence that also commands ("take the key, not the lamp"):
the splitter hands each part here on its own.
"""
from __future__ import annotations

from game.understanding.cleaning import clean
from game.understanding.normalise import strip_filler, without_tail
from game.understanding.senses import verb_lemmas

CANCEL = frozenset({
    "never mind", "nevermind", "nvm", "no idea", "no clue", "dunno", "i have no idea", "not sure", "im not sure",
    "cancel", "cancel that", "forget it", "forget that", "forget about it",
    "no thanks", "no thank you", "nope", "no", "nah", "abort", "scratch that", "changed my mind",
    "i changed my mind", "ive changed my mind", "i have changed my mind", "not now", "no way", "stop", "leave it",
    "i dont know", "no no", "never", "dont", "do not", "not", "not that", "not that one", "undo that",
    "im good", "im fine", "im ok", "im okay", "im alright", "all good", "no ta", "nah", "nah ta", "nah thanks",
})
# A deed said not to be done: nothing after these is ever carried out.
NOT_PREFIXES = tuple(sorted((
    "dont", "do not", "never", "i dont want to", "i do not want to", "dont want to", "i dont wanna", "i wont",
    "i will not", "i shall not", "i would rather not", "id rather not", "i d rather not", "rather not",
    "lets not", "let s not", "let us not", "better not", "i better not", "id better not", "i had better not",
    "no need to", "i shouldnt", "shouldnt", "we shouldnt", "i should not", "i must not", "i mustnt", "mustnt",
    "i refuse to", "i decide not to", "i choose not to", "not going to", "im not going to", "i am not going to",
    "im not gonna", "i am not gonna", "i dont", "i do not", "we dont", "please dont", "please do not",
    "stop", "wont", "will not", "do not ever", "dont ever", "never ever", "best not", "id best not",
    "on no account", "under no circumstances", "by no means", "in no way", "hold off on", "refrain from",
    "no point in", "theres no need to", "there is no need to", "no sense in",
), key=lambda p: -len(p)))
# Who says it, before a "not": "I'm not selling the bangle", "I shan't be going south", "we won't..."
_SUBJECTS = ("i am", "im", "i m", "i", "we are", "were", "we", "you are", "youre", "you")
_NEGATORS = ("not", "never", "shant", "shall not", "wont", "will not", "dont", "do not", "cant", "cannot",
             "shouldnt", "mustnt", "wouldnt")
_LEAD = ("no wait", "oh no", "wait", "no", "nope", "nah", "actually", "hmm", "um", "oh", "hold on", "hang on", "and",
         "ok", "okay", "sorry", "oops no", "whatever you do", "whatever happens", "just", "please")
_CANCEL_LEADS = ("no thanks", "no thank you", "never mind", "nevermind", "forget it", "forget that", "cancel that",
                 "scratch that", "i changed my mind", "ive changed my mind", "changed my mind", "no no")
_OTHER = frozenset({"other", "another", "different", "wrong", "else"})
_CORRECTING = frozenset({"no wait", "oh no", "wait", "no", "nope", "nah", "actually", "sorry", "oops no", "hold on",
                         "hang on"})


def negated(text: str) -> tuple[str, str] | None:
    """How a command says no: ("cancel", ""), ("not", DEED), ("other", WORDS) for "no, the other door",
    ("do", COMMAND) for "don't forget to COMMAND" or "no, COMMAND"; None when it says no such thing."""
    words = clean(text)
    lead = ""
    changed = True
    while changed:
        changed = False
        if words in CANCEL or without_tail(words) in CANCEL:  # "nah im good thx"
            return ("cancel", "")
        for phrase in _LEAD:
            if words.startswith(phrase + " "):
                words, lead, changed = words[len(phrase) + 1:], lead or phrase, True
                break
        for phrase in _CANCEL_LEADS:  # "no thanks, I won't buy anything"
            if words.startswith(phrase + " "):
                words, lead, changed = words[len(phrase) + 1:], lead or phrase, True
                break
    subject = next((f"{s} " for s in _SUBJECTS if words.startswith(f"{s} ")), "")
    negator = next((n for n in _NEGATORS if words[len(subject):].startswith(f"{n} ")), None)
    for prefix in NOT_PREFIXES + ((subject + negator,) if negator else ()):
        if words.startswith(prefix + " "):
            deed = strip_filler(words[len(prefix) + 1:])
            deed = deed[3:] if deed.startswith("be ") else deed  # "I shan't be going south"
            head, _, rest = deed.partition(" ")
            lemmas = verb_lemmas(head) if head.endswith("ing") else []
            deed = f"{lemmas[0]} {rest}".strip() if lemmas else deed  # "you don't go south"
            if deed.startswith(("forget to ", "forget about ")):  # "don't forget to take the key"
                return ("do", deed.split(" ", 2)[2]) if len(deed.split()) > 2 else None
            if deed.split()[:1] == ["need"] or (deed.split()[:1] == ["want"] and deed.endswith(
                    ("anymore", "any more", "any longer"))):  # "I don't need the key any more": the lexicon drops it
                return None
            return ("not", deed)
    head, _, rest = words.partition(" ")
    if lead in _CANCEL_LEADS and head.endswith("ing") and verb_lemmas(head):  # "never mind unlocking the door"
        return ("not", f"{verb_lemmas(head)[0]} {rest}".strip())
    if lead in _CORRECTING and _OTHER & set(words.split()):  # "oh great, another room" corrects nothing
        return ("other", words)
    if lead in ("no", "nope", "nah", "no wait", "oh no", "oops no") and words:
        return ("do", words)  # "no, go west": the player's correction is the command
    return None
