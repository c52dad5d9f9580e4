"""Read a GGUF file's metadata and tensor shapes without parsing its big arrays.

The one GGUF inspector of the tree: `read_header` walks the header,
`model_info` sums up what adapter export and adapter checks need.

`gguf.GGUFReader` builds a numpy view for every element of every array, so
opening a model with a 49k-token vocabulary costs ~2-3 s in Python; checking
an adapter against its base model did that on every start of the game (issue
19: the shipped adapter added ~4.5 s to start-up). This reader walks the header
with `struct`, keeps scalars and strings, stores only the FIRST element of an
array (what `model_info` used) and skips the rest: string arrays by their
lengths, others by size.

Deliberately left out: tensor data (export writes with gguf.GGUFWriter; tests
read tensors with gguf.GGUFReader), big-endian files (llama.cpp writes little-endian).
"""
from __future__ import annotations

import mmap
import os
import struct

_SCALAR = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


class _Cursor:
    def __init__(self, buf) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def string(self) -> str:
        n = self.take("<Q")
        raw = bytes(self.buf[self.pos: self.pos + n])
        self.pos += n
        return raw.decode("utf-8", "replace")

    def skip_string(self) -> None:
        self.pos += 8 + struct.unpack_from("<Q", self.buf, self.pos)[0]

    def value(self, vtype: int):
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            etype, count = self.take("<I"), self.take("<Q")
            if count == 0:
                return None
            if etype == _STRING:
                first = self.string()
                for _ in range(count - 1):
                    self.skip_string()
                return first
            if etype in _SCALAR:
                first = self.take(_SCALAR[etype])
                self.pos += struct.calcsize(_SCALAR[etype]) * (count - 1)
                return first
            first = self.value(etype)  # nested arrays: rare, walk them
            for _ in range(count - 1):
                self.value(etype)
            return first
        if vtype not in _SCALAR:
            raise ValueError(f"unknown GGUF value type {vtype}")
        return self.take(_SCALAR[vtype])


def read_header(path: str | os.PathLike) -> tuple[dict, dict[str, list[int]]]:
    """(metadata key -> value, first element for arrays; tensor name -> shape in ggml order)."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        cur = _Cursor(buf)
        if bytes(buf[:4]) != b"GGUF":
            raise ValueError("not a GGUF file")
        cur.pos = 4
        version = cur.take("<I")
        if version < 2:
            raise ValueError(f"GGUF version {version} is too old")
        n_tensors, n_kv = cur.take("<Q"), cur.take("<Q")
        fields = {}
        for _ in range(n_kv):
            key = cur.string()
            fields[key] = cur.value(cur.take("<I"))
        shapes = {}
        for _ in range(n_tensors):
            name = cur.string()
            dims = [cur.take("<Q") for _ in range(cur.take("<I"))]
            cur.take("<I")  # type
            cur.take("<Q")  # offset
            shapes[name] = [int(d) for d in dims]
        return fields, shapes


def model_info(model_path: str | os.PathLike) -> dict:
    """Architecture, head counts and tensor shapes (ggml order) of a GGUF model, without loading weights.

    Read with `read_header` (milliseconds) rather than gguf.GGUFReader (seconds for a model with a
    large vocabulary): the game checks the shipped adapter against its model on every start."""
    fields, shapes = read_header(model_path)
    arch = fields.get("general.architecture")
    return {"arch": arch, "type": fields.get("general.type"), "n_head": fields.get(f"{arch}.attention.head_count"),
            "n_head_kv": fields.get(f"{arch}.attention.head_count_kv"), "n_layer": fields.get(f"{arch}.block_count"),
            "shapes": shapes, "fields": {k: v for k, v in fields.items() if not k.startswith("tokenizer.")}}
