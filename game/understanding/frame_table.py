"""The frame table: whole-sentence shapes and the plain command each one means.

Each entry is (pattern, canonical command); game.understanding.lexicon compiles the patterns and
explains their syntax ({x} {y} noun phrases, {d} a direction, {w} free words, (a|b) alternatives,
[a] optional). First match wins within the list order. Data only: nothing here runs.
"""
from __future__ import annotations

# verbs that take a thing out of or off another (a frame's alternatives: "(" + _TAKING + ")")
_TAKING = ("remove|take|get|grab|pull|fish|pick|lift|collect|retrieve|fetch|withdraw|extract|procure|acquire|claim|"
           "nab|snatch|snatch up|swipe|pluck|snag|scoop|scoop up|gather|pocket|steal|pinch|nick|seize|salvage|rescue|"
           "clear|grab up|pick up|take back|get back")

# Whole-sentence shapes, first match wins within the list order; canonical text on the right.
FRAMES: tuple[tuple[str, str], ...] = (
    # taking things out of other things
    ("(" + _TAKING + ") {x} (out of|out from inside|out from|"
     "from inside of|from inside|from within|from|off|off of|outta) {y}", "take {x} from {y}"),
    ("(take|get|grab) {x} (in|inside) {y}", "take {x} from {y}"),
    ("(take|get|grab|want|remove) {x} (thats|that is|which is|that s) (in|inside|on|from) {y}", "take {x} from {y}"),
    ("(" + _TAKING + ") {x} [that|which] [is] (rest|rests|resting|"
     "sit|sits|sitting|lie|lies|lying|stand|stands|standing) (on|in|inside|upon|atop) {y}", "take {x} from {y}"),
    ("(empty|relieve|clear|rid|strip|divest|lighten) {y} of [its|their|the|his|her] {x}", "take {x} from {y}"),
    ("help (myself|ourselves) to {x} (in|on|from|inside|out of|off) {y}", "take {x} from {y}"),
    ("help (myself|ourselves) to {x}", "take {x}"),
    ("(reach|dig|feel|root|fish|rummage|delve|rifle|poke|grope) [around|about] (in|into|inside|through) {y} "
     "(for|to get|to grab|to take) {x}", "take {x} from {y}"),
    ("(reach|dig|feel|root|fish|rummage|delve|rifle|poke|grope) [around|about] (in|into|inside|through) {y} and "
     "(take|grab|get|pull out|fish out|take out|pick up|pull|fish) {x} [out]", "take {x} from {y}"),
    ("(take|get|grab|remove|pull) {x} out {y}", "take {x} from {y}"),  # "take knife out counter"
    ("{x} (from|out of) {y}", "take {x} from {y}"),  # no verb: only taking moves a thing out of another
    ("from {y} (take|get|grab|remove|fetch|retrieve) {x}", "take {x} from {y}"),
    ("(take|get|grab|remove) (from|out of) {y} (the|a|an|my) {x}", "take {x} from {y}"),
    ("(take|get|grab|remove) (from|out of) {y} {x}", "take {x} from {y}"),  # "take from dresser butterfly"
    ("take in (hand|hands|my hand|my hands) {x}", "take {x}"),
    ("(give|hand|pass) me {x} (from|out of|in|inside|on) {y}", "take {x} from {y}"),  # the game gives nothing
    ("(give|hand|pass) me {x}", "take {x}"),
    ("(take|get|grab|pull|fish|pick|lift) out {x} from {y}", "take {x} from {y}"),
    ("(pick|lift|scoop|snatch) {x} up", "take {x}"),
    ("(pick|lift|scoop) {x} up (out of|from|off|from inside) {y}", "take {x} from {y}"),
    ("(pick|lift|scoop) up {x}", "take {x}"),
    ("(take|get|grab|pull|fish) out {x}", "take {x}"),
    ("(take|get|grab|pull|fish|remove) {x} out", "take {x}"),
    ("remove {x}", "take {x}"),
    ("(bring|take|carry|haul|lug) {x} (along|with me|along with me|with us|along with us)", "take {x}"),
    ("(lay|get|put) [my|our] hands on {x}", "take {x}"),
    ("(add|put|place|move|stick|slip) {x} (to|in|into|among) [my|the|our] (inventory|possessions|belongings|stuff|"
     "things|kit|gear)", "take {x}"),
    ("{x} (is|are) (mine|ours) [now|from now on]", "take {x}"),
    ("(got to|gotta|have to|must|need to|i must|i need to|i have to|i ve got to|ive got to) have {x}", "take {x}"),
    # keys and locks
    ("(use|using|employ|utilise|utilize) {y} to (unlock|open) {x}", "unlock {x} with {y}"),
    ("(use|drag|apply) {y} (on|in|with|onto) {x} (to|and) (unlock|open) [it|them|that]", "unlock {x} with {y}"),
    ("(use|drag|apply) {y} (on|in|with|onto) {x} (to|and) lock [it|them|that]", "lock {x} with {y}"),
    ("(use|drag|apply) {y} (on|onto|with) {x} (to|and) slice [it|them|that] [up]", "slice {x} with {y}"),
    ("(use|drag|apply) {y} (on|onto|with) {x} (to|and) dice [it|them|that] [up]", "dice {x} with {y}"),
    ("(use|drag|apply) {y} (on|onto|with) {x} (to|and) (chop|mince|cut) [it|them|that] [up]", "chop {x} with {y}"),
    ("use {y} (on|in|with) {x}", "unlock {x} with {y}"),
    ("(unlock|unbolt) {x} (with|using|by using|by|by means of) {y}", "unlock {x} with {y}"),
    ("(turn|put|stick|insert) {y} in {x} to unlock it", "unlock {x} with {y}"),
    ("(turn|put|stick|insert) {y} in {x} to lock it", "lock {x} with {y}"),
    ("(stick|put|insert|slide|fit) {y} (in|into) {x} and turn it [until {w}]", "unlock {x} with {y}"),
    ("(with|using) {y} (unlock|open) {x}", "unlock {x} with {y}"),
    ("(with|using) {y} lock {x}", "lock {x} with {y}"),
    ("(get|have|make) {x} unlock (with|using) {y}", "unlock {x} with {y}"),  # "unlocked" after the normaliser
    ("(get|have|make) {x} lock (with|using) {y}", "lock {x} with {y}"),
    ("open {x} (with|using) {y}", "unlock {x} with {y}"),
    ("(open|undo|disengage|release) [the] lock (of|on) {x} (with|using) {y}", "unlock {x} with {y}"),
    ("(put|stick|insert|slide|fit|turn) {y} (in|into) {x} (lock|keyhole)", "unlock {x} with {y}"),
    ("(put|stick|insert|turn|try) {y} in [the] lock (of|on) {x}", "unlock {x} with {y}"),
    ("(apply|use|employ|put) {y} (to|on) {x} to (undo|open|release) (its|the) lock", "unlock {x} with {y}"),
    ("(fasten|secure|bolt) {x} [once more|again] (with|using) {y}", "lock {x} with {y}"),
    ("use {y} to lock {x}", "lock {x} with {y}"),
    ("{y} (unlock|unlocks) {x}", "unlock {x} with {y}"),  # speedrun order: "latchkey unlock safe"
    ("{y} (lock|locks) {x}", "lock {x} with {y}"),
    ("lock {x} (with|using|by using|by|by means of) {y}", "lock {x} with {y}"),
    ("(lock|relock|secure|bolt) [up] {x} [up|back up|shut|tight] (with|using) {y}", "lock {x} with {y}"),
    ("use {y} to (lock|relock|secure|bolt) up {x}", "lock {x} with {y}"),
    ("(make sure|ensure|check) {x} is (locked|lock|locked up|lock up|secured|secure) (with|using) {y}",
     "lock {x} with {y}"),
    # opening and closing
    ("(pull|pry|prise|prize|swing|push|force|yank|throw|lift|flip|fling) {x} open", "open {x}"),
    ("(pull|pry|prise|prize|swing|push|force|yank|throw|flip|lift|pop|crack|fling|draw) open {x}", "open {x}"),
    ("(lift|raise|open|take|pull|prise|pry) [up|off] the lid (of|on|off|off of) {x}", "open {x}"),
    ("(lift|raise|prise|pry|flip|pop) [up|open|off] [the] {x} (lid|top|cover|flap)", "open {x}"),
    ("(see|check|find out|test) (if|whether) {x} (opens|will open|can be opened|open|can open)", "open {x}"),
    ("(undo|unbuckle|unfasten|open) (its|the) (buckles|buckle|straps|strap|clasp|clasps)", "open it"),
    ("(undo|unbuckle|unfasten|open) the (buckles|buckle|straps|strap|clasp|clasps|latch|ties) (on|of) {x}",
     "open {x}"),
    ("(push|pull|swing|slam|bang|kick|snap) {x} (shut|closed)", "close {x}"),
    ("(push|pull|swing|slam|snap) (shut|closed) {x}", "close {x}"),
    # cutting and cooking with a tool named first
    ("(use|using|employ|utilise|utilize|take) {y} to slice {x} [up]", "slice {x} with {y}"),
    ("(use|using|employ|utilise|utilize|take) {y} to dice {x} [up]", "dice {x} with {y}"),
    ("(use|using|employ|utilise|utilize|take) {y} to (chop|mince) {x} [up]", "chop {x} with {y}"),
    ("give {x} a [thorough|good|proper|quick] (cooking|roasting|grilling|frying|baking) (in|on|with|using) {y}",
     "cook {x} with {y}"),
    ("(cook|roast|fry|grill|bake|heat|sear|brown) {x} (using|with|on|in|over) the heat of [the] {y}",
     "cook {x} with {y}"),
    ("(cube|dice) {x} (with|using) {y}", "dice {x} with {y}"),
    ("(mince|chop) {x} (with|using) {y}", "chop {x} with {y}"),
    ("(fry|cook|roast|grill|heat|warm|bake|brown|sear|toast) up {x} (with|using|on|in|over) {y}", "cook {x} with {y}"),
    ("use {y} to (cook|roast|fry|grill|bake|heat) {x}", "cook {x} with {y}"),
    ("(cook|roast|fry|grill|bake|heat|prepare) {x} (in|on|with|using) {y}", "cook {x} with {y}"),
    ("(put|place|set|lay|pop) {x} (on|in|into|onto) {y} (to|and) (cook|roast|bake|fry|heat|grill) [it]",
     "cook {x} with {y}"),
    ("(put|get|make|cook|fix|assemble|throw|bring) [the|a|my] (meal|dinner|food|dish|recipe) together", "prepare meal"),
    ("(put|throw|get|bring) together [the|a|my] (meal|dinner|food|dish)", "prepare meal"),
    ("(put|throw|get|bring) [the|a|my] (meal|dinner|food|dish) together (with|from|using|out of) {w}", "prepare meal"),
    ("(make|cook|fix|assemble|craft|finish making|finish preparing|finish cooking|whip up|rustle up|prep) "
     "[the|a|my|our|some] (meal|dinner|food|dish|recipe|supper|lunch)", "prepare meal"),
    ("combine [the|all the] (ingredients|food|things) [into|to make] [the|a] [meal|dish|dinner]", "prepare meal"),
    # the meal made of something: what it is made of is the engine's business (the recipe), never another deed
    ("(prepare|make|cook|fix|assemble|craft|finish|complete|whip up|rustle up|put together|create|prep) "
     "[up] [the|a|my|our|some] (meal|dinner|food|dish|recipe|supper|lunch) (with|from|using|out of|by combining|"
     "by mixing|by using) {w}", "prepare meal"),
    ("(combine|mix|use|blend|put together|assemble|cook|stir|throw together) {w} (to make|to prepare|to cook|into|"
     "to create|to assemble|and make|and prepare|to put together) [the|a|my|our|some] (meal|dinner|food|dish|supper|"
     "lunch)", "prepare meal"),
    ("(follow|use|read) [the] (recipe|cookbook|instructions|directions) (to|and) (make|prepare|cook|put together) "
     "[the|a|my] (meal|dinner|dish|food)", "prepare meal"),
    ("(cut|chop|hack|slice|carve) {x} (into|in|to) [thin] slices (with|using|by) {y}", "slice {x} with {y}"),
    ("(cut|chop|hack|carve|cleave) {x} (into|in|to) (chunks|pieces|bits|hunks) (with|using) {y}", "chop {x} with {y}"),
    ("(chop|hack|cut) up {x} (with|using) {y}", "chop {x} with {y}"),
    ("dice up {x} (with|using) {y}", "dice {x} with {y}"),
    ("slice up {x} (with|using) {y}", "slice {x} with {y}"),
    ("(cut|chop|hack|carve) {x} (into|in|to) [small|little|tiny] (cubes|dice|dices) (with|using|by) {y}",
     "dice {x} with {y}"),
    ("(set|put|lay|place) {x} down [at my feet|on the floor|on the ground|here]", "drop {x}"),
    ("(set|put|lay|place|drop|deposit|leave|dump) {x} (on|upon|onto) [the] (floor|ground)", "drop {x}"),
    ("(dump|toss|throw|chuck|drop|plonk|plop) {x} (on|onto|upon|on top of) {y}", "put {x} on {y}"),
    ("(what|anything) (can|could) you tell me about {x}", "examine {x}"),
    ("(get|have) [the|a|my] (meal|dinner|dish|food) (made|prepared|ready|cooked|done)", "prepare meal"),
    ("(stand|balance|station|perch|position|leave) {x} [rest|resting|sit|sitting|lie|lying|stand|standing] "
     "(on|upon|onto|atop) {y}", "put {x} on {y}"),
    ("leave {x} [rest|resting|sit|sitting|lie|lying] (in|inside|within) {y}", "put {x} in {y}"),
    ("(set|lay|place|put) down {x} (on|onto|upon) {y}", "put {x} on {y}"),
    ("let {x} (fall|drop) [from my hands|from my hand|to the ground|to the floor]", "drop {x}"),
    ("(toss|throw|chuck|drop) {x} (into|in|inside) {y}", "put {x} in {y}"),
    ("(cut|make|carve) [thin] slices (of|from) {x} (with|using) {y}", "slice {x} with {y}"),
    ("(cut|make) [small|little|tiny] (cubes|dice) (of|from|out of) {x} (with|using) {y}", "dice {x} with {y}"),
    ("(cut|make|hack) (chunks|pieces|bits|hunks) (of|from|out of) {x} (with|using) {y}", "chop {x} with {y}"),
    ("(get|make) {x} ready", "prepare meal"),
    ("get {x} (going|lit|burning)", "light {x}"),
    ("(spark|fire|light) {x} up", "light {x}"),
    ("have {x} for [a] (snack|dinner|lunch|breakfast|supper|tea)", "eat {x}"),
    ("give {x} [a|one] [careful|close|good|proper|quick|thorough|last|final] (once over|look|glance|look over|"
     "inspection)", "examine {x}"),
    ("give {x} a read", "read {x}"),
    ("(get|make) {x} open", "open {x}"),
    ("(get|make) {x} (shut|closed)", "close {x}"),
    ("lock {x} back up (with|using) {y}", "lock {x} with {y}"),
    ("i (dont|do not) (need|want) {x} (anymore|any more|any longer|now)", "drop {x}"),
    ("(return|restore) {x} (to|into|onto|inside) {y}", "put {x} to {y}"),  # in or on: the holder's own way
    ("(drag|slide|move) {x} (onto|on to|on top of|on) {y}", "put {x} on {y}"),  # a point-and-click player
    ("(drag|slide|move) {x} (into|inside|in) {y}", "put {x} in {y}"),
    ("{x} (goes|go|belongs|belong) (on|onto|on top of) {y}", "put {x} on {y}"),
    ("{x} (goes|go|belongs|belong) (in|into|inside) {y}", "put {x} in {y}"),
    ("(put|pop|stick|shove|slip|tuck|stash|stuff|stow) {x} (in|into) (my|your|the) (pocket|pockets|bag|pack|backpack|"
     "rucksack|satchel|inventory)", "take {x}"),
    # the inventory as a place: "the bag" may be a thing of the game (the saddlebag), so only "my bag" is the inventory
    ("(add|put|drag|move|place) {x} (to|into|in) ((my|the) inventory|my (bag|pack|backpack))", "take {x}"),
    ("(drag|pull|move|take|get) {x} (out of|from|off) {y} (into|to) ((my|the) inventory|my (bag|pack|backpack))",
     "take {x} from {y}"),
    ("(drag|move|remove|take|pull) {x} (out of|from) (my|the) inventory [onto the floor|to the floor|"
     "and leave it here|and leave it|and drop it]", "drop {x}"),
    ("(drag|move|remove|take|pull) {x} (out of|from) my (bag|pack|backpack) (onto the floor|to the floor|"
     "and leave it here|and leave it|and drop it)", "drop {x}"),
    ("open [the] lock (of|on) {x} (with|using) {y}", "unlock {x} with {y}"),
    # things said first, deeds said as where a thing goes or what it needs ("the knife can go on the floor")
    ("{x} (to|onto) [the] (floor|ground)", "drop {x}"),  # "onion -> floor"; "X on the floor" only says where
    ("{x} (can|should|could|may|will|must) go (on|onto|to) [the] (floor|ground)", "drop {x}"),
    ("{x} (to|into|in) [my|the] (inventory|inv|pocket|pockets)", "take {x}"),
    ("i (want|need|would like|d like|wd like) {x} in [my|the] (inventory|inv|pocket|pockets|hands|hand)",
     "take {x}"),
    ("{x} (comes|come|goes) with me", "take {x}"),
    ("{x} (should|can|could|must|needs to|has to) come out of {y}", "take {x} from {y}"),
    ("{x} (needs|need) (unlock|to be unlock) (with|using) {y}", "unlock {x} with {y}"),
    ("{x} and {y} to unlock", "unlock {x} with {y}"),
    ("{x} and {y} to lock", "lock {x} with {y}"),
    ("let {y} (unlock|open) {x}", "unlock {x} with {y}"),
    ("turn {y} in [the] (lock|keyhole) (of|on|in) {x}", "unlock {x} with {y}"),
    ("reach (into|in|inside) {y} (for|and grab|and get|and take|and pull out) {x}", "take {x} from {y}"),
    ("(help|serve) (myself|ourselves|yourself) to {x}", "take {x}"),
    ("(get|have) {x} chop (with|using|by) {y}", "chop {x} with {y}"),
    ("(get|have) {x} slice (with|using|by) {y}", "slice {x} with {y}"),
    ("(get|have) {x} dice (with|using|by) {y}", "dice {x} with {y}"),
    ("(get|have|i want|i would like|i d like|id like) [the] meal (prepare|make|ready)",
     "prepare meal"),
    ("[the] meal (prepare|make|cook)", "prepare meal"),
    ("(how about|what about) (make|prepare|cook) [the|a|my] (meal|dinner|food)", "prepare meal"),
    ("off (to|towards) [the] {d} [i go|we go|i head|we head]", "go {d}"),
    ("{d} (go|i go|we go|walk|head)", "go {d}"),
    # putting down
    ("(put|set|lay|place|leave|drop) {x} down", "drop {x}"),
    ("(drop|put|set|lay|place|leave|throw|toss|chuck|fling|dump|ditch|bung|plonk) {x} (on|onto|to) [the] "
     "(floor|ground)", "drop {x}"),
    ("(drop|toss|throw|chuck) {x} (onto|on to|on top of|on) {y}", "put {x} on {y}"),  # "drop the milk onto the stove"
    ("(drop|toss|throw|chuck) {x} (into|inside|in) {y}", "put {x} in {y}"),
    ("(put|set|lay|place) {x} down (on|onto) [the] (floor|ground)", "drop {x}"),
    ("(set|put|lay|place|plonk|pop|stick) {x} down (on top of|onto|upon|on) {y}", "put {x} on {y}"),
    ("(set|put|lay|place) {x} down (into|inside|in) {y}", "put {x} in {y}"),
    # putting
    ("(put|place|set|lay|rest|stand|drop|leave|stick|slot|slide) {x} (on top of|onto|upon|atop|on) {y}",
     "put {x} on {y}"),
    ("(put|place|insert|stuff|slip|slide|drop|stick|slot|tuck|pop|shove|store|stash|hide|leave) {x} "
     "(in|into|inside|in to) {y}", "put {x} in {y}"),
    # questions
    ("(whats|what is|what s) (written|printed|scrawled|carve|engrave|inscribe|etch|scrawl|print) "
     "(on|in|into) {x}",
     "read {x}"),
    ("(what did|what does|what do) {x} say [again]", "read {x}"),
    ("consult [with] {x}", "talk to {x}"),  # a person is consulted by talking, a book by reading it (next)
    ("consult {x}", "read {x}"),
    # what is on a thing that can be read is its writing; the engine refuses reading the rest, which are examined
    ("(whats|what is|what s|what are) (on|pinned on|posted on|put up on|nailed to|pinned to) {x}", "read {x}"),
    ("(whats|what is|what s|what are|whats inside|what is inside|what s inside) (in|inside|on|on top of|down|under|"
     "underneath|beneath|behind|at the bottom of|in the bottom of) {x}",
     "examine {x}"),
    ("(whats|what is) inside [of] {x}", "examine {x}"),
    ("what (lies|lie|sits|sit|is kept|is hidden|is stored|hides) (within|inside|in) {x}", "examine {x}"),
    ("(where|which way|what way) (does|do|is) {x} (point|pointing|point to|point at|lead)", "read {x}"),
    ("(what is|whats|what s) inside of {x}", "examine {x}"),
    ("(what says|what say) {x}", "read {x}"),
    ("(whats|what is|what s) (that|this) {x}", "examine {x}"),
    ("(whats|what is|what s) the (deal|story|score|matter) with {x}", "examine {x}"),
    ("(what is|whats|what s|what are) {x} for", "examine {x}"),
    # past participles come normalised ("unlocked" -> unlock): a frame naming them would stop that for every line
    ("(is|are) {x} (open|close|shut|lock|unlock|light|empty|full) [now|yet|still|already]", "examine {x}"),
    ("how much (is|are|does|do|cost|costs|for|would) [the] {x} [cost|costs|be|go for]", "talk to seller"),
    ("(what does|whats|what s|what do) {x} say", "read {x}"),
    ("(what is|whats|what s) written (on|in|under|upon|inside) {x}", "read {x}"),
    ("is there (anything|something|stuff|much) (in|inside|on|under|within) {x}", "examine {x}"),
    ("(whats|what is|what s) around (me|us|here) [down here|up here|in here|out here|here|now]", "look"),
    ("[how about|what about|time for] (a word|a chat|a talk|a natter|a chinwag) with {x}", "talk to {x}"),
    ("sit [down] with {x} [for a chat|for a talk|and chat|and talk|a while]", "talk to {x}"),
    ("[let me|lemme|i need to|i want to] get (my|our) bearings", "look"),
    ("(scan|survey|check out|look over) (the|this|my|our) (room|area|place|surroundings|scene)", "look"),
    ("(have|take) a [proper|good|quick|careful|last|final|thorough] look (around|round|about) [the|this] {x}", "look"),
    ("(remain|stay|wait) (where i am|where we are|put|in place|right here)", "wait"),
    ("(pause|wait|rest|stop) and (let time pass|wait|rest|reflect|think|catch my breath|take a breath)", "wait"),
    ("(withdraw|retreat|retire|depart|press on|push on) [to|toward|towards|in] [the] {d}", "go {d}"),
    # no adjectives here: a frame's words join the game's vocabulary ("big" would stop "the big door" naming it)
    ("take (a|one|a few|some|two|three|several) [more] (step|steps|stride|strides|pace|paces) [to|toward|towards|in] "
     "[the] {d}", "go {d}"),
    ("(remind me|tell me|show me) what (this|the) (place|room|area) (looks|look) like", "look"),
    ("what (does|do) (this|the) (place|room|area) look like [again]", "look"),
    ("(stand|hang about|hang around|linger|loiter) [here|around|still|about] [for a bit|for a while|a bit|"
     "a while|for a moment]", "wait"),
    ("(keep|carry on|go on) wait", "wait"),  # the text comes normalised: "waiting" is "wait"
    ("have a look", "look"),
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
    ("(take|have) [a] [quick|good|little|brief|short|careful|close|closer] [long|hard|proper|good|close] look at {x}",
     "examine {x}"),
    ("(wait|rest|pause|linger|stay|sit) [here|there|around] [for] [a|an|one] (bit|while|moment|minute|second|"
     "few minutes|little while|turn|little)", "wait"),
    ("(take|bring|lead|guide|get) (me|us) (to|towards|toward|into|over to) {x}", "go {x}"),
    ("(reach|grab|go|stretch|lunge) for {x}", "take {x}"),
    ("what (is|does|do) (written|it say|they say) on {x}", "read {x}"),
    ("what (it|they) (say|says) on {x}", "read {x}"),
    ("(try|test) {y} (in|on) {x}", "unlock {x} with {y}"),
    ("(try|test|use) {y} (in|on) {x} to (unlock|open) it", "unlock {x} with {y}"),
    ("[see|check|test|find out] (if|whether) {y} [actually|really] (fits|opens|unlocks|works on) {x}",
     "unlock {x} with {y}"),
    ("(would|does|will|can|could) {y} (fit|open|unlock|work on) {x}", "unlock {x} with {y}"),
    ("(look|peek|peer|glance) (in|inside|into|at|under|behind|through|down|over) {x}", "examine {x}"),
    ("(what|how) (is|does|are) {x} (look like|like)", "examine {x}"),
    ("(whats|what s|what is) {x} look like", "examine {x}"),
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
    ("where [exactly|precisely|actually|on earth|the heck|the hell] (am i|are we) [now|right now|at the moment]",
     "look"),
    ("(what is|whats|what s) (this|the) (place|room|spot)", "look"),
    ("describe (this|the) (place|room|spot|area) [to me|for me] [again]", "look"),
    ("where (did|have) (i|we) (end|ended|wind|wound|land|landed) up", "look"),
    ("what (lies|is|s) (about|around) (me|us)", "look"),
    ("(where am i|where are we|whats here|what is here|what s here|what do i see|what can i see|who is here|"
     "whos here|look around|describe the room|describe this place|where is this)", "look"),
    ("where [even|exactly|now|again|the heck|on earth] (am i|are we) [even|exactly|now|again|right now]", "look"),
    ("(whats|what is|what s|what else is) (in|inside|around) (this|the|here) [room|place|area|spot]", "look"),
    ("(tell me|show me|remind me) what (i see|i can see|is here|is around|there is|theres)", "look"),
    # people
    ("(ask|question) {x} (about|for|regarding) {w}", "talk to {x}"),
    ("tell {x} about {w}", "talk to {x}"),
    ("(what|which) (kind|sort|type) of {x} is (that|this|it)", "examine {x}"),
    ("(who is|whos|who s) [that|this] {x}", "examine {x}"),
    ("(interact with|engage with|engage) {x}", "talk to {x}"),  # a point-and-click player; a thing is not talked to
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
    ("(the answer be|the answer s|the answers|answers|the answer could be|the answer might be|"
     "the answer is|my answer is|answer is|i answer|i say|i think its|i think it is|i think it s|i guess its|"
     "i guess it is|maybe its|maybe it is|perhaps its|perhaps it is|it must be|it is|its|it s|is it|"
     "could it be|the solution is|solution is|my guess is|i guess|my answer would be|i would say|id say|i d say|"
     "the answer must be|the answer should be|answer must be|the answer would be|you are|you must be|"
     "thats|that s|that is|must be|it has to be|has to be|surely its|surely it is|i bet its|i bet it is|"
     "i reckon its|i reckon it is|i believe its|i believe it is|i know its|i know it is|would it be|"
     "id hazard a guess that its|id hazard a guess its|i would hazard a guess that its|"
     "i d hazard a guess that its|id guess|i d guess|i would guess|id go with|i d go with|i would go with|"
     "ill go with|i ll go with|i will go with|im going with|i m going with|i am going with|my bet is) {w}",
     "answer {w}"),
    ("{w} is the answer", "answer {w}"),
    ("(the answer might be|the answer may be|the answer could be|it might be|it may be|it could be|"
     "the word you want is|the word is|the word must be|my word is) {w}", "answer {w}"),
    ("(guess|answer) (for|to|on) [the] {x} (gate|door|riddle) [is] {w}", "answer {w}"),
    ("{y} (guess|answer) (for|to|on) [the] {x} (gate|door|riddle) [is] {w}", "answer {w}"),  # "my guess for ..."
    ("{x} (it has to be|it must be|has to be|must be|the answer is|the word you want is|the word is|"
     "i say|i guess|its got to be|it s got to be) {w}", "answer {w}"),
    ("{w} [is my|is the|as my|as the] final answer", "answer {w}"),
    ("(whats|what is|tell me|what do you know of|what do you know about) [the] (story|history|legend|tale|lore) "
     "(of|about|behind) {w}", "lore {w}"),
    ("[the] (story|history|legend|tale) of {w}", "lore {w}"),
    ("tell me (about|of) {w}", "lore {w}"),
    ("(the answer it is|the answer its|i think the answer it is|i think the answer is) {w}", "answer {w}"),
    ("the (answer|solution) (of|to|for) [the] {x} (is|it is|must be) {w}", "answer {w}"),
    ("(again|same) (with|for) {x}", "same with {x}"),
    ("back (to|towards|toward) {x}", "go {x}"),
    ("(recall|remember) what [the] {x} (told|said|say|tell) (of|about) {w}", "lore {w}"),
    ("(recall|remember) [what i know|all i know|what i heard] (of|about) {w}", "lore {w}"),
    ("take in [my|the] (surroundings|scene|view|room|sights|place)", "look"),
    ("{w} (like|as in) {x}", "answer {w}"),  # "hay like horses eat", "a cloud like in the sky"
    ("(say|shout|whisper|tell|answer|reply|speak|call) {w} to [the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice|it)", "answer {w}"),
    ("(say|shout|whisper|tell|answer|reply|speak|call) {w} to [the] {x} (gate|door|riddle|inscription|wall)",
     "answer {w}"),  # "say fire to the red gate": a gate named by its own words
    ("(tell|answer|say to|whisper to|shout to|speak to|speaks to|call to|cry to) "
     "[the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice) (with|:) [the word] {w}", "answer {w}"),
    ("(tell|answer|say to|whisper to|shout to|speak to|speaks to|call to|cry to) [the] {x} "
     "(gate|door|riddle|inscription|wall) (with|:) [the word] {w}",
     "answer {w}"),
    ("(tell|answer|say to|whisper to|shout to|speak to|speaks to|call to|cry to) "
     "[the] [north|south|east|west|first|next|last] "
     "(gate|door|riddle|inscription|wall|voice) {w}", "answer {w}"),
    ("(answer|reply|respond) with [the word] {w}", "answer {w}"),
    ("{y} (reply|answer|response) to [the] {x} is {w}", "answer {w}"),  # "my reply to the south gate is straw"
    ("[the] (north|south|east|west|first|next|last) (one|gate|door|riddle) [:|-] {w}", "answer {w}"),
    ("(recite|utter|give|say|speak) the (answer|word|solution) {w}", "answer {w}"),
    ("to [the] {x} (i|we) (respond|reply|answer|say) {w}", "answer {w}"),
    ("(utter|recite) {w} to [the] {x}", "answer {w}"),
    ("{w} (thats|that is|that s) what (its|it is|it s|the riddle is|the gate is) (describe|describing|"
     "about|asking|asking for|talking about|saying)", "answer {w}"),
    ("{y} (ill|i will|i shall|i ll) (answer|say|reply|respond|go with) {w}", "answer {w}"),
    ("(tell|answer) it {w}", "answer {w}"),
    ("is the answer {w}", "answer {w}"),
    ("[the] [north|south|east|west|first|next|last] (gate|gates|door|doors|riddle|riddles) [s] (answer|solution) "
     "(is|must be|should be|would be) {w}", "answer {w}"),  # "the north gate's answer is a cloud"
    # movement
    ("(go|walk|head|move|run|travel|step|climb|wander|stroll|venture|proceed|march|make my way) "
     "(back )?(to the |towards the |toward the )?{d}", "go {d}"),
    ("(go|walk|head|move|run|travel|step|wander|stroll|venture|proceed|march|carry on|nip|pop) (in|into|inside|"
     "through|to|towards|toward|over to|back to|across to|along) {x}", "go {x}"),
    ("(go|walk|head|move|run|step|leave|exit) {d} (out of|from|through|via) {x}", "go {d}"),  # the way is said
    ("(carry on|keep going|keep go|keep walk|keep head|keep move|get back|go on|press on|push on|onward|onwards) "
     "[back] [to the|towards the|toward the|to] {d}", "go {d}"),
    ("{d} (we go|i go|it is|we come)", "go {d}"),  # "down we go"
    ("(through|thru) [the] {x}", "go through {x}"),
    ("(go|walk|head|run|climb|nip|pop|hop|step) [back] {d} (the|those|these) (stairs|steps|staircase|ladder)",
     "go {d}"),
    ("(go|head|walk|pop|nip|run|wander) [and|to|over to|over and] (see|visit|check out|check|meet|find|look at|"
     "explore) {x}", "go {x}"),
    ("(see|visit|meet|find|check out) {x}", "go {x}"),  # someone elsewhere: go where they are
    ("(take|lead|bring|carry|get|move|send|walk|steer) (me|us|my guy|my character|my char|my hero|the hero|our hero) "
     "[back] [to the|towards the|toward the|to] {d}", "go {d}"),
    ("(take|lead|bring|carry|get) me (to|into|over to|back to|towards|toward) {x}", "go {x}"),
    ("[go|walk|head|run|take me|get me] [to|over to|back to] where [the] {x} (is|are|live|lives|sleep|sleeps|stay|"
     "stays|be)", "go {x}"),
    ("(pay|make) {x} a visit", "go {x}"),
    ("(take|use|go through) [the] (exit|door|way|passage|path|doorway) [to|towards|toward|leading|going] [the] {d}",
     "go {d}"),
    ("(take|use|go through) [the] {d} (exit|door|way|passage|path|doorway)", "go {d}"),
    ("(click|click on|tap|tap on|interact with) [the] (exit|door|way|passage|path|doorway|arrow) "
     "[to|towards|toward|leading|going] [the] {d}", "go {d}"),  # a point-and-click player
    ("(click|click on|tap|tap on|interact with) [the] {d} (exit|door|way|passage|path|doorway|arrow)", "go {d}"),
    ("(leave|exit) [the|this] (room|house|building|place|area|here|stables|bazaar|market)", "go out"),
    ("back {d} (the|those|these) (stairs|steps|staircase|ladder)", "go {d}"),  # "back up the stairs"
    ("(leave|exit|get out|go outside|head out|walk out|climb out)", "go out"),
    ("(get|climb|go|step|walk|head) (in|inside)", "go in"),
    ("((go|head|walk|turn|run|come|hurry) back|back|back again|return|retrace my steps|"
     "[go] back the way i came)", "go back"),
    ("[now] [do] [the] same (with|for|to) {x}", "same with {x}"),
    ("now {x} (too|as well|also)", "same with {x}"),  # after "take the lamp": "and the rope too"
    ("{x} (too|as well)", "same with {x}"),
    ("now (the|that|this|my) {x}", "same with {x}"),  # after "take the tablet": "now the key"
    ("[the] other one", "same with the other one"),  # "and the other one"
    ("what (has|does) {x} (got to say|get to say|have to say|got to tell me|get to tell me|have to tell me)",
     "talk to {x}"),
    ("(do|try) (that|it|this) [again|once more] (with|for|on|to) {x}", "same with {x}"),
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

# Readings tried only when the plain one would be refused, and kept only when the engine would do them: a key
# pushed into the thing it locks unlocks it ("stick the key in the chest" when the chest is locked with it; "turn
# the key in the door"), and anything else they could mean (putting a key into an open box) stays as it was.
TENTATIVE_FRAMES: tuple[tuple[str, str], ...] = (
    ("(put|stick|insert|slide|fit|turn|twist|jam|push|slot|apply) {y} (in|into|inside|to) {x}", "unlock {x} with {y}"),
    ("(try|test) [out] {y} (on|in|with|against) {x}", "unlock {x} with {y}"),
    ("(see|check|test|find out) (if|whether) {y} (fits|fit|opens|open|works on|work on|unlocks|unlock) {x}",
     "unlock {x} with {y}"),
    ("(let|have) {y} (open|unlock) {x}", "unlock {x} with {y}"),
    ("use {y} to (get|go) (into|in|inside|through) {x}", "unlock {x} with {y}"),
    ("use {y} to (get|make) {x} (open|unlock|unlocked|opened)", "unlock {x} with {y}"),
    ("{y} (opens|open|fits|fit|unlocks|unlock) {x} [i think|i bet|surely]", "unlock {x} with {y}"),
    ("(finish|complete) [the|a|my|our] (meal|dinner|food|dish|recipe|supper|lunch)", "prepare meal"),  # or eat it
    ("secure {x}", "take {x}"),  # what has no lock is secured by taking it
    ("(turn|twist) {y} (in|inside) {x} [again] (to lock it|to lock|and lock it)", "lock {x} with {y}"),
)
