"""Every YAML example in docs/WRITING_STORIES.md loads with the real loaders (and its walkthrough wins).

Each ```yaml block starts with a marker comment: `# base` (the guide's smallest story, loaded as it is),
`# fragment: …` (merged into the base story: a list element with the id of one in the base replaces it, other
elements are added, other keys replace the base's; then the whole story is checked, walkthrough included) or
`# village` (a village script, checked against the base story). A block without a marker fails, so a new
example cannot slip past the test.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from agent.villagers.script import parse_village_text
from game.stories.loader import parse_story_text

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "WRITING_STORIES.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks() -> list[tuple[str, int, str]]:
    """(marker line, line number in the guide, text) for each yaml block."""
    text = GUIDE.read_text(encoding="utf-8")
    out = []
    for match in BLOCK.finditer(text):
        body = match.group(1)
        out.append((body.splitlines()[0] if body.strip() else "", text[:match.start()].count("\n") + 2, body))
    return out


def base_story_data() -> dict:
    found = [body for marker, _, body in blocks() if marker == "# base"]
    assert len(found) == 1, "the guide needs exactly one `# base` example"
    return yaml.safe_load(found[0])


def merge(base: dict, fragment: dict) -> dict:
    merged = dict(base)
    for key, value in fragment.items():
        old = merged.get(key)
        if isinstance(old, list) and isinstance(value, list) and all(isinstance(v, dict) for v in old + value):
            ids = {v.get("id") for v in value}
            merged[key] = [v for v in old if v.get("id") not in ids] + value
        else:
            merged[key] = value
    return merged


def test_the_guide_has_an_example_of_every_feature():
    markers = [marker for marker, _, _ in blocks()]
    assert markers.count("# village") == 1 and markers.count("# base") == 1
    fragments = " ".join(markers)
    for feature in ("door", "lock", "food", "riddle", "trader", "lore", "verbs", "room alias", "quest",
                    "container", "dark room"):
        assert feature in fragments, f"no fragment example shows {feature!r}"
    text = GUIDE.read_text(encoding="utf-8")
    for command in ("adventure story new", "--watch", "run --compare", "story check --solve"):
        assert command in text


@pytest.mark.parametrize("marker,line,body", blocks(), ids=[f"line {line}" for _, line, _ in blocks()])
def test_example_loads(marker, line, body):
    where = f"{GUIDE.name}:{line}"
    if marker == "# base":
        story = parse_story_text(body, where)
        assert story.id == "guide"
    elif marker.startswith("# fragment: "):
        data = merge(base_story_data(), yaml.safe_load(body))
        story = parse_story_text(yaml.safe_dump(data, sort_keys=False), f"{where} (merged into the base story)")
        assert story.walkthrough, f"{where}: a fragment's walkthrough proves it plays"
    elif marker == "# village":
        base = parse_story_text(yaml.safe_dump(base_story_data()), "base")
        village = parse_village_text(body, where, story_loader=lambda name: base if name == "guide" else None)
        assert village.story == "guide" and len(village.villagers) >= 2
    else:
        pytest.fail(f"{where}: a yaml block must start with `# base`, `# fragment: …` or `# village`")


def test_a_broken_fragment_fails(tmp_path):
    """The merge really reaches the loader: a fragment that names a missing key item is refused."""
    from game.stories.loader import StoryInvalid

    fragment = {"doors": [{"id": "d", "name": "door", "key": "nothing"}]}
    with pytest.raises(StoryInvalid, match="'nothing' is not a known item id"):
        parse_story_text(yaml.safe_dump(merge(base_story_data(), fragment)), "broken")
