"""The adapter check at start-up reads GGUF headers fast and agrees with gguf.GGUFReader."""
from __future__ import annotations

import time

import numpy as np
import pytest

from agent.adapters import SHIPPED_ADAPTER
from agent.gguf_header import read_header


def _reference(path):
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    fields = {}
    for key, f in reader.fields.items():
        if not f.data or key.startswith("GGUF."):  # the reader's own pseudo-fields (version, counts)
            continue
        val = f.parts[f.data[0]]
        fields[key] = bytes(val).decode() if val.dtype == np.uint8 and f.types[-1].name == "STRING" else val.tolist()[0]
    return fields, {t.name: [int(x) for x in t.shape] for t in reader.tensors}


def _check_same(path):
    fields, shapes = read_header(path)
    ref_fields, ref_shapes = _reference(path)
    assert shapes == ref_shapes
    assert set(fields) == set(ref_fields)
    for key, value in ref_fields.items():
        assert fields[key] == pytest.approx(value) if isinstance(value, float) else fields[key] == value, key


@pytest.mark.slow
def test_header_of_a_small_gguf_matches_gguf_reader(tmp_path):
    from _toolformer_tiny import write_base_gguf

    _check_same(write_base_gguf(tmp_path / "base.gguf"))


def test_not_a_gguf_is_refused(tmp_path):
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"NOPE" + bytes(40))
    with pytest.raises(ValueError, match="not a GGUF"):
        read_header(bad)


@pytest.mark.model
def test_default_model_and_shipped_adapter_headers_match_and_checking_is_fast():
    from agent.adapters import shipped_adapter_for
    from agent.model_files import default_model_path

    model = default_model_path()
    _check_same(SHIPPED_ADAPTER)
    _check_same(model)  # 49k-entry tokenizer arrays: only their first elements are kept
    t0 = time.perf_counter()
    assert shipped_adapter_for(model) == SHIPPED_ADAPTER
    assert time.perf_counter() - t0 < 0.15  # was ~3 s with GGUFReader on the model
