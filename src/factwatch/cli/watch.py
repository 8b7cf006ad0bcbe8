"""``factwatch watch CONFIG.toml`` and ``factwatch status``."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from factwatch.cli._io import EXIT_OK, EXIT_USAGE, Rejections, err_console


def _ago(iso: str | None, now: datetime) -> str:
    if not iso:
        return "-"
    try:
        secs = (now - datetime.fromisoformat(iso)).total_seconds()
    except ValueError:
        return "?"
    for unit, n in (("d", 86400), ("h", 3600), ("m", 60)):
        if abs(secs) >= n:
            return f"{secs / n:.1f}{unit}"
    return f"{secs:.0f}s"


def register(app: typer.Typer) -> None:
    @app.command()
    def watch(
        config: Annotated[
            str, typer.Argument(help="TOML file listing the sources (see docs/connectors.md).")
        ],
        once: Annotated[
            bool, typer.Option("--once", help="Poll every source once, then stop.")
        ] = False,
    ) -> None:
        """Run the configured sources continuously (poll or stream); SIGTERM stops cleanly."""
        from factwatch.cli.main import open_store
        from factwatch.sources.base import SourceError
        from factwatch.sources.watch import Watcher, load_config

        try:
            sources = load_config(config)
        except SourceError as exc:
            err_console.print(f"error: {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
        store = open_store()
        rej = Rejections()
        w = Watcher(
            store, sources, rej, log=lambda m: err_console.print(f"watch: {m}", markup=False)
        )

        def _stop(signum: int, _frame: Any) -> None:
            err_console.print(
                f"watch: {signal.Signals(signum).name} received, stopping after the current batch"
            )
            w.stop.set()

        old_term = signal.signal(signal.SIGTERM, _stop)
        old_int = signal.signal(signal.SIGINT, _stop)
        try:
            if once:
                w.run_once()
            else:
                w.run()
        finally:
            signal.signal(signal.SIGTERM, old_term)
            signal.signal(signal.SIGINT, old_int)
            store.close()
        raise typer.Exit(EXIT_OK)

    @app.command()
    def status(
        fmt: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
    ) -> None:
        """Each watched source's state, last item, lag and error count."""
        from factwatch.cli.main import open_store
        from factwatch.sources.watch import read_states

        if fmt not in ("table", "jsonl"):
            err_console.print("error: --format must be table or jsonl")
            raise typer.Exit(EXIT_USAGE)
        store = open_store()
        try:
            states = read_states(store)
        finally:
            store.close()
        now = datetime.now(UTC)
        if fmt == "jsonl":
            for name, st in states.items():
                d = {"id": name, **{k: v for k, v in st.__dict__.items() if k != "checkpoint"}}
                typer.echo(json.dumps(d, ensure_ascii=False, default=str))
            return
        from rich.console import Console
        from rich.table import Table

        t = Table(
            "source", "state", "items", "last item", "lag", "last poll", "errors", "last error"
        )
        for name, st in states.items():
            t.add_row(
                name,
                st.status,
                str(st.items_total),
                st.last_item_id or "-",
                _ago(st.last_item_at, now),
                _ago(st.last_poll, now) + (" ago" if st.last_poll else ""),
                f"{st.errors} ({st.errors_total} total)",
                (st.last_error or "")[:60],
            )
        Console().print(t)
        if not states:
            err_console.print("no watched source yet: run factwatch watch CONFIG.toml")
