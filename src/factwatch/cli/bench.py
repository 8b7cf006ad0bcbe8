"""``factwatch bench retrieval``: accuracy and speed figures for the README."""

from __future__ import annotations

from typing import Annotated

import typer

from factwatch.cli._io import err_console


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Evaluation and speed harnesses (figures for the README).", no_args_is_help=True)
    app.add_typer(group, name="bench")

    @group.command("langid")
    def langid(output: Annotated[str | None, typer.Option("--output", help="Also write the markdown table here.")] = None) -> None:
        """Language identification accuracy (vi/fr/en) on the shared data."""
        from pathlib import Path

        from factwatch.bench.langid import run, table

        text = table(run())
        typer.echo(text)
        if output:
            Path(output).write_text(text + "\n")

    @group.command("retrieval")
    def retrieval(
        langs: Annotated[str, typer.Option("--langs", help="Comma-separated: en,fr,vi")] = "en,fr,vi",
        output: Annotated[str | None, typer.Option("--output", help="Also write the markdown table here.")] = None,
        speed_sample: Annotated[int, typer.Option("--speed-sample", help="Posts and fact-checks timed without cache.")] = 100,
    ) -> None:
        """MAP@5, MRR, Success@10 on CLEF-2020 dev (en, fr, vi posts vs English fact-checks) and speed."""
        import tempfile
        import time
        from pathlib import Path

        from factwatch.analysers.claim_match import ClaimIndex, ClaimMatcher, Query
        from factwatch.bench.retrieval import clef_dir, evaluate, fc_vectors, load_factchecks, load_jsonl
        from factwatch.cli._progress import progress_bar
        from factwatch.embed import EmbeddingCache
        from factwatch.store import Store

        cache = EmbeddingCache()
        fcs = load_factchecks()
        with progress_bar("embedding fact-checks (cached)", len(fcs)) as advance:
            vecs = fc_vectors(cache, fcs, advance)
        index = ClaimIndex(fcs, vecs)
        res = evaluate(index, cache, langs=[x.strip() for x in langs.split(",") if x.strip()])
        lines = [
            "| posts | MAP@5 | MRR | Success@10 | posts |",
            "|---|---|---|---|---|",
        ]
        for lang, m in res.items():
            label = "English" if lang == "en" else f"{'French' if lang == 'fr' else 'Vietnamese'} → English"
            lines.append(f"| {label} | {m['MAP@5']:.3f} | {m['MRR']:.3f} | {m['S@10']:.3f} | {int(m['n'])} |")
        # Speed without any cache: embedding included, as a user running `match` sees it.
        posts = load_jsonl(clef_dir() / "dev-posts.jsonl")[:speed_sample]
        with tempfile.TemporaryDirectory() as tmp:
            fresh = EmbeddingCache(Path(tmp) / "c.sqlite")
            matcher = ClaimMatcher(index, cache=fresh)
            t0 = time.perf_counter()
            matcher.match([Query(p["id"], p["text"], p.get("lang")) for p in posts])
            posts_s = len(posts) / (time.perf_counter() - t0)
            store = Store.open(str(Path(tmp) / "fc.db"))
            sample = fcs[:speed_sample]
            t0 = time.perf_counter()
            store.upsert_factchecks(sample)
            from factwatch.analysers.claim_match import factcheck_vectors

            factcheck_vectors(store, sample)
            fcs_s = len(sample) / (time.perf_counter() - t0)
            store.close()
        lines.append("")
        lines.append(f"Speed (2 cores, no cache): `match` {posts_s:.1f} posts/s; fact-check import with embedding {fcs_s:.1f} fact-checks/s; index of {len(fcs)} fact-checks, ranker threshold {index.ranker.threshold:.3f}.")
        table = "\n".join(lines)
        typer.echo(table)
        if output:
            Path(output).write_text(table + "\n")
        err_console.print("done")
