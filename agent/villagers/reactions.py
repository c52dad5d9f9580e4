"""What a step's new memories set off: the batched rating, reactions and reflection (steps 5-7 of a step).

- `rate_pending`: ONE importance rating for all memories of the step that the
  player can see (the keyword rule for the rest), each at least its floor
  (salience.combine); then the reactions and reflection below;
- `react`: a memory that matches a trigger sends its villager somewhere the next
  hour; one rated >= `salient_importance` re-ranks the rest of the hour (once per
  villager per hour, within budget);
- `maybe_reflect`: reflection when the villager's new importance reaches
  `reflection_threshold`.

Deliberately left out: reactions out of sight (the level of detail: by rule only)
and concurrent reflection.
"""
from __future__ import annotations

from .memory import MemoryRecord, rule_importance
from .planning import HourBlock, is_asleep
from .salience import combine
from .village_state import STEP, VillageView


def rate_pending(village: VillageView, and_react: bool = True) -> None:
    """Rate the step's new memories in ONE call (the keyword rule out of sight), file them, then react and reflect."""
    pending, village._pending = village._pending, []
    if not pending:
        return
    seen = [r for r in pending if village.in_focus(r.owner)]  # out of sight: the keyword rule, no call
    owners: dict[str, float] = {}
    for r in seen:
        owners[r.owner] = owners.get(r.owner, 0.0) + 1.0
    with village._paying(owners):
        rated = dict(zip((r.id for r in seen), village.rater.rate([r.text for r in seen]))) if seen else {}
    for record in pending:
        rating = rated.get(record.id) or rule_importance(record.text)
        record.importance = rating = combine(village._floors.pop(record.id, 0), rating)
        state = village.states[record.owner]
        state.stream.add(record)
        state.pending_importance += rating
        village._emit(record.owner, record.kind, record.text)
    if not and_react:
        return
    for record in pending:
        react(village, record)
    for vid in sorted({r.owner for r in pending}):
        maybe_reflect(village, vid)

def react(village: VillageView, record: MemoryRecord) -> None:
    """A trigger the memory matches sends its villager somewhere next hour; a salient one re-ranks this hour."""
    vid, state = record.owner, village.states[record.owner]
    if not village.awake(vid):
        return
    for index, trigger in enumerate(village.script.triggers):
        if index in state.fired or (trigger.villager and trigger.villager != vid):
            continue
        if trigger.learns.lower() in record.text.lower() and state.plan is not None:
            state.fired.append(index)
            hour = (village.clock // 60 + 1) % 24
            if not is_asleep(village.people[vid], hour * 60):
                state.plan.blocks[hour] = HourBlock(hour, trigger.go_to, trigger.activity, "trigger")
                village._emit(vid, "trigger", f"{village.people[vid].name} heard '{trigger.learns}' and will go to "
                                           f"the {village.script.place(trigger.go_to).name} at {hour:02d}:00.")
    hour = village.clock // 60
    if (record.kind != "thought" and record.importance >= village.settings.salient_importance and village.in_focus(vid)
            and state.reacted_hour != hour and state.plan is not None and village._allowed(vid)):
        state.reacted_hour = hour
        village.clock += STEP  # the reaction shapes the quarter hours still to come
        try:
            village._decompose(vid, reason=f"Just now: {record.text}")
        finally:
            village.clock -= STEP
        village._emit(vid, "react", f"{village.people[vid].name} reconsiders after: {record.text}")

def maybe_reflect(village: VillageView, vid: str) -> None:
    """Reflection, once the villager's new importance reaches the threshold (and the budget allows two calls)."""
    state = village.states[vid]
    if (not village.reflection_enabled or state.pending_importance < village.settings.reflection_threshold
            or not village.in_focus(vid) or not village._allowed(vid, 2)):
        return
    state.pending_importance = 0
    with village._paying(vid):
        thoughts = village.reflector.reflect(village.people[vid].name, state.stream, village.clock, village._new_id)
    for t in thoughts:
        village._emit(vid, "thought", f"{t.text} (evidence {', '.join(map(str, t.evidence))})")
