"""``factwatch factchecks import FILE...`` and ``factchecks list``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, Rejections, err_console


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The fact-check base: import and list.", no_args_is_help=True)
    app.add_typer(group, name="factchecks")

    @group.command("import")
    def import_(
        files: Annotated[
            list[str],
            typer.Argument(help="JSONL, CSV, ClaimReview JSON-LD or HTML, Fact Check Tools JSON."),
        ],
        no_embed: Annotated[
            bool,
            typer.Option("--no-embed", help="Skip computing vectors now (done at first match)."),
        ] = False,
        retro: Annotated[
            bool,
            typer.Option(
                "--retro/--no-retro", help="Match stored past items against new fact-checks."
            ),
        ] = True,
    ) -> None:
        """Import fact-checks; re-importing updates, never duplicates."""
        from pathlib import Path

        from factwatch.cli._progress import progress_bar
        from factwatch.cli.main import open_store
        from factwatch.sources.factchecks import read_factchecks
        from factwatch.store import UpsertResult

        missing = [f for f in files if not Path(f).is_file()]
        if missing:
            err_console.print(f"error: no such file: {', '.join(missing)}")
            raise typer.Exit(EXIT_USAGE)
        rej = Rejections()
        store = open_store()
        total = UpsertResult()
        for f in files:
            batch = list(read_factchecks(f, rej))
            # Within one run the last record with an id wins.
            unique = {fc.id: fc for fc in batch}
            res = store.upsert_factchecks(unique.values())
            total.inserted += res.inserted
            total.updated += res.updated
            total.unchanged += res.unchanged
            total.changed_ids.extend(res.changed_ids)
        if not no_embed:
            from factwatch.analysers.claim_match import factcheck_vectors

            fcs = store.list_factchecks()
            with progress_bar("embedding fact-checks", len(fcs)) as advance:
                factcheck_vectors(store, fcs, advance)
        retro_note = ""
        if retro and not no_embed and total.changed_ids and store.count_items() > 0:
            from factwatch.pipeline import retro_match

            rep = retro_match(store, total.changed_ids)
            retro_note = f"; retro-matching: {rep.signals.get('claim_match', 0)} past items matched, {len(rep.cases_touched)} cases opened or updated"
        store.close()
        err_console.print(
            f"fact-checks: {total.inserted} imported, {total.updated} updated, "
            f"{total.unchanged} unchanged, {len(rej)} rejected{retro_note}"
        )
        raise typer.Exit(EXIT_REJECTED if len(rej) else EXIT_OK)

    @group.command("list")
    def list_(
        fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
    ) -> None:
        """Print the fact-check base."""
        from factwatch.cli.main import open_store

        store = open_store()
        fcs = store.list_factchecks()
        if fmt == "table":
            from rich.console import Console
            from rich.table import Table

            tab = Table("id", "rating", "lang", "claim")
            for fc in fcs:
                tab.add_row(fc.id, fc.rating or "", fc.lang or "", fc.claim[:100])
            Console().print(tab)
            return
        for fc in fcs:
            typer.echo(
                json.dumps(
                    {
                        "id": fc.id,
                        "claim": fc.claim,
                        "title": fc.title,
                        "rating": fc.rating,
                        "url": fc.url,
                        "lang": fc.lang,
                        "claimant": fc.claimant,
                        "published_at": fc.published_at.isoformat() if fc.published_at else None,
                    },
                    ensure_ascii=False,
                )
            )
