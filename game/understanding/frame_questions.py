"""The frame table's second half: questions, looking, people, money, moves and the rest of the game's talk.

Data only, in the same syntax as game.understanding.frame_table (which puts these after its own, so the order in
which frames are tried is the table's order). Left out: whole-sentence shapes about handling things (the first half).
"""
from __future__ import annotations

# Whole-sentence shapes, first match wins within the list order; canonical text on the right.
QUESTION_FRAMES: tuple[tuple[str, str], ...] = (
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
