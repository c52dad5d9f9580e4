"""The frame table: whole-sentence shapes and the plain command each one means.

Each entry is (pattern, canonical command); game.understanding.lexicon compiles the patterns and
explains their syntax ({x} {y} noun phrases, {d} a direction, {w} free words, (a|b) alternatives,
[a] optional). First match wins within the list order. Data only: nothing here runs.
"""
from __future__ import annotations

from game.understanding.frame_questions import QUESTION_FRAMES

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
    *QUESTION_FRAMES,  # questions, looking, people, money, moves (game.understanding.frame_questions)
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
    ("(use|apply|hold|touch|put|combine) {y} (on|to|against|with|and) {x}", "light {x} with {y}"),  # the tinderbox
    ("(turn|twist) {y} (in|inside) {x} [again] (to lock it|to lock|and lock it)", "lock {x} with {y}"),
)
