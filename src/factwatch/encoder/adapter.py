"""The claim-query adapter: low-rank (LoRA) updates of e5's query tower for claim matching.

Fact-checks keep their plain multilingual-e5-small ``passage:`` vectors; posts are embedded by the
same transformer with small learned updates ``W + B·A`` (rank 8) on some of its linear layers,
trained on the CheckThat! train posts (and their French and Vietnamese translations) to land
next to the vector of the fact-check they repeat (``factwatch train claim-adapter``).  The file is
an ``.npz`` of ``{layer}.{linear}.a`` ``(r, n_in)`` and ``{layer}.{linear}.b`` ``(n_out, r)`` (already
scaled), plus a JSON ``info`` record; nothing else of the model changes.

``FACTWATCH_CLAIM_ADAPTER``: a path to another adapter file, or ``none`` to match with plain e5.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.encoder.weights import E5Weights

ADAPTER_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "claim_adapter.npz"
LINEARS = ("q", "k", "v", "ao", "fi", "fo")


@dataclasses.dataclass(frozen=True)
class Adapter:
    """Low-rank updates by weight name (``l3.q.w`` -> (A, B)) and what they were trained on."""

    updates: dict[str, tuple[np.ndarray, np.ndarray]]
    digest: str
    info: dict[str, Any]
    name: str = "claimq"  # what the updates are for: part of the model id of the vectors

    @property
    def id(self) -> str:
        return f"{self.name}-{self.digest[:12]}"

    def merge(self, w: E5Weights) -> E5Weights:
        """``w`` with every updated matrix replaced by ``W + B·A`` (fp32)."""
        overrides = dict(w.overrides)
        for name, (a, b) in self.updates.items():
            if name not in w.tensors:
                raise ValueError(f"adapter updates {name!r}, which the model does not have")
            n_in = a.shape[1]
            base = w.q4_matrix(name, n_in)
            if base.shape != (b.shape[0], n_in):
                raise ValueError(f"adapter shape for {name!r} does not fit {base.shape}")
            overrides[name] = (base + b @ a).astype(np.float32)
        return dataclasses.replace(w, overrides=overrides, overrides_id=self.id)


def load_adapter(path: str | Path, name: str = "claimq") -> Adapter:
    path = Path(path)
    raw = path.read_bytes()
    with np.load(path, allow_pickle=False) as z:
        info = json.loads(str(z["info"])) if "info" in z.files else {}
        updates: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for key in z.files:
            if key.endswith(".a"):
                stem = key[:-2]
                a = np.asarray(z[key], dtype=np.float32)
                b = np.asarray(z[stem + ".b"], dtype=np.float32)
                if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[1]:
                    raise ValueError(f"{path}: bad low-rank pair {stem}")
                updates[f"{stem}.w"] = (a, b)
    if not updates:
        raise ValueError(f"{path}: no adapter weights")
    return Adapter(updates, hashlib.sha256(raw).hexdigest(), info, name)


def save_adapter(
    path: str | Path,
    updates: dict[str, tuple[np.ndarray, np.ndarray]],
    info: dict[str, Any],
    half: bool = False,
    extra: dict[str, np.ndarray] | None = None,
) -> None:
    """Writes the updates (float16 when ``half``: half the file; they are read back as float32),
    and ``extra`` arrays as they are (e.g. a classifier's head, which :func:`load_adapter`
    ignores)."""
    arrays: dict[str, Any] = {"info": np.array(json.dumps(info, sort_keys=True)), **(extra or {})}
    dtype = np.float16 if half else np.float32
    for name, (a, b) in sorted(updates.items()):
        stem = name[:-2] if name.endswith(".w") else name
        arrays[stem + ".a"] = a.astype(dtype)
        arrays[stem + ".b"] = b.astype(dtype)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def model_path_from_env(variable: str, shipped: Path) -> Path | None:
    """A model file chosen by an environment variable: ``none``/``off``/``0`` for none, a path
    for that file, unset for the ``shipped`` one (``None`` if it is not there)."""
    env = os.environ.get(variable, "").strip()
    if env.lower() in ("none", "off", "0"):
        return None
    if env:
        return Path(env)
    return shipped if shipped.exists() else None


def adapter_path() -> Path | None:
    """The adapter in use: ``$FACTWATCH_CLAIM_ADAPTER`` (``none`` for none), else the shipped one."""
    return model_path_from_env("FACTWATCH_CLAIM_ADAPTER", ADAPTER_PATH)


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float, name: str) -> Adapter:
    return load_adapter(path, name)


def cached_adapter(path: Path, name: str = "claimq") -> Adapter:
    """:func:`load_adapter`, read again only when the file changes."""
    return _cached(str(path), path.stat().st_mtime, name)


def current_adapter() -> Adapter | None:
    p = adapter_path()
    if p is None:
        return None
    return cached_adapter(p)
