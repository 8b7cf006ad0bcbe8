"""A cross-encoder re-ranker for claim matching: e5 reads a post and one fact-check together.

The bi-encoder (claim-query adapter + BM25) compares a post's vector with each fact-check's vector
computed alone; a cross-encoder lets every token of the post attend to every token of the
fact-check, which is what the best CheckThat! 2020 systems added on top of retrieval.  Here it is
multilingual-e5-small with rank-8 LoRA updates on every linear map and a logistic head on the
pooled unit vector of the pair ``<s> query: POST </s></s> passage: FACT-CHECK </s>``, trained
listwise: for each train post, its fact-check against hard negatives drawn from the matcher's own
top candidates (softmax over the group).  At run time the updates are merged into FastE5's
weights (no torch); it scores the top few candidates of a post.

File: an ``.npz`` of LoRA pairs (``encoder/adapter.py``'s layout), ``head_w`` (384,), ``head_b``
and a JSON ``info``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from factwatch.encoder.adapter import LINEARS, load_adapter, save_adapter
from factwatch.encoder.fast import PASSAGE_PREFIX, QUERY_PREFIX, FastE5, _sanitize

ADAPTER_NAME = "claimx"
MAX_POST = 64  # tokens of the post kept in a pair (tweets are shorter)
MAX_FACTCHECK = 64  # tokens of the fact-check (claim, then title)


@dataclass
class CrossConfig:
    rank: int = 8
    alpha: float = 16.0
    layers: tuple[int, ...] = tuple(range(12))
    targets: tuple[str, ...] = LINEARS
    epochs: int = 2  # the length of the learning-rate schedule (linear decay to 0) ...
    stop_after: int | None = 1  # ... which is stopped after this many epochs (None: all)
    lr: float = 5e-4
    head_lr: float = 1e-2
    warmup: int = 30
    negatives: int = 3  # per group, beside the correct fact-check
    pool: int = 15  # negatives are drawn from the matcher's top ``pool`` wrong candidates
    groups: int = 4  # groups per batch (a batch has groups x (1 + negatives) pairs)
    seed: int = 8
    threads: int = 2

    @property
    def epochs_run(self) -> int:
        """How many epochs of the schedule are trained."""
        return min(self.epochs, self.stop_after or self.epochs)

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def pair_ids(enc: FastE5, post: str, factcheck: str) -> list[int]:
    """Content ids of a (post, fact-check) pair, XLM-R style: ``A </s></s> B`` (the encoder adds
    the outer ``<s>`` and ``</s>``)."""
    eos = enc.weights.eos
    a = enc.tokenizer.content_ids(QUERY_PREFIX + _sanitize(post))[:MAX_POST]
    b = enc.tokenizer.content_ids(PASSAGE_PREFIX + _sanitize(factcheck))[:MAX_FACTCHECK]
    return [*a, eos, eos, *b]


@dataclass
class CrossModel:
    """A trained re-ranker (torch tower + head); ``save`` writes the file :class:`CrossEncoder`
    reads."""

    tower: Any
    head_w: np.ndarray
    head_b: float
    cfg: CrossConfig
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def save(self, path: Path, info: dict[str, Any] | None = None) -> None:
        meta = {
            "what": "claim-matching cross-encoder: LoRA updates of multilingual-e5-small + head",
            "config": self.cfg.as_dict(),
            "epoch_losses": [round(x, 4) for x in self.losses],
            "train_seconds": round(self.seconds),
            **(info or {}),
        }
        head = {
            "head_w": self.head_w.astype(np.float32),
            "head_b": np.array(self.head_b, dtype=np.float32),
        }
        save_adapter(path, self.tower.updates(), meta, half=True, extra=head)


def train_cross(
    enc: FastE5,
    posts: Sequence[str],
    positives: Sequence[Sequence[int]],
    candidates: Sequence[Sequence[int]],
    factchecks: Sequence[str],
    cfg: CrossConfig,
    on_epoch: Callable[[int, CrossModel], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CrossModel:
    """Listwise training: each group is a post, one of its correct fact-checks and
    ``cfg.negatives`` wrong ones drawn (again each epoch) from its ranked ``candidates``."""
    from factwatch.encoder.adapter_train import (
        AdapterConfig,
        _batch,
        _torch,
        build_model,
        embedded_inputs,
        head_optimizer,
    )

    torch = _torch()
    F = torch.nn.functional
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    tower = build_model(
        enc, AdapterConfig(rank=cfg.rank, alpha=cfg.alpha, layers=cfg.layers, targets=cfg.targets)
    )
    head = torch.nn.Linear(enc.dim, 1)
    usable = [i for i in range(len(posts)) if positives[i]]
    steps = math.ceil(len(usable) / cfg.groups) * cfg.epochs
    opt, sched = head_optimizer(tower, head, cfg.lr, cfg.head_lr, cfg.warmup, steps)
    rng = np.random.default_rng(cfg.seed)
    ids_cache: dict[tuple[int, int], list[int]] = {}  # token ids only: embedded per batch

    def pair(i: int, f: int) -> list[int]:
        got = ids_cache.get((i, f))
        if got is None:
            got = ids_cache[(i, f)] = pair_ids(enc, posts[i], factchecks[f])
        return got

    model = CrossModel(tower, np.zeros(enc.dim, np.float32), 0.0, cfg)
    t0 = time.perf_counter()
    for epoch in range(1, cfg.epochs_run + 1):
        tower.train()
        total = 0.0
        perm = rng.permutation(usable)
        for s in range(0, len(perm), cfg.groups):
            seqs: list[list[int]] = []
            for i in perm[s : s + cfg.groups]:
                pos = set(positives[i])
                wrong = [f for f in candidates[i] if f not in pos][: cfg.pool]
                negs = rng.choice(len(wrong), size=min(cfg.negatives, len(wrong)), replace=False)
                group = [int(rng.choice(list(positives[i])))] + [wrong[j] for j in negs]
                group += [group[-1]] * (1 + cfg.negatives - len(group))  # pad a short pool
                seqs += [pair(int(i), f) for f in group]
            x, m = _batch(embedded_inputs(enc, seqs))
            logits = head(tower(x, m)).view(-1, 1 + cfg.negatives)
            target = torch.zeros(logits.shape[0], dtype=torch.long)
            loss = F.cross_entropy(logits, target)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * logits.shape[0]
            if progress is not None:
                progress(logits.shape[0])
        model.losses.append(total / len(usable))
        model.seconds = time.perf_counter() - t0
        model.head_w = head.weight.detach().numpy().reshape(-1).astype(np.float32).copy()
        model.head_b = float(head.bias.detach().item())
        if on_epoch is not None:
            on_epoch(epoch, model)
    return model


class CrossEncoder:
    """The re-ranker at run time: FastE5 with the updates merged in, and the head."""

    def __init__(self, path: Path, backend: str = "onnx") -> None:
        from factwatch.encoder import adapted_encoder

        adapter = load_adapter(path, ADAPTER_NAME)
        with np.load(path, allow_pickle=False) as z:
            if "head_w" not in z.files or "head_b" not in z.files:
                raise ValueError(f"{path}: not a cross-encoder file (no head)")
            self.head_w = np.asarray(z["head_w"], dtype=np.float32)
            self.head_b = float(z["head_b"])
        self.info = adapter.info
        self.encoder = adapted_encoder(adapter, backend)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """One logit per (post, fact-check text) pair: higher means more likely the post repeats
        that fact-check's claim (comparable within one post's candidates)."""
        ids = [pair_ids(self.encoder, p, f) for p, f in pairs]
        return np.asarray(self.encoder.encode_ids(ids) @ self.head_w + self.head_b)
