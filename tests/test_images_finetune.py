"""Fine-tuning (`train-latent --init-from DIR`), the judge's new classes, and `images eval` refusing a judge made for
other data than the model — on tiny random configurations and the shipped model's records."""
from __future__ import annotations

import json

import pytest
import torch

from game.images.dataset import LEGACY_DATA
from game.images.judge import HEADS, Judge, export_judge, labels, load_judge, sampler_of, train_judge
from game.images.latent import export_latent, train_latent
from game.images.pipeline import bundled_model_dir, load_pipeline, trained_data
from game.images.vocabulary import LEGACY_OBJECTS, NOTHING, OBJECT_NAMES, SETTING_NAMES

pytestmark = pytest.mark.timeout(300)
TINY = dict(batch=4, size=16, tiny=True, checkpoint_every=1, quiet=True)


@pytest.mark.slow
def test_init_from_a_model_or_a_run_fine_tunes_it_and_resumes_exactly(tmp_path):
    train_latent(tmp_path / "base", 2, 2, **TINY)
    model = export_latent(tmp_path / "base", tmp_path / "model")
    base_vae = load_pipeline(model).vae.state_dict()
    for run in ("whole", "split"):  # phase 1 skipped: the autoencoder is the model's, with its latent scale
        steps = (3,) if run == "whole" else (1, 3)
        for n in steps:
            train_latent(tmp_path / run, 0, n, init_from=model, **TINY)
    ae = torch.load(tmp_path / "whole" / "autoencoder.pt", weights_only=False)
    assert ae["step"] == 0 and ae["scaling_factor"] == json.loads((model / "vae" / "config.json").read_text())[
        "scaling_factor"]
    assert all(torch.equal(ae["vae"][k].half().float(), base_vae[k].float()) for k in base_vae)
    a = torch.load(tmp_path / "whole" / "unet.pt", weights_only=False)
    b = torch.load(tmp_path / "split" / "unet.pt", weights_only=False)
    assert a["step"] == b["step"] == 3 and all(torch.equal(a["unet"][k], b["unet"][k]) for k in a["unet"])
    base_unet = load_pipeline(model).unet.state_dict()  # three warm-up steps later, still the model's denoiser
    assert all(torch.allclose(a["unet"][k], base_unet[k].float(), atol=2e-3, rtol=1e-2) for k in base_unet)
    with pytest.raises(ValueError, match="init_from"):  # resumed without it: named, not silently another run
        train_latent(tmp_path / "whole", 0, 4, **TINY)
    record = json.loads((export_latent(tmp_path / "whole", tmp_path / "tuned") / "training.json").read_text())
    assert record["init_from"] == str(model) and record["steps"] == 3 and record["ae_steps"] == 0
    assert record["objects"] == OBJECT_NAMES and record["empty_share"] == 0.1 and record["backgrounds"] == 2
    train_latent(tmp_path / "from-run", 1, 1, init_from=tmp_path / "base", **TINY)  # a run folder; AE fine-tuned
    assert torch.load(tmp_path / "from-run" / "autoencoder.pt", weights_only=False)["step"] == 1
    with pytest.raises(ValueError, match="neither"):
        train_latent(tmp_path / "x", 0, 1, init_from=tmp_path, **TINY)
    with pytest.raises(ValueError, match="does not fit"):
        train_latent(tmp_path / "big", 0, 1, init_from=model, **{**TINY, "tiny": False})


def test_a_run_from_before_the_data_was_recorded_resumes_only_as_the_shipped_models_data(tmp_path):
    from game.images.latent import _checked

    config = {"size": 16, "seed": 0, "settings": list(SETTING_NAMES)}
    torch.save({"config": config, "step": 1}, tmp_path / "unet.pt")
    legacy = {**config, "objects": LEGACY_DATA["objects"], "empty_share": 0.0, "backgrounds": 1}
    assert _checked(tmp_path / "unet.pt", legacy, "cpu")["step"] == 1
    with pytest.raises(ValueError, match="backgrounds=1.*backgrounds=2"):
        _checked(tmp_path / "unet.pt", {**legacy, "backgrounds": 2}, "cpu")


def test_the_judge_names_empty_scenes_and_every_object():
    assert HEADS["object"] == OBJECT_NAMES + [NOTHING]
    judge = Judge(4, size=16)
    scenes = sampler_of(judge, 16, 0).batch(60, 0)
    truth = labels(scenes, judge.names)["object"].tolist()
    assert judge.names["object"].index(NOTHING) in truth
    assert all(t == judge.names["object"].index(s.objects[0] if s.objects else NOTHING) for t, s in zip(truth, scenes))
    shipped = load_judge(bundled_model_dir() / "judge")  # knows neither: checked on exactly what it was trained on
    sampler = sampler_of(shipped, 64, 0)
    assert shipped.backgrounds == 1 and sampler.objects == LEGACY_OBJECTS and sampler.empty_share == 0
    assert sampler.backgrounds_version == 1


@pytest.mark.slow
def test_a_judge_records_its_backgrounds_and_evaluate_asks_a_model_for_empty_scenes(tmp_path):
    from game.images.evaluate import evaluate
    from game.images.pipeline import tiny_test_pipeline

    judge = train_judge(tmp_path / "j", 2, size=16, batch=8, width=4, horizon=4, checkpoint_every=2, quiet=True,
                        backgrounds_version=1)
    again = load_judge(export_judge(judge, tmp_path / "judge", {}))
    assert again.backgrounds == 1 and json.loads((tmp_path / "judge" / "judge.json").read_text())["backgrounds"] == 1
    data = {"settings": ["kitchen", "cave"], "objects": OBJECT_NAMES, "empty_share": 0.1, "backgrounds": 1}
    figures, images, prompts = evaluate(tiny_test_pipeline(), again, per_setting=2, steps=2, quiet=True, data=data,
                                        empty_per_setting=1)
    assert figures["empty_samples"] == 2 and "nothing in a dark cave" in " ".join(prompts)
    assert isinstance(figures["empty_nothing_accuracy"], float) and len(images) == figures["samples"] + 2
    assert figures["backgrounds"] == figures["judge_backgrounds"] == 1
    assert set(figures["object_accuracy_by_group"]) == {"legacy", "household"}


def _eval(capsys, *argv) -> tuple[int, str]:
    from game.cli import main

    code = main(["images", "eval", "--per-setting", "1", "--steps", "1", *argv])
    return code, capsys.readouterr().err


def test_eval_refuses_a_judge_made_for_other_backgrounds_or_objects_naming_both(tmp_path, capsys):
    new_judge = export_judge(Judge(4, size=16), tmp_path / "new-judge", {})  # backgrounds 2, every object
    code, err = _eval(capsys, "--judge", str(new_judge))  # the shipped model: backgrounds 1
    assert code == 2 and "backgrounds version 1" in err and "version 2" in err
    assert str(bundled_model_dir()) in err and str(new_judge) in err and "--force" in err
    model = tmp_path / "model"
    model.mkdir()
    (model / "training.json").write_text(json.dumps({"settings": SETTING_NAMES, "objects": OBJECT_NAMES,
                                                     "empty_share": 0.1, "backgrounds": 1}))
    assert trained_data(model)["objects"] == OBJECT_NAMES and trained_data(bundled_model_dir()) == {
        "settings": SETTING_NAMES, **LEGACY_DATA}
    code, err = _eval(capsys, "--scene-model", str(model), "--force")  # the shipped judge: 26 objects
    assert code == 2 and "does not know the model's objects knife" in err and str(model) in err


def test_data_options_of_the_trainers():
    from game.cli import build_parser
    from game.images.cli import _data

    def data(*argv):
        return _data(build_parser().parse_args(["images", "train-latent", *argv]))

    assert data() == {"objects": OBJECT_NAMES, "empty_share": 0.1, "backgrounds_version": 2}
    assert data("--data", "legacy") == {"objects": LEGACY_OBJECTS, "empty_share": 0.0, "backgrounds_version": 1}
    assert data("--data", "legacy", "--backgrounds", "2", "--objects", "all")["objects"] == OBJECT_NAMES
    assert data("--objects", "apple,key", "--empty-share", "0")["objects"] == ["apple", "key"]
