"""``factwatch bench retrieval``: accuracy and speed figures for the README."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Evaluation and speed harnesses (figures for the README).", no_args_is_help=True
    )
    app.add_typer(group, name="bench")

    @group.command("langid")
    def langid(
        output: Annotated[
            str | None, typer.Option("--output", help="Also write the markdown table here.")
        ] = None,
    ) -> None:
        """Language identification accuracy (vi/fr/en) on the shared data."""
        from pathlib import Path

        from factwatch.bench.langid import run, table

        text = table(run())
        typer.echo(text)
        if output:
            Path(output).write_text(text + "\n")

    @group.command("demo")
    def demo(threshold: Annotated[float | None, typer.Option("--threshold")] = None) -> None:
        """Precision and recall of claim-match signals on the bundled sample."""
        import json

        from factwatch.bench.demo import run

        typer.echo(json.dumps(run(threshold), ensure_ascii=False, indent=1))

    @group.command("retrieval")
    def retrieval(
        langs: Annotated[
            str, typer.Option("--langs", help="Comma-separated: en,fr,vi")
        ] = "en,fr,vi",
        output: Annotated[
            str | None, typer.Option("--output", help="Also write the markdown tables here.")
        ] = None,
        ablations: Annotated[
            bool, typer.Option("--ablations/--no-ablations", help="Also run the ablations.")
        ] = True,
        speed_sample: Annotated[
            int, typer.Option("--speed-sample", help="Posts and fact-checks timed without cache.")
        ] = 100,
    ) -> None:
        """CLEF-2020 dev (en, fr, vi posts vs English fact-checks): MAP@5, MRR, Success@10 of
        bm25s, e5 brute force and factwatch side by side, then end-to-end speed."""
        import tempfile
        import time
        from pathlib import Path

        from factwatch.analysers.claim_match import (
            ClaimMatcher,
            Query,
            factcheck_vectors,
        )
        from factwatch.bench.retrieval import (
            clef_dir,
            load_factchecks,
            load_jsonl,
            side_by_side,
        )
        from factwatch.cli._progress import progress_bar
        from factwatch.embed import EmbeddingCache
        from factwatch.store import Store

        fcs = load_factchecks()
        with progress_bar("embedding fact-checks (cached)", len(fcs)) as advance:
            table, _raw, index = side_by_side(
                [x.strip() for x in langs.split(",") if x.strip()],
                ablations=ablations,
                progress=advance,
            )
        # Speed without any cache: embedding included, as a user running `match` sees it.
        posts = load_jsonl(clef_dir() / "dev-posts.jsonl")[:speed_sample]
        with tempfile.TemporaryDirectory() as tmp:
            matcher = ClaimMatcher(index, cache=EmbeddingCache(Path(tmp) / "c.sqlite"))
            t0 = time.perf_counter()
            matcher.match([Query(p["id"], p["text"], p.get("lang")) for p in posts])
            posts_s = len(posts) / (time.perf_counter() - t0)
            store = Store.open(str(Path(tmp) / "fc.db"))
            sample = fcs[:speed_sample]
            t0 = time.perf_counter()
            store.upsert_factchecks(sample)
            factcheck_vectors(store, sample)
            fcs_s = len(sample) / (time.perf_counter() - t0)
            store.close()
        speed = (
            f"End to end, no cache: `match` {posts_s:.1f} posts/s against {len(fcs)} fact-checks; "
            f"fact-check import with embedding {fcs_s:.1f} fact-checks/s; signal threshold {index.ranker.threshold:.3f}."
        )
        text = table + "\n\n" + speed
        typer.echo(text)
        if output:
            Path(output).write_text(text + "\n")

    @group.command("stream")
    def stream_cmd(
        factchecks: Annotated[
            int,
            typer.Option("--factchecks", help="Fact-check base size (synthetic above 10,375)."),
        ] = 100_000,
        organic: Annotated[
            int, typer.Option("--organic", help="Organic posts in the stream (>= 20,000).")
        ] = 20_000,
        backends: Annotated[
            str, typer.Option("--backends", help="Encoder backends to time, comma-separated.")
        ] = "onnx,onnx-int8",
        output: Annotated[
            str | None, typer.Option("--output", help="Also write the markdown table here.")
        ] = None,
    ) -> None:
        """The `match` path over a realistic stream: the dev posts (en, fr, vi, vi without
        diacritics) mixed into organic posts and headlines, against FACTCHECKS fact-checks;
        posts/s without any cache, per encoder backend, and the dev posts' MAP@5."""
        import json
        from pathlib import Path

        from factwatch.bench.stream import run, table
        from factwatch.cli._io import err_console

        rep = run(
            factchecks,
            organic,
            [b.strip() for b in backends.split(",") if b.strip()],
            progress=err_console.print,
        )
        text = table(rep)
        typer.echo(text)
        err_console.print(json.dumps(rep))
        if output:
            Path(output).write_text(text + "\n")
