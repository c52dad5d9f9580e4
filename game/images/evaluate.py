"""How well the scene model draws what it is asked: a judge classifier and Fréchet distances.

The lectures' CLIP score asks "does the image match its text?". We have no
CLIP, so a small CNN (the *judge*, `game.images.judge`, shipped in
assets/scene_model/judge/) trained on real composed scenes names their
setting, time of day and main object. Generated samples for held-out
(setting, object) pairs — combinations the scene model never saw — are then
judged: the share whose prompted attribute the judge recognises, per
attribute, beside chance level and beside the judge's *ceiling*: its accuracy
on real composites of exactly the same captions (`judge_*_ceiling`), which it
never saw either. A generated figure means little where its ceiling is low.

Fidelity is a Fréchet distance on the judge's features, computed per setting
and averaged (a class-conditional FID): generated vs real images of the same
captions, against two anchors that make the number readable — real vs real
(the floor) and generated vs real images of another setting (the
shuffled-caption baseline).

The model is asked only for what it was trained on (its training.json: settings,
objects, backgrounds version; `pipeline.trained_data`) and the real composites
are drawn with its backgrounds, so the shipped model's figures stay comparable
as the vocabulary grows. `mismatches(data, judge)` names what keeps a judge from
measuring a model fairly: another backgrounds version, or settings or objects the
judge does not know (`adventure images eval` refuses then, naming both, unless
told --force). A model that learned empty scenes is also asked for
`empty_per_setting` of them per setting, reported apart ("empty_*").

Deliberately left out: Inception features (no pretrained networks here) and
human ratings.
"""
from __future__ import annotations

import numpy as np
import torch
from tqdm import tqdm

from game.images.backgrounds import VERSION
from game.images.dataset import compose, data_spec, held_out_pairs
from game.images.judge import HEADS, Judge, judge_images
from game.images.vocabulary import HOUSEHOLD_OBJECTS, NOTHING, OBJECT_NAMES, SETTING_NAMES, TIME_NAMES, caption


def mismatches(data: dict, judge: Judge) -> list[str]:
    """Why `judge` cannot measure a model trained on `data` (a `dataset.data_spec`) fairly; [] when it can."""
    problems = []
    if data["backgrounds"] != judge.backgrounds:
        problems.append(f"the model was trained on backgrounds version {data['backgrounds']}, the judge on version "
                        f"{judge.backgrounds}: retrain the judge (adventure images judge) on the model's")
    for head, wanted in (("setting", data["settings"]), ("object", data["objects"])):
        if missing := [n for n in wanted if n not in judge.names[head]]:
            problems.append(f"the judge does not know the model's {head}s {', '.join(missing)} (model: {len(wanted)} "
                            f"{head}s, judge: {len(judge.names[head])})")
    return problems


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (numpy only, no scipy)."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    vals, vecs = np.linalg.eigh(ca)
    root_a = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    cross = np.linalg.eigvalsh(root_a @ cb @ root_a)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * np.sqrt(np.clip(cross, 0, None)).sum())


PAIRS = ("held-out", "trained")


def evaluate(pipe, judge: Judge, per_setting: int = 16, seed: int = 0, steps: int = 20, guidance: float = 3.0,
             batch: int = 16, quiet: bool = False, settings=None, pairs: str = "held-out", data: dict | None = None,
             empty_per_setting: int = 2) -> dict:
    """`data`: what the model was trained on (`pipeline.trained_data`; default: the whole vocabulary, no empty
    scenes, the newest backgrounds), `settings` a shortcut for its settings; `judge`: see game.images.judge.

    `pairs`: "held-out" (the reported figures) or "trained", (setting, object) pairs the model saw in training —
    the development split on which sampling settings such as guidance and steps are chosen.
    """
    if pairs not in PAIRS:
        raise ValueError(f"pairs must be one of {PAIRS}, not {pairs!r}")
    data = data_spec(data or {"settings": list(SETTING_NAMES), "objects": OBJECT_NAMES, "backgrounds": VERSION})
    if settings:
        data["settings"] = list(settings)
    if problems := [p for p in mismatches(data, judge) if "backgrounds" not in p]:
        raise ValueError("; ".join(problems))
    size, settings, objects, version = pipe.pixel_size, data["settings"], data["objects"], data["backgrounds"]
    rng = np.random.default_rng([seed, 99])
    held = held_out_pairs(seed)
    if pairs == "held-out":
        chosen = sorted(p for p in held if p[0] in settings and p[1] in objects)
    else:
        chosen = sorted((s, o) for s in settings for o in objects if (s, o) not in held)
    by_setting = {s: [p for p in chosen if p[0] == s] for s in settings}
    wanted, real, real_again = [], [], []
    for setting in settings:
        for i in range(per_setting):
            options = by_setting[setting] or [(setting, o) for o in objects]
            _, obj = options[i % len(options)]
            time = TIME_NAMES[rng.integers(len(TIME_NAMES))]
            wanted.append((setting, time, obj))
            real.append(compose(setting, time, [obj], size, rng, version).image)
            real_again.append(compose(setting, time, [obj], size, rng, version).image)
    generated = []
    gen = torch.Generator().manual_seed(seed)
    prompts = [caption(s, t, [o]) for s, t, o in wanted]
    for start in tqdm(range(0, len(prompts), batch), desc="sample held-out prompts", disable=quiet):
        out = pipe(prompts[start:start + batch], num_inference_steps=steps, guidance_scale=guidance,
                   generator=gen, output_type="np")
        generated.extend(out.images)
    f_gen, pred = judge_images(judge, generated)
    f_real, pred_real = judge_images(judge, real)
    f_again, _ = judge_images(judge, real_again)
    figures: dict = {"resolution": size, "judge_size": judge.size}
    for k in HEADS:
        names = judge.names[k]
        truth = np.array([names.index(w[list(HEADS).index(k)]) for w in wanted])
        figures[f"{k}_accuracy"] = float((pred[k] == truth).mean())
        figures[f"judge_{k}_ceiling"] = float((pred_real[k] == truth).mean())
        figures[f"{k}_chance_level"] = 1.0 / len(names)
    objects_said = np.array([judge.names["object"].index(w[2]) for w in wanted])
    household = np.array([w[2] in HOUSEHOLD_OBJECTS for w in wanted])
    figures["object_accuracy_by_group"] = {  # the shipped model's 26 objects apart from the household ones
        group: float((pred["object"][mask] == objects_said[mask]).mean()) if mask.any() else None
        for group, mask in (("legacy", ~household), ("household", household))}
    names = judge.names["setting"]
    said = np.array([names.index(w[0]) for w in wanted])
    figures["setting_accuracy_by_setting"] = {}  # where the setting figure is lost, and to what
    for s in settings:
        got = pred["setting"][said == names.index(s)]
        wrong = np.bincount(got[got != names.index(s)], minlength=len(names))
        figures["setting_accuracy_by_setting"][s] = {
            "accuracy": float((got == names.index(s)).mean()),
            "most_taken_for": names[int(wrong.argmax())] if wrong.any() else None}
    for k, value in (judge.record.get("held_out_accuracy") or {}).items():
        figures[f"judge_{k}_held_out_composites"] = value  # its own check, on 2,000 random composites
    groups = {s: np.array([i for i, w in enumerate(wanted) if w[0] == s]) for s in settings}
    shifted = settings[1:] + settings[:1]
    figures["fid_generated"] = float(np.mean([frechet(f_gen[g], f_real[g]) for g in groups.values()]))
    figures["fid_real_vs_real"] = float(np.mean([frechet(f_again[g], f_real[g]) for g in groups.values()]))
    figures["fid_shuffled_captions"] = float(np.mean([frechet(f_gen[groups[s]], f_real[groups[o]])
                                                      for s, o in zip(settings, shifted)]))
    figures["settings"], figures["objects"] = len(settings), len(objects)
    figures["samples"] = len(generated)
    figures["held_out_pairs" if pairs == "held-out" else "trained_pairs"] = len(chosen)
    figures["guidance"], figures["steps"] = guidance, steps
    figures["backgrounds"], figures["judge_backgrounds"] = version, judge.backgrounds
    if data["empty_share"] > 0 and empty_per_setting > 0 and NOTHING in judge.names["object"]:
        empty = _empty_scenes(pipe, judge, settings, empty_per_setting, seed, steps, guidance, batch)
        figures.update(empty[0])
        generated, prompts = generated + empty[1], prompts + empty[2]
    return figures, generated, prompts


def _empty_scenes(pipe, judge: Judge, settings, per_setting: int, seed: int, steps: int, guidance: float,
                  batch: int):
    """Empty scenes ("nothing in a kitchen at dusk"), apart from the held-out figures: the share the judge sees
    nothing in, and the share whose setting it names."""
    rng = np.random.default_rng([seed, 98])
    wanted = [(s, TIME_NAMES[rng.integers(len(TIME_NAMES))]) for s in settings for _ in range(per_setting)]
    prompts = [caption(s, t, []) for s, t in wanted]
    gen, images = torch.Generator().manual_seed(seed + 1), []
    for start in range(0, len(prompts), batch):
        images.extend(pipe(prompts[start:start + batch], num_inference_steps=steps, guidance_scale=guidance,
                           generator=gen, output_type="np").images)
    _, pred = judge_images(judge, images)
    names = judge.names
    return ({"empty_samples": len(images),
             "empty_nothing_accuracy": float((pred["object"] == names["object"].index(NOTHING)).mean()),
             "empty_setting_accuracy": float(np.mean([pred["setting"][i] == names["setting"].index(s)
                                                      for i, (s, _) in enumerate(wanted)]))},
            images, prompts)
