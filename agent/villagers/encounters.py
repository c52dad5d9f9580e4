"""What villagers meet in a step: scheduled events, each other's doings, and conversations.

The step's middle phases (simulation.Village.step calls them in this order):
- `scheduled_events`: witnessed by everyone awake at the place, learned by the
  villagers they are `told_to`, at least as important as the event says;
- `perceive`: each awake villager notes what changed about the others at its place
  (only changes, so a scene is not re-recorded every quarter hour);
- `conversations`: pairs who meet and have news (or planned to talk) talk, one
  conversation per villager per step, a cooldown per pair; with the model when the
  player can see either of them, else a plain exchange of each side's news
  (dialogue.Conversation.plain). The model side runs in the village's worker pool.

Deliberately left out: group talks and overheard conversations.
"""
from __future__ import annotations

from .dialogue import pick_topic
from .script import Villager, parse_day_clock
from .village_state import STEP, VillageView


def scheduled_events(village: VillageView) -> None:
    for event in village.script.events:
        minute = parse_day_clock(event.at)
        if not village.clock <= minute < village.clock + STEP:
            continue
        place = village.script.place(event.place)
        witnesses = [vid for vid, s in sorted(village.states.items()) if s.place == event.place and village.awake(vid)]
        floor = event.importance or 0
        for vid in witnesses:
            village._remember(vid, "event", f"At the {place.name}: {event.text}", floor)
        for vid in event.told_to:
            if vid not in witnesses:
                village._remember(vid, "event", event.text, floor)
        village._emit("village", "scheduled", f"{event.text} (at the {place.name}; "
                                           f"witnessed by {', '.join(witnesses) or 'nobody'})")

def perceive(village: VillageView) -> None:
    for vid, state in sorted(village.states.items()):
        if not village.awake(vid):
            continue
        for other in village.present(vid, state.place):
            act = village.states[other.id].current
            if act is None:
                continue
            seen = f"{other.name} {village._describe(act)}"
            if state.seen.get(other.id) != seen:
                state.seen[other.id] = seen
                village._remember(vid, "event", seen)

def conversations(village: VillageView) -> None:
    pairs: list[tuple[Villager, Villager]] = []
    busy: set[str] = set()
    cooldown = village.settings.chat_cooldown_hours * 60
    for vid in sorted(village.states):
        state = village.states[vid]
        if vid in busy or not village.awake(vid):
            continue
        for other in village.present(vid, state.place):
            if other.id in busy or village.clock - state.last_chat.get(other.id, -10**9) < cooldown:
                continue
            wants = state.current is not None and state.current.kind == "talk" and state.current.target == other.id
            told = set(state.told.get(other.id, []))
            news = pick_topic(state.stream.records, told, village.clock, other.name)
            if not wants and (news is None or news.importance < village.settings.salient_importance - 2):
                continue
            turns = village.settings.dialogue_turns
            heard = village.in_focus(vid) or village.in_focus(other.id)  # out of sight: a plain exchange, no calls
            if heard and not (village._allowed(vid, turns / 2) and village._allowed(other.id, turns / 2)):
                continue
            pairs.append((village.people[vid], other))
            busy.update((vid, other.id))
            break
    for (a, b), result in zip(pairs, village._map(lambda pair: talk(village, *pair), pairs)):
        apply_talk(village, a, b, *result)

def talk(village: VillageView, a: Villager, b: Villager):
    """The model side of a conversation: reads only the pair's own streams (safe in a worker)."""
    sa, sb = village.states[a.id], village.states[b.id]
    records = {a.id: sa.stream.records, b.id: sb.stream.records}
    told = {a.id: set(sa.told.get(b.id, [])), b.id: set(sb.told.get(a.id, []))}
    if not (village.in_focus(a.id) or village.in_focus(b.id)):
        return village.talk.plain(a, b, records, told, village.clock)
    with village._paying({a.id: 1.0, b.id: 1.0}):
        return village.talk.run(a, b, records, told, village.clock)

def apply_talk(village: VillageView, a: Villager, b: Villager, utterances, topic) -> None:
    sa, sb = village.states[a.id], village.states[b.id]
    if topic is not None:
        sa.told.setdefault(b.id, []).append(topic.id)
    for u in utterances:
        if u.speaker == b.id and u.news is not None:
            sb.told.setdefault(a.id, []).append(u.news)
    sa.last_chat[b.id] = sb.last_chat[a.id] = village.clock
    for u in utterances:
        speaker = village.people[u.speaker]
        listener = b if speaker is a else a
        village._emit(speaker.id, "chat", f"{speaker.name} to {listener.name}: {u.text}")
        village._remember(listener.id, "chat", f"{speaker.name} told me: {u.text}")
        village._remember(speaker.id, "chat", f"I told {listener.name}: {u.text}")
