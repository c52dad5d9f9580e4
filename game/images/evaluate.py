"""How well the scene model draws what it is asked: a judge classifier and Fréchet distances.

The lectures' CLIP score asks "does the image match its text?". We have no
CLIP, so a small CNN (the *judge*) is trained on real composed scenes to name
their setting, time of day and main object. Generated samples for held-out
(setting, object) pairs — combinations the scene model never saw — are then
judged: the share whose prompted attribute the judge recognises, per
attribute, beside chance level.

Fidelity is a Fréchet distance on the judge's features, computed per setting
and averaged (a class-conditional FID): generated vs real images of the same
captions, against two anchors that make the number readable — real vs real
(the floor) and generated vs real images of another setting (the
shuffled-caption baseline).

Deliberately left out: Inception features (no pretrained networks here) and
human ratings.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

from .dataset import SceneSampler, compose, held_out_pairs
from .vocabulary import OBJECT_NAMES, SETTING_NAMES, TIME_NAMES, caption

HEADS = {"setting": SETTING_NAMES, "time": TIME_NAMES, "object": OBJECT_NAMES}


class Judge(nn.Module):
    def __init__(self, feature_dim: int = 32) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(128, feature_dim), nn.ReLU())
        self.heads = nn.ModuleDict({k: nn.Linear(feature_dim, len(v)) for k, v in HEADS.items()})

    def forward(self, x):
        features = self.body(x)
        return features, {k: head(features) for k, head in self.heads.items()}


def _tensor(images) -> torch.Tensor:
    return torch.from_numpy(np.stack(images).astype(np.float32)).permute(0, 3, 1, 2)


def _labels(scenes) -> dict[str, torch.Tensor]:
    return {"setting": torch.tensor([SETTING_NAMES.index(s.setting) for s in scenes]),
            "time": torch.tensor([TIME_NAMES.index(s.time) for s in scenes]),
            "object": torch.tensor([OBJECT_NAMES.index(s.objects[0]) for s in scenes])}


def train_judge(size: int = 32, seed: int = 0, steps: int = 1500, batch: int = 64, quiet: bool = False) -> Judge:
    """The judge sees every (setting, object) pair: it is the measuring instrument, not the model under test."""
    torch.manual_seed(seed)
    judge = Judge()
    optimiser = torch.optim.Adam(judge.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    sampler = SceneSampler(size, seed + 1000, split="all")
    for step in tqdm(range(steps), desc="train judge", disable=quiet):
        scenes = sampler.batch(batch, step)
        _, logits = judge(_tensor([s.image for s in scenes]))
        labels = _labels(scenes)
        loss = sum(F.cross_entropy(logits[k], labels[k]) for k in HEADS)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
    return judge.eval()


@torch.no_grad()
def judge_images(judge: Judge, images) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    features, logits = judge(_tensor(images))
    return features.numpy(), {k: v.argmax(-1).numpy() for k, v in logits.items()}


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (numpy only, no scipy)."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    vals, vecs = np.linalg.eigh(ca)
    root_a = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    cross = np.linalg.eigvalsh(root_a @ cb @ root_a)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * np.sqrt(np.clip(cross, 0, None)).sum())


def evaluate(pipe, per_setting: int = 16, seed: int = 0, steps: int = 20, guidance: float = 3.0,
             batch: int = 16, quiet: bool = False) -> dict:
    size = pipe.unet.config.sample_size
    judge = train_judge(size, seed, quiet=quiet)
    rng = np.random.default_rng([seed, 99])
    pairs = sorted(held_out_pairs(seed))
    by_setting = {s: [p for p in pairs if p[0] == s] for s in SETTING_NAMES}
    wanted, real, real_again = [], [], []
    for setting in SETTING_NAMES:
        for i in range(per_setting):
            options = by_setting[setting] or [(setting, o) for o in OBJECT_NAMES]
            _, obj = options[i % len(options)]
            time = TIME_NAMES[rng.integers(len(TIME_NAMES))]
            wanted.append((setting, time, obj))
            real.append(compose(setting, time, [obj], size, rng).image)
            real_again.append(compose(setting, time, [obj], size, rng).image)
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
    figures: dict = {}
    for k, names in HEADS.items():
        truth = np.array([names.index(w[list(HEADS).index(k)]) for w in wanted])
        figures[f"{k}_accuracy"] = float((pred[k] == truth).mean())
        figures[f"{k}_accuracy_real_images"] = float((pred_real[k] == truth).mean())
        figures[f"{k}_chance_level"] = 1.0 / len(names)
    groups = {s: np.array([i for i, w in enumerate(wanted) if w[0] == s]) for s in SETTING_NAMES}
    shifted = SETTING_NAMES[1:] + SETTING_NAMES[:1]
    figures["fid_generated_vs_real"] = float(np.mean([frechet(f_gen[g], f_real[g]) for g in groups.values()]))
    figures["fid_real_vs_real"] = float(np.mean([frechet(f_again[g], f_real[g]) for g in groups.values()]))
    figures["fid_shuffled_captions"] = float(np.mean([frechet(f_gen[groups[s]], f_real[groups[o]])
                                                      for s, o in zip(SETTING_NAMES, shifted)]))
    figures["chance_level"] = figures["setting_chance_level"]
    figures["samples"] = len(generated)
    figures["held_out_pairs"] = len(pairs)
    return figures, generated, prompts
