"""``factwatch cases list``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from factwatch.cli._io import EXIT_USAGE, err_console


def case_record(
    store: Any, case: Any, items: dict[int, Any], signals: dict[int, Any]
) -> dict[str, Any]:
    sigs = [signals[s] for s in case.signal_ids if s in signals]
    return {
        "id": case.id,
        "kind": case.kind,
        "status": case.status,
        "title": case.title,
        "about": {"type": case.target_type, "id": case.target_id},
        "items": [items[i].native_id for i in case.item_ids if i in items],
        "signals": [
            {
                "kind": s.kind,
                "score": round(s.score, 4),
                "item": items[s.item_id].native_id if s.item_id in items else s.item_id,
                "evidence": s.evidence,
            }
            for s in sigs
        ],
        "created_at": case.created_at.isoformat() if case.created_at else None,
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
    }


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Cases: claims and stories under review.", no_args_is_help=True)
    app.add_typer(group, name="cases")

    @group.command("list")
    def list_(
        fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "table",
        status: Annotated[
            str | None, typer.Option("--status", help="Only cases with this status.")
        ] = None,
    ) -> None:
        """Print each case: kind, status, what it is about, its signals and item ids."""
        from factwatch.cli.main import open_store

        if fmt not in ("jsonl", "table"):
            err_console.print("error: --format must be jsonl or table")
            raise typer.Exit(EXIT_USAGE)
        store = open_store()
        cases = store.list_cases(status=status)
        item_ids = sorted({i for c in cases for i in c.item_ids})
        items = {it.id: it for it in store.get_items(item_ids)}
        signals = {s.id: s for s in store.signals_for_items(item_ids)}
        store.close()
        records = [case_record(store, c, items, signals) for c in cases]
        if fmt == "jsonl":
            for r in records:
                typer.echo(json.dumps(r, ensure_ascii=False, default=str))
            return
        from rich.console import Console
        from rich.table import Table

        tab = Table(
            "id", "kind", "status", "about", "items", "best", "title", title=f"{len(records)} cases"
        )
        for r in records:
            best = max((s["score"] for s in r["signals"]), default=0.0)
            tab.add_row(
                str(r["id"]),
                r["kind"],
                r["status"],
                f"{r['about']['type']}:{r['about']['id']}",
                ", ".join(r["items"][:4])
                + (f" +{len(r['items']) - 4}" if len(r["items"]) > 4 else ""),
                f"{best:.2f}",
                r["title"][:60],
            )
        Console().print(tab)
