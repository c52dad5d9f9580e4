"""The verb lexicon: every way a player may say each of the engine's verbs.

One table, keyed by the engine's own action catalogue (`game.world.events.VERBS`):
for each verb its plain synonyms ("grab" -> take) and its frames, whole
sentence shapes with slots that rewrite into the parser's canonical command
("use {y} to unlock {x}" -> "unlock {x} with {y}"). A new verb or phrasing is
one entry here; a story adds its own verb synonyms in YAML (`Story.verbs`).

Frame patterns are lowercase words over the normalised input (game.understanding.normalise):
  {x} {y}   a noun phrase (resolved later by the parser against what is here)
  {d}       a direction word ("north", "n", "in", "up"...)
  {w}       free words (a riddle answer, a topic)
  (a|b)     alternatives;  [a]  an optional word or phrase
The parser (game.understanding.parser) still resolves every noun and refuses what is not
here: a frame only changes word order and vocabulary, never the meaning.

Deliberately left out: verbs the engine has no rule for (give, push, burn,
break...): they are left unknown so that the layer above asks back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "up", "down",
              "in", "out")
DIRECTION_WORDS = {
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast", "nw": "northwest",
    "se": "southeast", "sw": "southwest", "u": "up", "d": "down", "north": "north", "south": "south",
    "east": "east", "west": "west", "northeast": "northeast", "northwest": "northwest", "southeast": "southeast",
    "southwest": "southwest", "up": "up", "down": "down", "in": "in", "inside": "in", "out": "out",
    "outside": "out", "upstairs": "up", "downstairs": "down",
}

# engine verb -> plain verb phrases that mean it (the longest phrase at the start of a command wins).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "take": ("take", "get", "grab", "snag", "gimme", "pick up", "collect", "pocket", "snatch", "nab", "fetch",
             "acquire", "obtain", "lift", "pluck", "scoop up", "gather", "retrieve", "steal", "carry", "hold",
             "yoink", "nick", "hoover up", "swipe", "bag", "pinch", "want", "pickup", "withdraw"),
    "drop": ("drop", "let go of", "put down", "discard", "set down", "lay down", "leave", "throw away", "toss", "ditch",
             "get rid of", "dump", "throw down", "release"),
    "put": ("put", "place", "insert", "set", "lay", "stick", "slot", "rest", "stuff", "slide"),
    "examine": ("examine", "x", "exa", "exam", "ex", "look at", "inspect", "check", "study", "describe",
                "look closely at", "take a look at", "have a look at", "observe", "view", "search", "look over",
                "peer at",
                "look in", "look inside", "peek in", "peek into", "look into", "check out", "watch", "see",
                "investigate", "scrutinize", "scrutinise", "eye", "peep", "clock", "eyeball", "have a butchers at",
                "have a gander at", "have a squiz at", "have a dekko at", "have a peek at", "take a peek at"),
    "look": ("look", "l", "look around", "look about", "glance around", "survey", "take a look around",
             "have a look around", "look round", "have a look round"),
    "inventory": ("inventory", "inv", "i", "check inventory", "check my inventory"),
    "read": ("read", "peruse", "decipher", "consult"),
    "open": ("open", "open up", "pry open", "prise open", "unfasten", "unbuckle", "undo"),
    "close": ("close", "shut", "seal", "fasten", "buckle"),
    "unlock": ("unlock", "unbolt", "unlatch"),
    "lock": ("lock", "secure", "bolt", "latch"),
    "eat": ("eat", "feast on", "dine on", "consume", "devour", "gobble", "gobble up", "scoff", "wolf down",
            "polish off", "munch", "bite", "taste", "swallow", "nibble", "chew", "chow down on", "snack on",
            "finish off", "tuck into"),
    "drink": ("drink", "sip", "gulp", "quaff", "slurp", "swig"),
    "cut": ("slice", "dice", "chop"),
    "cook": ("cook", "roast", "fry", "grill", "bake", "heat", "toast", "boil"),
    "prepare": ("prepare meal", "prepare", "make meal", "make the meal", "make a meal", "cook meal",
                "cook a meal", "cook the meal", "make dinner", "make food", "make a food", "make the food",
                "make some food", "cook dinner", "follow the recipe", "follow recipe", "whip up"),
    "light": ("light", "lite", "ignite", "kindle", "turn on", "switch on", "light up", "fire up", "set alight",
              "spark up", "spark"),
    "extinguish": ("extinguish", "douse", "blow out", "put out", "turn off", "switch off", "snuff", "snuff out"),
    "buy": ("buy", "purchase", "pay for", "shop for"),
    "sell": ("sell", "trade", "flog", "pawn"),
    "talk": ("talk to", "talk with", "speak to", "speak with", "talk", "greet", "ask", "chat with", "chat to",
             "have a word with", "have a chat with", "have a talk with", "strike up a conversation with",
             "say hello to", "say hi to", "hail", "address", "converse with", "question", "tell", "hello",
             "hi", "wave to", "have a chinwag with", "have a natter with", "natter with", "natter to",
             "chinwag with", "holla at", "chat up"),
    "answer": ("answer", "say", "reply", "shout", "whisper", "speak", "utter", "respond", "yell", "call out",
               "cry", "guess"),
    "wait": ("wait", "z", "rest", "sleep", "pause", "sit", "relax", "wait a bit", "wait a while", "wait for a while",
             "kill time", "bide my time", "pass time", "pass some time", "take a break", "take a nap", "nap",
             "chill", "afk", "bide our time", "bide time", "hang about", "hang around"),
    "lore": ("lore", "recall", "remember", "consult lore about"),
    "go": ("go", "walk", "run", "head", "move", "climb", "travel", "enter", "go to", "walk to", "go through",
           "push through", "pass through", "squeeze through", "step through", "slip through",
           "step", "proceed", "stroll", "wander", "march", "hurry", "dash", "jog", "sprint", "venture", "journey",
           "make way", "make your way", "make my way", "return", "go back", "head back", "walk back", "leave for",
           "visit", "crawl", "sneak", "hike", "follow", "take the path", "take path"),
    "go out": ("exit", "leave the room", "get out", "go outside", "bounce", "scram", "skedaddle", "leg it",
               "make tracks", "clear off", "head off", "split"),
    "go down": ("descend", "climb down", "go downstairs"),
    "go up": ("ascend", "climb up", "go upstairs"),
}

# Whole-sentence shapes, first match wins within the list order; canonical text on the right.
FRAMES: tuple[tuple[str, str], ...] = (
    # taking things out of other things
    ("(remove|take|get|grab|pull|fish|pick|lift|collect|retrieve|fetch) {x} (out of|out from inside|out from|"
     "from inside|from within|from|off|off of|outta) {y}", "take {x} from {y}"),
    ("(take|get|grab) {x} (in|inside) {y}", "take {x} from {y}"),
    ("(take|get|grab|want|remove) {x} (thats|that is|which is|that s) (in|inside|on|from) {y}", "take {x} from {y}"),
    ("(take|get|grab|remove|pull) {x} out {y}", "take {x} from {y}"),  # "take knife out counter"
    ("{x} (from|out of) {y}", "take {x} from {y}"),  # no verb: only taking moves a thing out of another
    ("from {y} (take|get|grab|remove|fetch|retrieve) {x}", "take {x} from {y}"),
    ("(take|get|grab|remove) (from|out of) {y} (the|a|an|my) {x}", "take {x} from {y}"),
    ("take in (hand|hands|my hand|my hands) {x}", "take {x}"),
    ("(take|get|grab|pull|fish|pick|lift) out {x} from {y}", "take {x} from {y}"),
    ("(pick|lift|scoop|snatch) {x} up", "take {x}"),
    ("(pick|lift|scoop) up {x}", "take {x}"),
    ("(take|get|grab|pull|fish) out {x}", "take {x}"),
    ("(take|get|grab|pull|fish|remove) {x} out", "take {x}"),
    ("remove {x}", "take {x}"),
    # keys and locks
    ("use {y} to (unlock|open) {x}", "unlock {x} with {y}"),
    ("use {y} (on|in|with) {x}", "unlock {x} with {y}"),
    ("(unlock|unbolt) {x} (with|using|by using|by|by means of) {y}", "unlock {x} with {y}"),
    ("(turn|put|stick|insert) {y} in {x} to unlock it", "unlock {x} with {y}"),
    ("(turn|put|stick|insert) {y} in {x} to lock it", "lock {x} with {y}"),
    ("(stick|put|insert|slide) {y} (in|into) {x} and turn it", "unlock {x} with {y}"),
    ("(with|using) {y} (unlock|open) {x}", "unlock {x} with {y}"),
    ("(with|using) {y} lock {x}", "lock {x} with {y}"),
    ("(get|have) {x} unlock (with|using) {y}", "unlock {x} with {y}"),  # "unlocked" after the normaliser
    ("(get|have) {x} lock (with|using) {y}", "lock {x} with {y}"),
    ("open {x} (with|using) {y}", "unlock {x} with {y}"),
    ("(open|undo) the lock (of|on) {x} (with|using) {y}", "unlock {x} with {y}"),
    ("(put|stick|insert|slide|fit|turn) {y} (in|into) {x} (lock|keyhole)", "unlock {x} with {y}"),
    ("(put|stick|insert|turn|try) {y} in the lock (of|on) {x}", "unlock {x} with {y}"),
    ("use {y} to lock {x}", "lock {x} with {y}"),
    ("{y} (unlock|unlocks) {x}", "unlock {x} with {y}"),  # speedrun order: "latchkey unlock safe"
    ("{y} (lock|locks) {x}", "lock {x} with {y}"),
    ("lock {x} (with|using|by using|by|by means of) {y}", "lock {x} with {y}"),
    # opening and closing
    ("(pull|pry|prise|prize|swing|push|force|yank|throw|lift|flip) {x} open", "open {x}"),
    ("(pull|pry|prise|prize|swing|push|force|yank|throw|flip|lift|pop|crack) open {x}", "open {x}"),
    ("(lift|raise|open|take|pull|prise|pry) the lid (of|on|off|off of) {x}", "open {x}"),
    ("(undo|unbuckle|unfasten|open) the (buckles|buckle|straps|strap|clasp|clasps|latch|ties) (on|of) {x}",
     "open {x}"),
    ("(push|pull|swing|slam|bang|kick|snap) {x} (shut|closed)", "close {x}"),
    ("(push|pull|swing|slam|snap) (shut|closed) {x}", "close {x}"),
    # cutting and cooking with a tool named first
    ("use {y} to slice {x}", "slice {x} with {y}"),
    ("use {y} to dice {x}", "dice {x} with {y}"),
    ("use {y} to (chop|mince) {x}", "chop {x} with {y}"),
    ("(cube|dice) {x} (with|using) {y}", "dice {x} with {y}"),
    ("(mince|chop) {x} (with|using) {y}", "chop {x} with {y}"),
    ("use {y} to (cook|roast|fry|grill|bake|heat) {x}", "cook {x} with {y}"),
    ("(cook|roast|fry|grill|bake|heat|prepare) {x} (in|on|with|using) {y}", "cook {x} with {y}"),
    ("(put|place|set|lay|pop) {x} (on|in|into|onto) {y} (to|and) (cook|roast|bake|fry|heat|grill) [it]",
     "cook {x} with {y}"),
    ("(put|get|make|cook|fix|assemble|throw) [the|a|my] (meal|dinner|food|dish|recipe) together", "prepare meal"),
    ("(cut|chop|hack|slice|carve) {x} into [thin] slices (with|using) {y}", "slice {x} with {y}"),
    ("(cut|chop|hack|carve) {x} (into|in|to) (chunks|pieces|bits|hunks) (with|using) {y}", "chop {x} with {y}"),
    ("(chop|hack|cut) up {x} (with|using) {y}", "chop {x} with {y}"),
    ("dice up {x} (with|using) {y}", "dice {x} with {y}"),
    ("slice up {x} (with|using) {y}", "slice {x} with {y}"),
    ("(cut|chop|hack|carve) {x} into [small|little|tiny] (cubes|dice) (with|using) {y}", "dice {x} with {y}"),
    ("(cut|make|carve) [thin] slices (of|from) {x} (with|using) {y}", "slice {x} with {y}"),
    ("(cut|make) [small|little|tiny] (cubes|dice) (of|from|out of) {x} (with|using) {y}", "dice {x} with {y}"),
    ("(cut|make|hack) (chunks|pieces|bits|hunks) (of|from|out of) {x} (with|using) {y}", "chop {x} with {y}"),
    ("(get|make) {x} ready", "prepare meal"),
    ("get {x} (going|lit|burning)", "light {x}"),
    ("(spark|fire|light) {x} up", "light {x}"),
    ("have {x} for [a] (snack|dinner|lunch|breakfast|supper|tea)", "eat {x}"),
    ("give {x} a (once over|look|glance|look over|good look)", "examine {x}"),
    ("give {x} a read", "read {x}"),
    ("(get|make) {x} open", "open {x}"),
    ("(get|make) {x} (shut|closed)", "close {x}"),
    ("lock {x} back up (with|using) {y}", "lock {x} with {y}"),
    ("i (dont|do not) need {x} (anymore|any more|now)", "drop {x}"),
    ("{x} (goes|go|belongs|belong) (on|onto|on top of) {y}", "put {x} on {y}"),
    ("{x} (goes|go|belongs|belong) (in|into|inside) {y}", "put {x} in {y}"),
    ("(put|pop|stick|shove|slip|tuck|stash|stuff) {x} (in|into) (my|your|the) (pocket|pockets|bag|pack|backpack|"
     "rucksack|satchel|inventory)", "take {x}"),
    # putting down
    ("(put|set|lay|place|leave|drop) {x} down", "drop {x}"),
    ("(drop|put|set|lay|place|leave|throw|toss) {x} (on|onto|to) [the] (floor|ground)", "drop {x}"),
    ("(put|set|lay|place) {x} down (on|onto) [the] (floor|ground)", "drop {x}"),
    ("(set|put|lay|place|plonk|pop|stick) {x} down (on top of|onto|upon|on) {y}", "put {x} on {y}"),
    ("(set|put|lay|place) {x} down (into|inside|in) {y}", "put {x} in {y}"),
    # putting
    ("(put|place|set|lay|rest|stand|drop|leave|stick|slot|slide) {x} (on top of|onto|upon|atop|on) {y}",
     "put {x} on {y}"),
    ("(put|place|insert|stuff|slip|slide|drop|stick|slot|tuck|pop|shove|store|stash|hide|leave) {x} "
     "(in|into|inside|in to) {y}", "put {x} in {y}"),
    # questions
    ("(whats|what is|what s|what are|whats inside|what is inside|what s inside) (in|inside|on|on top of) {x}",
     "examine {x}"),
    ("(whats|what is) inside {x}", "examine {x}"),
    ("(what does|whats|what s|what do) {x} say", "read {x}"),
    ("(what is|whats|what s) written (on|in|under|upon|inside) {x}", "read {x}"),
    ("is there (anything|something|stuff|much) (in|inside|on|under|within) {x}", "examine {x}"),
    ("(whats|what is|what s) around (me|us|here)", "look"),
    ("(let|allow) [some] time (pass|go by|go past)", "wait"),
    ("what (does|do) {x} (sell|have|offer|know|want|think|do|buy|trade|need|pay for|deal in)", "talk to {x}"),
    # the trader here, unnamed: "what's for sale?", "what do you sell?" (game.understanding.intent names who it is)
    ("((whats|what is|what s|anything) (for sale|on sale|on offer)|what (do|does) (you|she|he|they) "
     "(sell|have|offer|buy|trade|deal in)|what can i (buy|get|sell|purchase)|(show|list) [me] (your|the) "
     "(wares|goods|stock|prices)|what (have|do|did) (you|u) got|what (you|u) got|what (have|do|did) (you|u) got "
     "for sale|what (you|u) got for sale)", "talk to seller"),
    ("what (does|do) {x} (show|depict|mean|represent|look like|portray|say about)", "examine {x}"),
    ("(where|which way|which ways) can (i|we) (go|go from here|go now|go next|go to)", "look"),
    ("(what are the exits|what exits are there|which exits are there|what ways are there|where are the exits|"
     "list [the] exits|show [me] [the] exits|exits|what exits|any exits)", "look"),
    ("(take|have) a [quick|good|little|brief|short|careful] look (around|round|about|around here|round here|"
     "about here|around the room|around the place)", "look"),
    ("(take|have) a [quick|good|little|brief|short|careful|close|closer] look at {x}", "examine {x}"),
    ("(wait|rest|pause|linger|stay|sit) [here|there|around] [for] [a|an|one] (bit|while|moment|minute|second|"
     "few minutes|little while|turn|little)", "wait"),
    ("(take|bring|lead|guide|get) (me|us) (to|towards|toward|into|over to) {x}", "go {x}"),
    ("(reach|grab|go|stretch|lunge) for {x}", "take {x}"),
    ("what (is|does|do) (written|it say|they say) on {x}", "read {x}"),
    ("what (it|they) (say|says) on {x}", "read {x}"),
    ("(try|test) {y} (in|on) {x}", "unlock {x} with {y}"),
    ("[see|check|test|find out] (if|whether) {y} [actually|really] (fits|opens|unlocks|works on) {x}",
     "unlock {x} with {y}"),
    ("(would|does|will|can|could) {y} (fit|open|unlock|work on) {x}", "unlock {x} with {y}"),
    ("(look|peek|peer|glance) (in|inside|into|at|under|behind|through|down|over) {x}", "examine {x}"),
    ("(what|how) (is|does|are) {x} (look like|like)", "examine {x}"),
    ("(what|who) is {x}", "examine {x}"),
    ("(whats|what is|what s) {x} [all] about", "read {x}"),
    ("(whos|who s|whats|what s) {x}", "examine {x}"),
    ("tell me about {x}", "examine {x}"),
    ("(what am i|what im|what are we) (carrying|holding|wearing)", "inventory"),
    ("what (do i|have i) (have|got|carry|hold)", "inventory"),
    ("(whats|what is|what s) in my (bag|pack|backpack|pockets|pocket|satchel|inventory|hands|hand)",
     "inventory"),
    ("(whats|what is|what s) in (the|your|our) (bag|pack|backpack|pockets|pocket|satchel)", "inventory"),
    ("(check|show|list|open) my (bag|pack|backpack|pockets|stuff|things|items|belongings|inventory|gear)",
     "inventory"),
    ("(where am i|where are we|whats here|what is here|what s here|what do i see|what can i see|who is here|"
     "whos here|look around|describe the room|describe this place|where is this)", "look"),
    # people
    ("(ask|question) {x} (about|for|regarding) {w}", "talk to {x}"),
    ("tell {x} about {w}", "talk to {x}"),
    ("(say|wave) (hello|hi|hey|goodbye|bye) to {x}", "talk to {x}"),
    ("(hello|hi|hey|greetings|good morning|good day) {x}", "talk to {x}"),
    ("(buy|purchase|get) {x} from {y}", "buy {x}"),
    ("(sell|trade|offer) {x} to {y}", "sell {x}"),
    ("(hand|give) {x} over [to {y}] [for (gold|money|coins|cash|coin)]", "sell {x}"),
    ("sell me {x}", "buy {x}"),
    ("(sell|trade|offer|hand over|give|swap) {x} [to {y}] for (gold|money|coins|cash|coin|a price|some gold)",
     "sell {x}"),
    ("(pay|give|hand|offer) {y} for {x}", "buy {x}"),
    # riddles
    ("(the answer is|my answer is|answer is|i answer|i say|i think its|i think it is|i think it s|i guess its|"
     "i guess it is|maybe its|maybe it is|perhaps its|perhaps it is|it must be|it is|its|it s|is it|"
     "could it be|the solution is|solution is|my guess is|i guess|my answer would be|i would say|id say|i d say|"
     "the answer must be|the answer should be|answer must be|the answer would be|you are|you must be|"
     "thats|that s|that is|must be|it has to be|has to be|surely its|surely it is|i bet its|i bet it is|"
     "i reckon its|i reckon it is|i believe its|i believe it is|i know its|i know it is|would it be|"
     "id hazard a guess that its|id hazard a guess its|i would hazard a guess that its|"
     "i d hazard a guess that its) {w}",
     "answer {w}"),
    ("{w} is the answer", "answer {w}"),
    ("{w} (like|as in) {x}", "answer {w}"),  # "hay like horses eat", "a cloud like in the sky"
    ("(say|shout|whisper|tell|answer|reply|speak|call) {w} to [the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice|it)", "answer {w}"),
    ("(tell|answer|say to|whisper to|shout to) [the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice) (with|:) [the word] {w}", "answer {w}"),
    ("(tell|answer|say to|whisper to|shout to) [the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice) {w}", "answer {w}"),
    ("(answer|reply|respond) with [the word] {w}", "answer {w}"),
    ("(tell|answer) it {w}", "answer {w}"),
    ("is the answer {w}", "answer {w}"),
    # movement
    ("(go|walk|head|move|run|travel|step|climb|wander|stroll|venture|proceed|march|make my way) "
     "(back )?(to the |towards the |toward the )?{d}", "go {d}"),
    ("(go|walk|head|move|run|travel|step|wander|stroll|venture|proceed|march|carry on|nip|pop) (in|into|inside|"
     "through|to|towards|toward|over to|back to|across to|along) {x}", "go {x}"),
    ("(go|walk|head|run|climb|nip|pop|hop|step) [back] {d} (the|those|these) (stairs|steps|staircase|ladder)",
     "go {d}"),
    ("(go|head|walk|pop|nip|run|wander) [and|to|over to|over and] (see|visit|check out|check|meet|find|look at|"
     "explore) {x}", "go {x}"),
    ("(see|visit|meet|find|check out) {x}", "go {x}"),  # someone elsewhere: go where they are
    ("(take|lead|bring|carry|get) me [back] [to the|towards the|toward the|to] {d}", "go {d}"),
    ("(take|lead|bring|carry|get) me (to|into|over to|back to|towards|toward) {x}", "go {x}"),
    ("[go|walk|head|run|take me|get me] [to|over to|back to] where [the] {x} (is|are|live|lives|sleep|sleeps|stay|"
     "stays|be)", "go {x}"),
    ("(pay|make) {x} a visit", "go {x}"),
    ("(take|use|go through) [the] (exit|door|way|passage|path|doorway) [to|towards|toward|leading|going] [the] {d}",
     "go {d}"),
    ("(take|use|go through) [the] {d} (exit|door|way|passage|path|doorway)", "go {d}"),
    ("(leave|exit) [the] (room|house|building|place|area|here|this place|stables|bazaar|market)", "go out"),
    ("(leave|exit|get out|go outside|head out|walk out|climb out)", "go out"),
    ("(get|climb|go|step|walk|head) (in|inside)", "go in"),
    ("((go|head|walk|turn|run|come|hurry) back|return|retrace my steps|go back the way i came)", "go back"),
    ("[now] [do] [the] same (with|for|to) {x}", "same with {x}"),
    ("pick [the] lock", "unlock"),
    ("pick [the] lock (of|on) {x}", "unlock {x}"),
    ("(do nothing|hold on|hang on|stay here|stay put|stand still|wait here)", "wait"),
    ("(hang on|hold on|wait|give me|gimme) [a] (tick|sec|second|minute|min|moment|mo|jiffy)", "wait"),
    ("describe (my|the|our) surroundings", "look"),
    ("describe (this|the) (room|place|area|spot)", "look"),
    ("(leave|exit|get out of|walk out of|go out of|step out of) {x}", "go out of {x}"),
    ("(sell|give|offer|trade) (you|him|her|them) {x}", "sell {x}"),
    ("(give|offer|hand|pass) {y} {x} (for|in exchange for|in return for) [some|a few|a bit of] (gold|money|coin|coins|"
     "cash|payment|silver)", "sell {x} to {y}"),
    ("(give|offer|hand|pass) {x} to {y} (for|in exchange for|in return for) [some|a few|a bit of] (gold|money|coin|"
     "coins|cash|payment|silver)", "sell {x} to {y}"),
    ("palm {x} off (on|onto) {y}", "sell {x}"),
)

_PARTICLES = frozenset({"at", "in", "into", "inside", "under", "over", "through", "around", "round", "about", "up",
                        "down", "out", "to", "with", "on", "off", "closely"})
_SLOTS = {"x": r"(?P<x>.+?)", "y": r"(?P<y>.+?)", "w": r"(?P<w>.+?)",
          "d": "(?P<d>" + "|".join(sorted(DIRECTION_WORDS, key=len, reverse=True)) + ")"}


@dataclass(frozen=True)
class Frame:
    pattern: str
    canonical: str
    regex: re.Pattern

    def rewrite(self, text: str) -> str | None:
        match = self.regex.match(text)
        if match is None:
            return None
        slots = {k: v.strip() for k, v in match.groupdict().items() if v is not None}
        if "d" in slots:
            slots["d"] = DIRECTION_WORDS[slots["d"]]
        return self.canonical.format(**slots)


def _longest_first(match: re.Match) -> str:
    """'(on|on top of)' -> '(on top of|on)': the regex takes the first alternative that fits."""
    return "(" + "|".join(sorted(match.group(1).split("|"), key=len, reverse=True)) + ")"


def compile_pattern(pattern: str) -> re.Pattern:
    """Frame syntax -> an anchored regex over normalised text (single spaces, lowercase)."""
    out = re.sub(r"\(([^()\[\]{}]*)\)", _longest_first, pattern)
    out = re.sub(r"\[([^()\[\]{}]*)\]", lambda m: "[" + _longest_first(m)[1:-1] + "]", out)
    # an optional part at the start carries the space after it ("[now] [do] the same"), any other one the
    # space before it ("over [to {y}] [for gold]"), so optional parts in a row, or at the end, still match
    lead = re.match(r"(?:\[[^\[\]]*\] )*", out).group(0)
    rest = re.sub(r" \[([^\[\]]*)\]", "\x04\\1\x05", out[len(lead):])
    out = re.sub(r"\[([^\[\]]*)\] ", "\x02\\1\x03", lead) + rest
    out = out.replace("[", "(?:(?:").replace("]", "))?")
    out = out.replace("\x02", "(?:(?:").replace("\x03", ")\x06)?").replace("\x04", "(?:\x06(?:").replace("\x05", "))?")
    out = re.sub(r"\((?!\?)", "(?:", out)
    out = re.sub(r"\{(\w)\}", lambda m: _SLOTS[m.group(1)], out)
    out = out.replace(" ?", "\\s*").replace(" ", "\\s+").replace("\x06", "\\s+")
    return re.compile("^" + out + "$")


@lru_cache(maxsize=1)
def frames() -> tuple[Frame, ...]:
    return tuple(Frame(p, c, compile_pattern(p)) for p, c in FRAMES)


def verb_synonyms(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Player verb phrase -> engine verb (or "go out" style fixed moves); a story's own entries win."""
    table = {phrase: verb for verb, phrases in SYNONYMS.items() for phrase in phrases}
    table.update(extra or {})
    return table


@lru_cache(maxsize=8192)
def verbs_for_word(word: str) -> frozenset[str]:
    """Every engine verb a single word can stand for ("grab" -> {take}); empty for non-verbs.

    A word that is a verb by itself means only that ("take", never examine for being the start of
    "take a look at"); other words count by the phrases and frames they begin ("pick" -> take)."""
    table = verb_synonyms()
    alone = {table[word].split()[0]} if word in table else set()
    if alone:  # and the particle verbs it starts: "look" -> look, and examine for "look at"
        alone |= {verb.split()[0] for phrase, verb in table.items()
                  if phrase.split()[0] == word and set(phrase.split()[1:]) <= _PARTICLES}
        return frozenset(alone)
    found: set[str] = set()
    for phrase, verb in table.items():
        if phrase.split()[0] == word:
            found.add(verb.split()[0])
    for pattern, canonical in FRAMES:
        first = re.findall(r"[a-z]+", pattern.split()[0])
        if word in first:
            verb = canonical.split()[0]
            found.add(table.get(verb, verb).split()[0])
    return frozenset(found)
