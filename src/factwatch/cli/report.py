"""``factwatch report --from DATE --to DATE --format html|pdf --output FILE`` (the periodic
report) and ``factwatch report impersonation ENTITY_ID --output DIR``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_USAGE, err_console


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        err_console.print(f"error: {name} {value!r} is not a date (expected YYYY-MM-DD)")
        raise SystemExit(EXIT_USAGE) from exc


def register(app: typer.Typer) -> None:
    report = typer.Typer(help="Reports: periodic (HTML/PDF) and impersonation evidence packages.")

    @report.callback(invoke_without_command=True)
    def periodic(
        ctx: typer.Context,
        date_from: Annotated[
            str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: 30 days ago).")
        ] = None,
        date_to: Annotated[
            str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today, UTC).")
        ] = None,
        fmt: Annotated[str, typer.Option("--format", help="html | pdf")] = "html",
        output: Annotated[str | None, typer.Option("--output", help="File to write.")] = None,
    ) -> None:
        """Periodic report: items ingested/flagged, cases, sources, languages, signals, time to
        verdict, top spreading claims and published fact-checks over [--from, --to]."""
        if ctx.invoked_subcommand is not None:
            return
        from factwatch.cli.main import open_store
        from factwatch.models import utcnow
        from factwatch.publish.report import write_report
        from factwatch.web.app import WebSettings

        if fmt not in ("html", "pdf"):
            err_console.print(f"error: --format must be html or pdf, not {fmt!r}")
            raise SystemExit(EXIT_USAGE)
        if not output:
            err_console.print("error: --output FILE is required")
            raise SystemExit(EXIT_USAGE)
        d_to = _day(date_to, "--to") or utcnow().date()
        d_from = _day(date_from, "--from") or d_to - timedelta(days=29)
        if d_from > d_to:
            err_console.print("error: --from is after --to")
            raise SystemExit(EXIT_USAGE)
        store = open_store()
        try:
            write_report(store, d_from, d_to, fmt, Path(output), WebSettings.from_env().site)
        except RuntimeError as exc:
            err_console.print(f"error: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        finally:
            store.close()
        err_console.print(f"report {d_from} to {d_to} written to {output}")

    @report.command("impersonation")
    def impersonation(
        entity_id: Annotated[str, typer.Argument(help="Entity id (see entities import).")],
        output: Annotated[
            str, typer.Option("--output", help="Directory to write the evidence package to.")
        ],
    ) -> None:
        """Evidence package about accounts and domains impersonating an entity."""
        from factwatch.cli.main import open_store

        try:
            from factwatch.publish.impersonation import write_impersonation_report
        except ImportError as exc:
            err_console.print(f"error: impersonation reports are not available: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        store = open_store()
        try:
            written = write_impersonation_report(store, entity_id, Path(output))
        except (KeyError, ValueError) as exc:
            err_console.print(f"error: {entity_id}: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        finally:
            store.close()
        for path in written or []:
            err_console.print(f"wrote {path}")

    app.add_typer(report, name="report")
