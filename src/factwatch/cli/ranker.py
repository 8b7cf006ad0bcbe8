"""``factwatch train ranker``: fit the claim matcher's re-ranker on the CheckThat! train split."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from factwatch.cli._io import EXIT_USAGE, err_console

if TYPE_CHECKING:
    from factwatch.analysers.claim_match import ClaimIndex, Ranker
    from factwatch.embed import EmbeddingCache


def register_classify(group: typer.Typer) -> None:
    return None


def _base_index(ranker: Ranker) -> tuple[ClaimIndex, EmbeddingCache]:
    """The CheckThat! fact-check base with ``ranker`` (vectors from the embedding cache, a
    progress bar while they are computed), and that cache."""
    from factwatch.analysers.claim_match import ClaimIndex
    from factwatch.bench.retrieval import fc_vectors, load_factchecks
    from factwatch.cli._progress import progress_bar
    from factwatch.embed import EmbeddingCache

    cache = EmbeddingCache()
    fcs = load_factchecks()
    with progress_bar("embedding fact-checks", len(fcs)) as advance:
        vecs = fc_vectors(cache, fcs, advance)
    return ClaimIndex(fcs, vecs, ranker=ranker), cache


# the claim adapter's LoRA targets (``AdapterConfig().targets``; a literal here so that the
# command line starts without importing the encoder)
CLAIM_ADAPTER_TARGETS = ("q", "v")


def _targets(value: str) -> tuple[str, ...]:
    from factwatch.encoder.adapter import LINEARS

    got = tuple(t.strip() for t in value.split(",") if t.strip())
    bad = [t for t in got if t not in LINEARS]
    if not got or bad:
        err_console.print(
            f"error: --targets: {', '.join(bad) or 'none given'}; choose among {', '.join(LINEARS)}"
        )
        raise typer.Exit(EXIT_USAGE)
    return got


def register_train(group: typer.Typer) -> None:
    @group.command("ranker")
    def train_ranker_cmd(
        output: Annotated[
            str | None,
            typer.Option(
                "--output", help="Where to write the weights (default: the shipped file)."
            ),
        ] = None,
        precision: Annotated[
            float,
            typer.Option("--precision", help="Target precision of the signal threshold on train."),
        ] = 0.9,
    ) -> None:
        """Train the claim re-ranker for plain e5 query vectors (no claim adapter), seed 0; the
        ranker used with the adapter is trained by `factwatch train claim-adapter`."""
        import os
        from pathlib import Path

        os.environ["FACTWATCH_CLAIM_ADAPTER"] = "none"
        from factwatch.analysers.claim_match import RANKER_PLAIN_PATH, Ranker
        from factwatch.bench.adapter import save_json
        from factwatch.bench.retrieval import train_ranker

        index, cache = _base_index(Ranker(0.0, 1.0, 0.0))  # the ranker is fitted below
        ranker = train_ranker(index, cache, target_precision=precision)
        path = Path(output) if output else RANKER_PLAIN_PATH
        save_json(path, ranker.to_json())
        err_console.print(
            f"ranker written to {path}: threshold {ranker.threshold:.3f}, {ranker.info}"
        )

    @group.command("short-threshold")
    def train_short_threshold_cmd(
        ranker_file: Annotated[
            str | None,
            typer.Option(
                "--ranker",
                help="Ranker file to update (default: the one in use, with or without the adapter).",
            ),
        ] = None,
        words: Annotated[
            int,
            typer.Option("--words", help="Texts of fewer words than this are short (0: no rule)."),
        ] = 12,
        threshold: Annotated[
            float | None,
            typer.Option(
                "--threshold",
                help="Set the short texts' threshold by hand (at least the main one) instead "
                "of fitting it.",
            ),
        ] = None,
    ) -> None:
        """Fit the stricter signal threshold of short texts (headlines, one-line posts) on the
        project's short repeats of train fact-checks and organic texts of the stream's train
        half (needs ../shared/data), or set it with --threshold; only the ranker's
        ``short_words`` and ``short_threshold`` change."""
        import dataclasses
        from pathlib import Path

        from factwatch.analysers.claim_match import Ranker, ranker_path
        from factwatch.bench.adapter import save_json
        from factwatch.bench.short_repeats import fit_short_threshold

        path = Path(ranker_file) if ranker_file else ranker_path()
        base = Ranker.load(path)
        if threshold is not None and not base.threshold <= threshold < 1.0:
            raise typer.BadParameter(
                f"must be at least the main threshold {base.threshold:.3f} and below 1",
                param_hint="--threshold",
            )
        if words <= 0 or threshold is not None:  # nothing to fit
            ranker = dataclasses.replace(
                base,
                short_words=max(words, 0),
                short_threshold=threshold if words > 0 else None,
                info={**base.info, "short_texts": {"set_by_hand": True}},
            )
        else:
            index, cache = _base_index(base)
            ranker = fit_short_threshold(index, cache, short_words=words)
        save_json(path, ranker.to_json())
        if ranker.short_threshold is None:
            err_console.print(f"{path}: short-text rule switched off")
            return
        err_console.print(
            f"{path}: texts under {ranker.short_words} words need {ranker.short_threshold:.2f} "
            f"(others {ranker.threshold:.3f}); {ranker.info['short_texts']}"
        )

    @group.command("claim-adapter")
    def train_claim_adapter_cmd(
        output: Annotated[
            str | None,
            typer.Option("--output", help="Adapter file (default: the shipped one)."),
        ] = None,
        ranker_output: Annotated[
            str | None,
            typer.Option("--ranker-output", help="Ranker file (default: the shipped one)."),
        ] = None,
        folds: Annotated[
            int, typer.Option("--folds", help="Folds for the ranker's out-of-fold vectors.")
        ] = 4,
        epochs: Annotated[int, typer.Option("--epochs")] = 3,
        targets: Annotated[
            str,
            typer.Option(
                "--targets",
                help="Linear maps of each e5 block that get low-rank updates "
                "(q, k, v: attention; ao: attention output; fi, fo: feed-forward).",
            ),
        ] = ",".join(CLAIM_ADAPTER_TARGETS),
        langs: Annotated[
            str,
            typer.Option(
                "--langs",
                help="Languages of the training posts (vi-folded: Vietnamese without diacritics).",
            ),
        ] = "en,fr,vi,vi-folded",
        no_ranker: Annotated[
            bool, typer.Option("--no-ranker", help="Train the adapter only.")
        ] = False,
        ranker_only: Annotated[
            bool,
            typer.Option(
                "--ranker-only",
                help="Re-fit the ranker on the out-of-fold vectors of the last training.",
            ),
        ] = False,
        precision: Annotated[
            float,
            typer.Option("--precision", help="Target precision of the signal threshold on train."),
        ] = 0.9,
    ) -> None:
        """Train the claim-query adapter (LoRA on e5's query tower) and then the re-ranker on
        out-of-fold vectors; CheckThat! train split and its translations only, seed 8.  Needs
        PyTorch (CPU) and ../shared/data."""
        from pathlib import Path

        from factwatch.analysers.claim_match import RANKER_PATH
        from factwatch.bench.adapter import train_claim_matcher
        from factwatch.cli._progress import progress_bar
        from factwatch.encoder.adapter import ADAPTER_PATH
        from factwatch.encoder.adapter_train import AdapterConfig

        train_claim_matcher(
            Path(output) if output else ADAPTER_PATH,
            None if no_ranker else Path(ranker_output) if ranker_output else RANKER_PATH,
            cfg=AdapterConfig(epochs=epochs, targets=_targets(targets)),
            n_folds=folds,
            langs=tuple(x.strip() for x in langs.split(",") if x.strip()),
            target_precision=precision,
            log=err_console.print,
            progress_factory=progress_bar,
            ranker_only=ranker_only,
        )

    @group.command("claim-cross-encoder")
    def train_claim_cross_encoder_cmd(
        output: Annotated[
            str | None,
            typer.Option("--output", help="Model file (default: the shipped one)."),
        ] = None,
        epochs: Annotated[
            int, typer.Option("--epochs", min=1, max=20, help="Length of the lr schedule.")
        ] = 2,
        stop_after: Annotated[
            int,
            typer.Option("--stop-after", min=0, max=20, help="Stop after N epochs (0: all)."),
        ] = 1,
        threads: Annotated[int, typer.Option("--threads", min=1, max=64)] = 2,
    ) -> None:
        """Train the claim matcher's second stage, a cross-encoder that re-ranks each post's
        best candidates (LoRA on e5 reading post and fact-check together), on the CheckThat!
        train split and its translations, with hard negatives from the matcher's own candidates;
        seed 8.  Needs PyTorch (CPU), ../shared/data, and the claim adapter and ranker in use."""
        from pathlib import Path

        from factwatch.analysers.claim_rerank import RERANKER_PATH
        from factwatch.bench.rerank import train_claim_reranker
        from factwatch.cli._progress import progress_bar

        train_claim_reranker(
            Path(output) if output else RERANKER_PATH,
            epochs=epochs,
            stop_after=stop_after or None,
            threads=threads,
            log=err_console.print,
            progress_factory=progress_bar,
        )
