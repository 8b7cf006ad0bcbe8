"""``factwatch match --input POSTS.jsonl``: the fact-checks each post repeats, best first."""

from __future__ import annotations

from typing import Annotated

import typer

from factwatch.cli._io import JsonlWriter, Rejections, err_console, read_jsonl, require_file


def register(app: typer.Typer) -> None:
    @app.command()
    def match(
        input: Annotated[
            str, typer.Option("--input", help="JSONL posts: id, text, lang?  ('-' for stdin)")
        ],
        top: Annotated[int, typer.Option("--top", min=1, max=100, help="Matches per post.")] = 5,
        output: Annotated[
            str | None, typer.Option("--output", help="JSONL out (default stdout).")
        ] = None,
        min_score: Annotated[
            float, typer.Option("--min-score", help="Drop matches scoring below this.")
        ] = 0.0,
        rerank: Annotated[
            bool,
            typer.Option(
                "--rerank/--no-rerank",
                help="Re-rank each post's best candidates with the cross-encoder (slower, more "
                "accurate order; never changes whether a post is flagged).",
            ),
        ] = True,
    ) -> None:
        """Match posts against the fact-check base (one output line per input post, in order)."""
        from factwatch.analysers.claim_match import ClaimMatcher, Query, load_index
        from factwatch.cli._progress import progress_bar
        from factwatch.cli.main import open_store

        require_file(input)
        rej = Rejections()
        queries: list[Query] = []
        for lineno, rec in read_jsonl(input, rej):
            rid, text = rec.get("id"), rec.get("text") or rec.get("title")
            if rid is None or not isinstance(text, str) or not text.strip():
                rej.add(f"{input}:{lineno}", "expected 'id' and a non-empty 'text'")
                continue
            lang = rec.get("lang") if isinstance(rec.get("lang"), str) else None
            queries.append(Query(str(rid) if not isinstance(rid, int) else rid, text, lang))  # type: ignore[arg-type]
        store = open_store()
        fcs = store.count_factchecks()
        with progress_bar("embedding fact-checks", fcs) as advance:
            index = load_index(store, advance)
        store.close()
        if not len(index):
            err_console.print(
                "warning: the fact-check base is empty (factwatch factchecks import FILE)"
            )
        # posts whose best score is under --min-score print no match: no need to re-rank them
        matcher = ClaimMatcher(index, rerank="auto" if rerank else None, rerank_above=min_score)
        with progress_bar("matching", len(queries)) as advance:
            results = (
                matcher.match(queries, top=top, progress=advance)
                if len(index)
                else [[] for _ in queries]
            )
        with JsonlWriter(output) as out:
            for q, ms in zip(queries, results, strict=True):
                out.write(
                    {"id": q.id, "matches": [m.as_dict() for m in ms if m.score >= min_score]}
                )
        raise typer.Exit(rej.exit_code)
