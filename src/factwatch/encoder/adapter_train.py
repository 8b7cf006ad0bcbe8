"""Training of the claim-query adapter (``factwatch train claim-adapter``); needs PyTorch.

The fact-check side is fixed: every fact-check of the base keeps its plain e5 ``passage:``
vector.  Rank-8 LoRA updates on the query/value projections of all 12 layers of e5's query tower
are trained so that a post's vector scores its own fact-check above all the others of the
CheckThat! base: a softmax over the whole base (10,375 fact-checks, temperature 0.02), AdamW,
linear warm-up and decay, fixed seed.  Training posts: the 800 CheckThat! train posts and their
French and Vietnamese translations written for the project
(``benchmarks/data/clef2020-train-translations``).  PyTorch is a training-time dependency only:
the shipped adapter is merged into the fp32 weights at load (``encoder/adapter.py``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from factwatch.encoder.adapter import LINEARS
from factwatch.encoder.fast import QUERY_PREFIX, FastE5, _sanitize

MAX_TOKENS = 128  # tweets are shorter; longer training texts are cut


@dataclass
class AdapterConfig:
    rank: int = 8
    alpha: float = 16.0
    layers: tuple[int, ...] = tuple(range(12))
    targets: tuple[str, ...] = ("q", "v")  # all six maps: see docs/claim-adapter.md, session 17
    epochs: int = 3
    lr: float = 5e-4
    tau: float = 0.02
    batch: int = 16
    seed: int = 8
    threads: int = 2

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


@dataclass
class Example:
    text: str
    positives: list[int]  # indices into the fact-check matrix
    group: str = ""  # the post id (translations of one post share it)
    lang: str = "en"


@dataclass
class TrainLog:
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "training the claim adapter needs PyTorch (CPU): pip install torch==2.13.0"
        ) from exc
    return torch


def embedded_inputs(enc: FastE5, content_ids: Sequence[Sequence[int]]) -> list[np.ndarray]:
    """Embedded tokens (word + position + type) of tokenised inputs framed by ``<s>``/``</s>``,
    as FastE5 feeds them to its first layer."""
    w = enc.weights
    out = []
    for ids in content_ids:
        full = np.asarray([w.bos, *ids, w.eos], dtype=np.int64)
        out.append((w.embedding_rows(full) + enc._pos[: len(full)]).astype(np.float32))
    return out


def token_inputs(enc: FastE5, texts: Sequence[str]) -> list[np.ndarray]:
    """Embedded tokens of each ``query:`` text (cut at ``MAX_TOKENS``), as FastE5 feeds them."""
    return embedded_inputs(
        enc,
        [enc.tokenizer.content_ids(QUERY_PREFIX + _sanitize(t))[: MAX_TOKENS - 2] for t in texts],
    )


def head_optimizer(
    tower: Any, head: Any, lr: float, head_lr: float, warmup: int, steps: int
) -> tuple[Any, Any]:
    """AdamW over the tower's low-rank updates (``lr``) and a head (``head_lr``), with ``warmup``
    linear warm-up steps then a linear decay to 0 at ``steps``: (optimizer, scheduler)."""
    torch = _torch()
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in tower.parameters() if p.requires_grad], "lr": lr},
            {"params": head.parameters(), "lr": head_lr},
        ],
        weight_decay=0.0,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1.0 - s / steps)
    )
    return opt, sched


def build_model(enc: FastE5, cfg: AdapterConfig) -> Any:
    """e5's transformer in torch, frozen, with trainable low-rank updates."""
    torch = _torch()
    nn, F = torch.nn, torch.nn.functional
    w = enc.weights

    class LoraLinear(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int) -> None:
            super().__init__()
            self.register_buffer("w", torch.from_numpy(np.ascontiguousarray(weight)))
            self.register_buffer("b", torch.from_numpy(bias))
            self.rank = rank
            if rank:
                self.a = nn.Parameter(
                    torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1])
                )
                self.bb = nn.Parameter(torch.zeros(weight.shape[0], rank))
                self.scale = cfg.alpha / rank

        def forward(self, x: Any) -> Any:
            y = F.linear(x, self.w, self.b)
            if self.rank:
                y = y + F.linear(F.linear(x, self.a), self.bb) * self.scale
            return y

    def layernorm(prefix: str) -> Any:
        ln = nn.LayerNorm(w.hidden, eps=w.eps)
        ln.weight.data = torch.from_numpy(w.f32(prefix + ".w"))
        ln.bias.data = torch.from_numpy(w.f32(prefix + ".b"))
        ln.requires_grad_(False)
        return ln

    class Tower(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.emb_ln = layernorm("emb.ln")
            self.blocks = nn.ModuleList()
            for i in range(w.layers):
                m = nn.ModuleDict()
                for n in LINEARS:
                    n_in = w.ffn if n == "fo" else w.hidden
                    r = cfg.rank if (i in cfg.layers and n in cfg.targets) else 0
                    name = f"l{i}.{n}"
                    m[n] = LoraLinear(w.q4_matrix(name + ".w", n_in), w.f32(name + ".b"), r)
                m["aln"] = layernorm(f"l{i}.aln")
                m["oln"] = layernorm(f"l{i}.oln")
                self.blocks.append(m)

        def forward(self, x: Any, mask: Any) -> Any:
            b, seq, h = x.shape
            nh = w.heads
            hd = h // nh
            x = self.emb_ln(x)
            bias = ((1.0 - mask) * -1e9)[:, None, None, :]
            for m in self.blocks:
                q = m["q"](x).view(b, seq, nh, hd).transpose(1, 2)
                k = m["k"](x).view(b, seq, nh, hd).transpose(1, 2)
                v = m["v"](x).view(b, seq, nh, hd).transpose(1, 2)
                s = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
                ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, seq, h)
                x = m["aln"](x + m["ao"](ctx))
                x = m["oln"](x + m["fo"](F.gelu(m["fi"](x))))
            pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
            return F.normalize(pooled, dim=-1)

        def updates(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
            out = {}
            for i, m in enumerate(self.blocks):
                for n in LINEARS:
                    lin = m[n]
                    if lin.rank:
                        out[f"l{i}.{n}.w"] = (
                            lin.a.detach().numpy().copy(),
                            (lin.bb.detach() * lin.scale).numpy().copy(),
                        )
            return out

    return Tower()


def _batch(xs: Sequence[np.ndarray]) -> tuple[Any, Any]:
    torch = _torch()
    seq = max(len(x) for x in xs)
    x = np.zeros((len(xs), seq, xs[0].shape[1]), dtype=np.float32)
    m = np.zeros((len(xs), seq), dtype=np.float32)
    for i, t in enumerate(xs):
        x[i, : len(t)] = t
        m[i, : len(t)] = 1.0
    return torch.from_numpy(x), torch.from_numpy(m)


def encode(model: Any, xs: Sequence[np.ndarray], batch: int = 32) -> np.ndarray:
    """Vectors of already-embedded token inputs through the (adapted) tower."""
    torch = _torch()
    model.eval()
    order = sorted(range(len(xs)), key=lambda i: len(xs[i]))
    out = np.zeros((len(xs), 384), dtype=np.float32)
    with torch.no_grad():
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            x, m = _batch([xs[i] for i in idx])
            out[idx] = model(x, m).numpy()
    return out


def train(
    enc: FastE5,
    examples: Sequence[Example],
    fc_vectors: np.ndarray,
    cfg: AdapterConfig,
    on_epoch: Callable[[int, Any], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Any, TrainLog]:
    """Fit the low-rank updates; returns the torch tower (``.updates()`` gives the arrays)."""
    torch = _torch()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    model = build_model(enc, cfg)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    xs = token_inputs(enc, [e.text for e in examples])
    fcs = torch.from_numpy(np.ascontiguousarray(fc_vectors, dtype=np.float32))
    steps = math.ceil(len(examples) / cfg.batch) * cfg.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 10) * max(0.0, 1.0 - s / steps)
    )
    rng = np.random.default_rng(cfg.seed)
    log = TrainLog()
    t0 = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        perm = rng.permutation(len(examples))
        total = 0.0
        for s in range(0, len(perm), cfg.batch):
            idx = perm[s : s + cfg.batch]
            x, m = _batch([xs[i] for i in idx])
            logits = model(x, m) @ fcs.T / cfg.tau
            pos = torch.full_like(logits, float("-inf"))
            for r, i in enumerate(idx):
                pos[r, examples[i].positives] = 0.0
            # several correct fact-checks: the probability of any of them
            loss = (torch.logsumexp(logits, 1) - torch.logsumexp(logits + pos, 1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.item()) * len(idx)
            if progress is not None:
                progress(len(idx))
        log.losses.append(total / len(examples))
        if on_epoch is not None:
            on_epoch(epoch, model)
    log.seconds = time.perf_counter() - t0
    return model, log


def length_batches(
    xs: Sequence[np.ndarray], order: np.ndarray, batch: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Batches of similar lengths in random order: ``order`` is cut into chunks of 32 batches,
    each chunk sorted by length, so a batch pads to its own longest text (half the work of
    random batches on sentences of mixed lengths)."""
    out: list[np.ndarray] = []
    span = batch * 32
    for c in range(0, len(order), span):
        chunk = sorted(order[c : c + span].tolist(), key=lambda i: len(xs[i]))
        out += [np.asarray(chunk[j : j + batch]) for j in range(0, len(chunk), batch)]
    return [out[i] for i in rng.permutation(len(out))]


@dataclass
class ClassifierConfig(AdapterConfig):
    """A binary text classifier on e5: LoRA updates (the adapter's settings, with every linear map
    of every block as target) + a linear head on the pooled unit vector."""

    targets: tuple[str, ...] = LINEARS
    seed: int = 13
    head_lr: float = 1e-2
    warmup: int = 30

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in super().as_dict().items() if k != "tau"}  # tau: matching only


@dataclass
class Classifier:
    """A trained classifier: ``updates`` for :func:`~factwatch.encoder.adapter.save_adapter`, the
    head (``w`` (384,), ``b``) over the adapted ``query:`` vector; ``predict`` needs torch."""

    tower: Any
    head_w: np.ndarray
    head_b: float
    log: TrainLog

    def updates(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        out: dict[str, tuple[np.ndarray, np.ndarray]] = self.tower.updates()
        return out

    def predict(self, xs: Sequence[np.ndarray]) -> np.ndarray:
        """Probabilities for already-embedded token inputs (:func:`token_inputs`)."""
        z = encode(self.tower, xs, batch=64) @ self.head_w + self.head_b
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def train_classifier(
    enc: FastE5,
    xs: Sequence[np.ndarray],
    y: np.ndarray,
    cfg: ClassifierConfig,
    progress: Callable[[int], None] | None = None,
) -> Classifier:
    """Fine-tune e5 (LoRA) with a logistic head; the positive class is weighted to balance."""
    torch = _torch()
    F = torch.nn.functional
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    tower = build_model(enc, cfg)
    head = torch.nn.Linear(enc.dim, 1)
    steps = math.ceil(len(xs) / cfg.batch) * cfg.epochs
    opt, sched = head_optimizer(tower, head, cfg.lr, cfg.head_lr, cfg.warmup, steps)
    y = np.asarray(y, dtype=np.int64)
    pos_weight = torch.tensor(float((y == 0).sum()) / max(1, int((y == 1).sum())))
    labels = torch.from_numpy(y.astype(np.float32))
    rng = np.random.default_rng(cfg.seed)
    log = TrainLog()
    t0 = time.perf_counter()
    for _epoch in range(cfg.epochs):
        tower.train()
        total = 0.0
        for idx in length_batches(xs, rng.permutation(len(xs)), cfg.batch, rng):
            x, m = _batch([xs[i] for i in idx])
            logit = head(tower(x, m)).squeeze(-1)
            loss = F.binary_cross_entropy_with_logits(
                logit, labels[torch.from_numpy(idx)], pos_weight=pos_weight
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
            if progress is not None:
                progress(len(idx))
        log.losses.append(total / len(xs))
    log.seconds = time.perf_counter() - t0
    w = head.weight.detach().numpy().reshape(-1).astype(np.float32).copy()
    return Classifier(tower, w, float(head.bias.detach().item()), log)
