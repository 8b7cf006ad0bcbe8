"""``factwatch campaigns`` (coordinated campaigns in a file of posts) and ``factwatch spread``."""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from factwatch.cli._io import (
    EXIT_USAGE,
    JsonlWriter,
    Rejections,
    err_console,
    read_jsonl,
    require_file,
)

MAX_TEXT = 100_000


def _timestamp(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        x = float(v)
        if math.isfinite(x) and -62135596800 <= x <= 253402300799:
            return x / 1000.0 if x > 1e11 else x  # epoch milliseconds
        return None
    if isinstance(v, str) and v.strip():
        try:
            d = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if d.tzinfo is None:
            d = d.replace(tzinfo=UTC)
        try:
            return d.timestamp()
        except (OverflowError, ValueError):
            return None
    return None


def parse_post(obj: dict[str, Any]) -> tuple[Any, str | None]:
    """A ``Post`` from one input object, or ``(None, reason)``."""
    from factwatch.analysers.campaigns import Post

    pid = obj.get("id")
    if isinstance(pid, bool) or not isinstance(pid, str | int) or str(pid) == "":
        return None, 'missing "id" (a string or an integer)'
    text = obj.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        return None, '"text" must be a string'
    author = obj.get("author")
    if isinstance(author, bool) or not isinstance(author, str | int) or str(author).strip() == "":
        return None, 'missing "author"'
    ts = _timestamp(obj.get("published_at"))
    if ts is None:
        return None, '"published_at" must be an ISO 8601 date-time or a POSIX timestamp'
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        return None, '"url" must be a string'
    if not text.strip() and not url:
        return None, 'needs a "text" or a "url"'
    return Post(id=str(pid), text=text[:MAX_TEXT], author=str(author).strip(), ts=ts, url=url), None


def register(app: typer.Typer) -> None:
    @app.command("campaigns")
    def campaigns(
        input: Annotated[
            str,
            typer.Option(
                "--input",
                "-i",
                help="Posts JSONL (id, text, author, published_at, url?); - for stdin.",
            ),
        ],
        window: Annotated[
            float, typer.Option("--window", help="Coordination window in seconds.")
        ] = 60.0,
        min_accounts: Annotated[
            int, typer.Option("--min-accounts", help="Fewest distinct accounts in a campaign.")
        ] = 5,
        min_significance: Annotated[
            float,
            typer.Option(
                "--min-significance",
                help="-log10 p of a burst against the content's background rate.",
            ),
        ] = 8.0,
        output: Annotated[
            str | None, typer.Option("--output", "-o", help="Output JSONL (default stdout).")
        ] = None,
    ) -> None:
        """Find coordinated campaigns: accounts posting near-identical text or the same link within a window."""
        from factwatch.analysers.campaigns import CampaignDetector, Params, redirects_from

        if window <= 0 or not math.isfinite(window) or min_accounts < 2 or min_significance <= 0:
            err_console.print(
                "error: --window must be > 0, --min-accounts >= 2, --min-significance > 0"
            )
            raise typer.Exit(EXIT_USAGE)
        require_file(input)
        rej = Rejections()
        posts = []
        raw_links: list[dict[str, Any]] = []
        seen: set[str] = set()
        name = "<stdin>" if input == "-" else input
        for lineno, obj in read_jsonl(input, rej):
            post, why = parse_post(obj)
            if post is None:
                rej.add(f"{name}:{lineno}", str(why))
                continue
            if post.id in seen:
                rej.add(f"{name}:{lineno}", f'duplicate id "{post.id}"')
                continue
            seen.add(post.id)
            posts.append(post)
            if isinstance(obj.get("url"), str) and any(
                isinstance(obj.get(k), str)
                for k in ("expanded_url", "resolved_url", "final_url", "unshortened_url")
            ):
                raw_links.append(obj)
        params = Params(window=window, min_accounts=min_accounts, min_significance=min_significance)
        found = CampaignDetector(params).detect(posts, redirects_from(raw_links))
        with JsonlWriter(output) as w:
            for c in found:
                w.write(c)
        if sys.stderr.isatty():
            err_console.print(f"{len(posts)} posts, {len(found)} campaigns")
        raise typer.Exit(rej.exit_code)

    @app.command("spread")
    def spread(
        case_id: Annotated[int, typer.Argument(help="Case id (see `factwatch cases list`).")],
        format: Annotated[str, typer.Option("--format", help="json or table.")] = "json",
    ) -> None:
        """How a case spreads: items over time, accounts, engagement, time to verdict."""
        from factwatch.analysers.spread import case_spread
        from factwatch.cli.main import open_store

        if format not in ("json", "table"):
            err_console.print(f"error: --format must be json or table, not {format!r}")
            raise typer.Exit(EXIT_USAGE)
        store = open_store()
        try:
            try:
                data = case_spread(store, case_id)
            except LookupError as exc:
                err_console.print(f"error: {exc}")
                raise typer.Exit(EXIT_USAGE) from exc
        finally:
            store.close()
        if format == "json":
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        _print_table(data)


def _print_table(d: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console(highlight=False, soft_wrap=True)
    con.print(f"Case {d['case_id']} ({d['kind']}, {d['status']}): {d['title']}", markup=False)
    summary = Table(show_header=False, box=None)
    for label, key in (
        ("items", "items"),
        ("distinct accounts", "distinct_accounts"),
        ("first seen", "first_seen"),
        ("last seen", "last_seen"),
        ("verdict published", "verdict_published_at"),
        ("time to verdict (h)", "time_to_verdict_seconds"),
        ("items after verdict", "items_after_verdict"),
        ("accounts after verdict", "accounts_after_verdict"),
    ):
        v = d.get(key)
        if key == "time_to_verdict_seconds" and v is not None:
            v = f"{v / 3600:.1f}"
        summary.add_row(label, "-" if v is None else str(v))
    summary.add_row("engagement", escape(", ".join(f"{k} {v}" for k, v in d["engagement"].items())))
    con.print(summary)
    series = Table(title=f"per {d['bucket']}")
    for col in (
        "bucket",
        "items",
        "accounts",
        "new accounts",
        "engagement",
        "cumulative items",
        "after verdict",
    ):
        series.add_column(col)
    for r in d["series"]:
        series.add_row(
            str(r["t"]),
            str(r["items"]),
            str(r["accounts"]),
            str(r["new_accounts"]),
            str(r["engagement"]),
            str(r["cumulative_items"]),
            "yes" if r["after_verdict"] else "",
        )
    con.print(series)
