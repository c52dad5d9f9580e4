"""Per-tool few-shot prompts P(x) for sampling, in the paper's shape.

Each prompt explains the call syntax, shows demonstrations as Input/Output
pairs with the call inline (with its result, as the fine-tuning data will
have it) and ends with "Input: <x>\\nOutput:"; the sampler reuses the KV cache of
everything before the text. Demonstrations are in the game's style but use
other templates and numbers than the corpus.

Deliberately left out: prompts for Dice (random results cannot lower the
loss of the text, so the filter would never keep a Dice call).
"""
from __future__ import annotations

HEADER = ("Your task is to add calls to a {tool} API to a piece of text. The calls should help you get "
          "information required to complete the text. You can call the API by writing \"[{tool}({arg})]\" "
          "where \"{arg}\" is {what}. Here are some examples of API calls:\n\n")

DEMOS = {
    "Calculator": (
        "the arithmetic expression to compute",
        "expression",
        [
            ("The smith forges 6 blades a day, so in 14 days he forges 84 blades.",
             "The smith forges 6 blades a day, so in 14 days he forges [Calculator(6*14) -> 84] 84 blades."),
            ("Of the 250 gold in the chest, the guard took 75, which left 175 gold.",
             "Of the 250 gold in the chest, the guard took 75, which left [Calculator(250-75) -> 175] 175 gold."),
            ("Three sisters split 96 pearls, so each one gets 32 pearls.",
             "Three sisters split 96 pearls, so each one gets [Calculator(96/3) -> 32] 32 pearls."),
            ("The ferry took 38 goats and 47 sheep, a total of 85 animals.",
             "The ferry took 38 goats and 47 sheep, a total of [Calculator(38+47) -> 85] 85 animals."),
        ],
    ),
    "Calendar": (
        "empty: the API returns today's date",
        "",
        [
            ("The guard yawns: \"Today is Friday, June 9, 1204, and the gates close at dusk.\"",
             ("The guard yawns: \"Today is [Calendar() -> Today is Friday, June 9, 1204.] Friday, June 9, 1204, "
             "and the gates close at dusk.\"")),
            ("The scribe writes the date, Sunday, April 2, 1206, at the top of the letter.",
             ("The scribe writes the date, [Calendar() -> Today is Sunday, April 2, 1206.] Sunday, April 2, 1206, "
             "at the top of the letter.")),
        ],
    ),
    "LoreSearch": (
        "a few words to look up in the world's lore",
        "query",
        [
            ("The Amber Keep was founded by Queen Sorrel in the year 912.",
             ("The Amber Keep was founded by [LoreSearch(Amber Keep founded) -> Amber Keep: The Amber Keep was "
             "founded by Queen Sorrel in the year 912.] Queen Sorrel in the year 912.")),
            ("The blue lantern of the harbour is kept by the ferryman Tobin.",
             ("The blue lantern of the harbour is kept by [LoreSearch(blue lantern harbour) -> Blue Lantern: "
             "The ferryman Tobin keeps the blue lantern of the harbour.] the ferryman Tobin.")),
        ],
    ),
}

# The paper's per-tool sampling settings (Calculator: tau_s 0, k 20, m 10; others: 0.05, 5, 5), plus
# `min_sites`: the top-ranked positions sampled even when p_i <= tau_s. Calendar and LoreSearch rank their
# call site first at a low probability (the base model rarely writes " [" before a date), so with the paper's
# tau_s alone they were never sampled and never kept; one site per text keeps the cost at m samples.
# `fixed_input`: the tool takes no input, so its call at a site is known and not sampled (toolformer/sample.py).
SAMPLING = {
    # k 5, not the paper's 20: the answer's position is the top-ranked site in 88% of texts, and sampling costs
    # ~7 s a text at k 5 against ~68 s at k 20 on this CPU (the shipped adapter was made so)
    "Calculator": {"tau_s": 0.0, "k": 5, "m": 10, "max_new": 12, "min_sites": 0},
    "Calendar": {"tau_s": 0.05, "k": 5, "m": 5, "max_new": 4, "min_sites": 1, "fixed_input": ""},
    "LoreSearch": {"tau_s": 0.05, "k": 5, "m": 5, "max_new": 10, "min_sites": 1},
}


def sampling_for(tool: str, overrides: dict | None = None) -> dict:
    """The tool's settings: defaults, then overrides for every tool ({"k": 5}), then for this tool
    ({"Calendar": {"tau_s": 0.01}})."""
    overrides = overrides or {}
    common = {k: v for k, v in overrides.items() if not isinstance(v, dict)}
    return {**SAMPLING[tool], **common, **(overrides.get(tool) or {})}


TAU_F = {"Calculator": 0.5, "Calendar": 1.0, "LoreSearch": 1.0}


def prompt_prefix(tool: str) -> str:
    """P(x) up to (and including) "Input: " — the part shared by every text."""
    what, arg, demos = DEMOS[tool]
    head = HEADER.format(tool=tool, arg=arg, what=what)
    body = "".join(f"Input: {i}\nOutput: {o}\n\n" for i, o in demos)
    return head + body + "Input: "


def prompt_for(tool: str, text: str) -> tuple[str, str]:
    """(prefix that ends right before x in the Output line, x). The text is fed after "Output:"."""
    return prompt_prefix(tool) + text + "\nOutput:", " " + text
