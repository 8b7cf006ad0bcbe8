"""``factwatch ingest SOURCE...`` and ``factwatch items list``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, Rejections, err_console

BATCH = 500


def item_json(it: object) -> dict[str, object]:
    from factwatch.models import Item

    assert isinstance(it, Item)
    return {
        "id": it.native_id,
        "source": it.source,
        "title": it.title,
        "text": it.text,
        "url": it.url,
        "author": it.author,
        "lang": it.lang,
        "published_at": it.published_at.isoformat() if it.published_at else None,
        "media": it.media,
        "engagement": it.engagement,
    }


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        sources: Annotated[
            list[str], typer.Argument(help="Files (posts, feeds, exports) or http(s) URLs.")
        ],
        fmt: Annotated[
            str | None, typer.Option("--format", help="Force a format (see --list-formats).")
        ] = None,
        allow_private: Annotated[
            bool,
            typer.Option(
                "--allow-private", help="Allow fetching private, loopback and link-local addresses."
            ),
        ] = False,
    ) -> None:
        """Store items from files and URLs; the same item twice is stored once."""
        from factwatch.cli.main import open_store
        from factwatch.sources import SourceError, read_source

        rej = Rejections()
        store = open_store()
        new = seen = 0
        try:
            for src in sources:
                batch = []
                try:
                    for item in read_source(src, rej, fmt=fmt, allow_private=allow_private):
                        batch.append(item)
                        if len(batch) >= BATCH:
                            r = store.add_items(batch)
                            new, seen, batch = new + r.inserted, seen + r.unchanged, []
                except SourceError as exc:
                    rej.add(src, str(exc))
                if batch:
                    r = store.add_items(batch)
                    new, seen = new + r.inserted, seen + r.unchanged
        finally:
            store.close()
        err_console.print(f"items: {new} new, {seen} already stored, {len(rej)} rejected")
        raise typer.Exit(EXIT_REJECTED if len(rej) else EXIT_OK)

    items = typer.Typer(help="Stored items.", no_args_is_help=True)
    app.add_typer(items, name="items")

    @items.command("list")
    def list_(
        fmt: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
        limit: Annotated[
            int | None, typer.Option("--limit", help="At most this many items.")
        ] = None,
    ) -> None:
        """Print stored items, oldest first."""
        from factwatch.cli.main import open_store

        if fmt not in ("jsonl", "table"):
            err_console.print("error: --format must be jsonl or table")
            raise typer.Exit(EXIT_USAGE)
        store = open_store()
        if fmt == "table":
            from rich.console import Console
            from rich.table import Table

            tab = Table("id", "source", "lang", "author", "text")
            for n, it in enumerate(store.iter_items()):
                if limit is not None and n >= limit:
                    break
                tab.add_row(
                    it.native_id, it.source, it.lang or "", it.author or "", it.full_text[:80]
                )
            Console().print(tab)
        else:
            for n, it in enumerate(store.iter_items()):
                if limit is not None and n >= limit:
                    break
                typer.echo(json.dumps(item_json(it), ensure_ascii=False))
        store.close()
