"""``factwatch analyze``: every analyser over items not yet analysed."""

from __future__ import annotations

from typing import Annotated

import typer

from factwatch.cli._io import err_console


def register(app: typer.Typer) -> None:
    @app.command()
    def analyze(
        only: Annotated[
            list[str] | None, typer.Option("--only", help="Run only these analysers.")
        ] = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 256,
    ) -> None:
        """Run the analysers, store signals and open or update cases."""
        from factwatch.cli._progress import progress_bar
        from factwatch.cli.main import open_store
        from factwatch.pipeline import analyse_pending, load_analysers

        store = open_store()
        pending = store.count_items(unanalysed=True)
        if pending == 0:
            err_console.print("nothing to analyse")
            return
        analysers = load_analysers(store, only)
        with progress_bar("analysing", pending) as advance:
            rep = analyse_pending(
                store, batch_size=batch_size, progress=advance, analysers=analysers
            )
        store.close()
        sig = ", ".join(f"{k}: {v}" for k, v in sorted(rep.signals.items())) or "none"
        err_console.print(
            f"analysed {rep.items} items; signals {sig}; {len(rep.cases_touched)} cases opened or updated"
        )
