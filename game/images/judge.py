"""The judge: a small CNN that names a scene's setting, time of day and main object, trained on real composites.

It is the measuring instrument of `adventure images eval`, so it is trained and
checked only on *real* composed scenes from `dataset.SceneSampler` (every
(setting, object) pair, fresh images every step — never generated pictures) and
its accuracy on held-out composites (another seed, so images it never saw) is
its *ceiling*: a generated figure can only be read beside it.

`train_judge(run_dir, steps)` keeps one checkpoint (`checkpoint.pt`: weights,
optimiser, step) written atomically every `checkpoint_every` steps and on
Ctrl-C; running it again resumes there, deterministically (batches are seeded
by step). `export_judge` writes fp16 safetensors plus `judge.json` (vocabulary,
size, backgrounds version, held-out accuracies); `load_judge` reads them back.
Images of another size are resized to the judge's (area average) before judging.

Its object head names every object of the vocabulary and `NOTHING`, the main
object of an empty scene (it is trained with `dataset.EMPTY_SHARE` of them), so
a generated empty scene can be judged too. A judge records the backgrounds
version it was trained on (`backgrounds`; none recorded: version 1, the shipped
judge), and its held-out check draws exactly what it knows: its settings, its
objects, empty scenes only if it names `NOTHING`, its backgrounds.

Deliberately left out: a pretrained backbone (none offline), test-time
augmentation, and judging the second object (the caption's first object is the
one drawn large).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

from game.images.backgrounds import VERSION as BACKGROUNDS_VERSION
from game.images.backgrounds import check_version
from game.images.dataset import EMPTY_SHARE, SceneSampler
from game.images.progress import after_step, save_checkpoint
from game.images.vocabulary import NOTHING, OBJECT_NAMES, SETTING_NAMES, TIME_NAMES

HEADS = {"setting": SETTING_NAMES, "time": TIME_NAMES, "object": OBJECT_NAMES + [NOTHING]}
TRAIN_STREAM, HELD_OUT_STREAM = 1000, 5000  # sampler seeds: training images and held-out images never overlap


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


class Judge(nn.Module):
    def __init__(self, width: int = 32, feature_dim: int = 64, heads: dict | None = None, size: int = 32,
                 backgrounds: int = BACKGROUNDS_VERSION) -> None:
        super().__init__()
        heads = heads or HEADS
        self.size, self.record, self.backgrounds = size, {}, backgrounds
        self.names = {k: list(v) for k, v in heads.items()}
        self.body = nn.Sequential(_block(3, width), _block(width, width * 2), _block(width * 2, width * 4),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width * 4, feature_dim), nn.ReLU())
        self.heads = nn.ModuleDict({k: nn.Linear(feature_dim, len(v)) for k, v in self.names.items()})

    def forward(self, x):
        features = self.body(x * 2 - 1)
        return features, {k: head(features) for k, head in self.heads.items()}


def to_tensor(images, size: int) -> torch.Tensor:
    x = torch.from_numpy(np.stack([np.asarray(i, dtype=np.float32) for i in images])).permute(0, 3, 1, 2)
    if x.max() > 1.5:  # uint8 pictures
        x = x / 255.0
    if x.shape[-1] != size:
        x = F.interpolate(x, size=(size, size), mode="area" if x.shape[-1] > size else "bilinear")
    return x


def labels(scenes, names: dict) -> dict[str, torch.Tensor]:
    return {"setting": torch.tensor([names["setting"].index(s.setting) for s in scenes]),
            "time": torch.tensor([names["time"].index(s.time) for s in scenes]),
            "object": torch.tensor([names["object"].index(s.objects[0] if s.objects else NOTHING) for s in scenes])}


@torch.no_grad()
def judge_images(judge: Judge, images, size: int | None = None, batch: int = 256):
    """(features, {head: predicted index}) for a list of HxWx3 images (float in [0, 1] or uint8)."""
    judge.eval()
    size = size or judge.size
    feats, preds = [], {k: [] for k in judge.heads}
    for start in range(0, len(images), batch):
        features, logits = judge(to_tensor(images[start:start + batch], size))
        feats.append(features.numpy())
        for k, v in logits.items():
            preds[k].append(v.argmax(-1).numpy())
    return np.concatenate(feats), {k: np.concatenate(v) for k, v in preds.items()}


def sampler_of(judge: Judge, size: int, seed: int) -> SceneSampler:
    """Real composites of what the judge knows: its settings and objects, empty scenes if it names NOTHING, its
    backgrounds (for the shipped judge, exactly the composites it was trained and checked on)."""
    objects = [o for o in judge.names["object"] if o != NOTHING]
    return SceneSampler(size, seed, split="all", settings=judge.names["setting"], objects=objects,
                        empty_share=EMPTY_SHARE if NOTHING in judge.names["object"] else 0.0,
                        backgrounds_version=judge.backgrounds)


def held_out_accuracy(judge: Judge, size: int, count: int = 2000, seed: int = 0) -> dict[str, float]:
    """Accuracy per head on `count` real composites the judge never saw (their own sampler seed)."""
    scenes = sampler_of(judge, size, seed + HELD_OUT_STREAM).batch(count, 0)
    _, pred = judge_images(judge, [s.image for s in scenes], size)
    truth = labels(scenes, judge.names)
    return {k: float((pred[k] == truth[k].numpy()).mean()) for k in judge.names}



def train_judge(run_dir: str | Path, steps: int, *, size: int = 32, batch: int = 128, lr: float = 3e-3,
                seed: int = 0, width: int = 32, horizon: int = 2500, checkpoint_every: int = 100,
                quiet: bool = False, backgrounds_version: int = BACKGROUNDS_VERSION) -> Judge:
    """Train to `steps` (resuming from run_dir); the learning rate decays over `horizon` steps whatever `steps`
    is, so a run stopped at 1,000 and continued to 2,500 is the run that went to 2,500 at once. It learns every
    setting and object of the vocabulary and empty scenes, on backgrounds `backgrounds_version`."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    config = {"size": size, "batch": batch, "lr": lr, "seed": seed, "width": width, "horizon": horizon,
              "heads": {k: list(v) for k, v in HEADS.items()}, "backgrounds": check_version(backgrounds_version),
              "empty_share": EMPTY_SHARE}
    torch.manual_seed(seed)
    judge = Judge(width, size=size, backgrounds=config["backgrounds"])
    optimiser = torch.optim.AdamW(judge.parameters(), lr=lr, weight_decay=1e-4)
    step, path = 0, run_dir / "checkpoint.pt"
    if path.exists():
        ckpt = torch.load(path, weights_only=False)
        if ckpt["config"] != config:
            raise ValueError(f"{path}: made with {ckpt['config']}, not {config}; use another run folder")
        judge.load_state_dict(ckpt["judge"])
        optimiser.load_state_dict(ckpt["optimiser"])
        step = ckpt["step"]
    sampler = sampler_of(judge, size, seed + TRAIN_STREAM)

    def checkpoint() -> None:
        save_checkpoint({"judge": judge.state_dict(), "optimiser": optimiser.state_dict(), "step": step,
                      "config": config}, path)

    bar = tqdm(total=steps, initial=step, desc="train judge", unit="step", disable=quiet)
    log = open(run_dir / "train_log.jsonl", "a", encoding="utf-8")
    started, losses = time.time(), []
    judge.train()
    try:
        while step < steps:
            for group in optimiser.param_groups:  # warm-up, then cosine to 2% over the horizon (a function of step)
                warm, done = min(1.0, (step + 1) / 50), min(step / max(horizon, 1), 1.0)
                group["lr"] = lr * warm * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * done)))
            scenes = sampler.batch(batch, step)
            _, logits = judge(to_tensor([s.image for s in scenes], size))
            truth = labels(scenes, judge.names)
            loss = sum(F.cross_entropy(logits[k], truth[k]) for k in judge.names)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            step += 1
            after_step(step, steps, loss.item(), losses, bar, log, started, checkpoint, checkpoint_every, digits=3)
    except KeyboardInterrupt:
        checkpoint()
        raise
    finally:
        bar.close()
        log.close()
    return judge.eval()


def export_judge(judge: Judge, out_dir: str | Path, record: dict) -> Path:
    """fp16 safetensors + judge.json (vocabulary, size, width, held-out accuracies, training record)."""
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    state = {k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in judge.state_dict().items()}
    save_file(state, str(out / "judge.safetensors"))
    (out / "judge.json").write_text(json.dumps({"size": judge.size, "width": judge.body[0][0].out_channels,
                                                "backgrounds": judge.backgrounds, "heads": judge.names, **record},
                                               indent=2) + "\n")
    return out


def load_judge(folder: str | Path) -> Judge:
    from safetensors.torch import load_file

    folder = Path(folder)
    meta_path, weights = folder / "judge.json", folder / "judge.safetensors"
    if not (meta_path.is_file() and weights.is_file()):
        raise FileNotFoundError(f"{folder}: no judge (judge.json and judge.safetensors); "
                                "train one with `adventure images judge`")
    meta = json.loads(meta_path.read_text())
    judge = Judge(meta["width"], heads=meta["heads"], size=meta["size"], backgrounds=meta.get("backgrounds", 1))
    judge.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in load_file(str(weights)).items()})
    judge.record = meta
    return judge.eval()


def bundled_judge_dir() -> Path:
    from game.images.pipeline import bundled_model_dir

    return bundled_model_dir() / "judge"
