"""``factwatch train ranker``: fit the claim matcher's re-ranker on the CheckThat! train split."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from factwatch.cli._io import err_console


def register_classify(group: typer.Typer) -> None:
    return None


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
        """Train the claim re-ranker (logistic regression over pair features), seed 0."""
        from pathlib import Path

        from factwatch.analysers.claim_match import RANKER_PATH, ClaimIndex, Ranker
        from factwatch.bench.retrieval import fc_vectors, load_factchecks, train_ranker
        from factwatch.cli._progress import progress_bar
        from factwatch.embed import EmbeddingCache

        cache = EmbeddingCache()
        fcs = load_factchecks()
        with progress_bar("embedding fact-checks", len(fcs)) as advance:
            vecs = fc_vectors(cache, fcs, advance)
        index = ClaimIndex(fcs, vecs, ranker=Ranker(0.0, 1.0, 0.0))  # fitted below
        ranker = train_ranker(index, cache, target_precision=precision)
        path = Path(output) if output else RANKER_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(ranker.to_json(), indent=2) + "\n")
        err_console.print(
            f"ranker written to {path}: threshold {ranker.threshold:.3f}, {ranker.info}"
        )
