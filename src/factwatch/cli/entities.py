"""``entities import``, ``lookalikes`` and ``accounts check``: the protected-names registry and
the two checks that use it (lookalike domains, impersonating accounts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factwatch.cli._io import (
    EXIT_USAGE,
    MAX_LINE_BYTES,
    JsonlWriter,
    Rejections,
    err_console,
    open_input,
    read_jsonl,
    require_file,
)

if TYPE_CHECKING:
    from factwatch.models import Entity

# Options shared by `lookalikes` and `accounts check`.
OutputOpt = Annotated[str | None, typer.Option("--output", help="JSONL output (default stdout).")]
MinScoreOpt = Annotated[
    float, typer.Option("--min-score", help="Report matches scoring at least this.")
]
RegistryOpt = Annotated[
    str | None, typer.Option("--registry", help="Use this registry file instead of the database.")
]


def _load_entities(registry: str | None) -> list[Entity]:
    """Entities from a registry file (``--registry``) or else from the database."""
    if registry:
        from factwatch.sources.entities import read_entities

        require_file(registry)
        rej = Rejections()
        ents = list(read_entities(registry, rej))
    else:
        from factwatch.cli.main import open_store

        store = open_store()
        try:
            ents = store.list_entities()
        finally:
            store.close()
    if not ents:
        err_console.print(
            "error: no entities registered; run 'factwatch entities import FILE' first "
            "(or pass --registry FILE)"
        )
        raise SystemExit(EXIT_USAGE)
    return ents


def _text_lines(path: str, rejections: Rejections) -> Iterator[tuple[int, str]]:
    name = "<stdin>" if path == "-" else path
    with open_input(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if len(raw) > MAX_LINE_BYTES:
                rejections.add(f"{name}:{lineno}", f"line longer than {MAX_LINE_BYTES} bytes")
                continue
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                rejections.add(f"{name}:{lineno}", f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            if line and not line.startswith("#"):
                yield lineno, line


def _is_jsonl(path: str) -> bool:
    if path == "-":
        return False
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return head.lstrip().startswith(b"{")


def _post_text(obj: dict[str, Any]) -> str:
    parts = []
    for key in ("url", "domain", "title", "text", "links"):
        v = obj.get(key)
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, list):
            parts.extend(x for x in v if isinstance(x, str))
    return "\n".join(parts)


def register(app: typer.Typer) -> None:
    entities_app = typer.Typer(
        help="The registry of protected entities (domains, accounts, logos)."
    )
    accounts_app = typer.Typer(help="Check pages and accounts for impersonation.")
    app.add_typer(entities_app, name="entities")
    app.add_typer(accounts_app, name="accounts")

    @entities_app.command("import")
    def entities_import(
        file: Annotated[
            str, typer.Argument(help="Registry file: YAML (list or 'entities:') or JSONL.")
        ],
    ) -> None:
        """Add or update entities: id, name, kind, aliases, domains, accounts, logos."""
        import sys

        from factwatch.cli.main import open_store
        from factwatch.sources.entities import read_entities, read_entities_bytes

        require_file(file)
        rej = Rejections()
        if file == "-":  # logo paths are then relative to the current directory
            ents = list(read_entities_bytes(sys.stdin.buffer.read(), "<stdin>", Path.cwd(), rej))
        else:
            ents = list(read_entities(file, rej))
        store = open_store()
        try:
            res = store.upsert_entities(ents)
        finally:
            store.close()
        err_console.print(
            f"entities: {res.inserted} added, {res.updated} updated, {len(rej)} rejected"
        )
        raise typer.Exit(rej.exit_code)

    @entities_app.command("list")
    def entities_list() -> None:
        """Print the registered entities as JSON Lines."""
        from factwatch.cli.main import open_store

        store = open_store()
        try:
            ents = store.list_entities()
        finally:
            store.close()
        with JsonlWriter(None) as out:
            for e in ents:
                out.write(
                    {
                        "id": e.id,
                        "name": e.name,
                        "kind": e.kind,
                        "aliases": e.aliases,
                        "domains": e.domains,
                        "accounts": [
                            {
                                "platform": a.platform,
                                "handle": a.handle,
                                "display_name": a.display_name,
                                "url": a.url,
                            }
                            for a in e.accounts
                        ],
                        "logos": e.logos,
                    }
                )

    @app.command("lookalikes")
    def lookalikes(
        input: Annotated[
            str,
            typer.Option("--input", help="Domains/URLs one a line, or JSONL posts ('-' = stdin)."),
        ],
        output: OutputOpt = None,
        min_score: MinScoreOpt = 0.6,
        registry: RegistryOpt = None,
    ) -> None:
        """Flag domains that imitate a registered entity's official domains, and say how."""
        from factwatch.impersonation.domains import DomainIndex, extract_hosts, normalize_host

        require_file(input)
        index = DomainIndex(_load_entities(registry))
        rej = Rejections()
        name = "<stdin>" if input == "-" else input
        with JsonlWriter(output) as out:
            if _is_jsonl(input):
                for lineno, obj in read_jsonl(input, rej):
                    rid = obj.get("id", lineno)
                    for host in extract_hosts(_post_text(obj)):
                        m = index.check_host(host, min_score)
                        if m is not None:
                            out.write({"id": rid, **m.to_dict()})
            else:
                for lineno, line in _text_lines(input, rej):
                    h = normalize_host(line)
                    if h is None:
                        rej.add(f"{name}:{lineno}", "expected a domain name or a URL")
                        continue
                    m = index.check_host(h, min_score)
                    if m is not None:
                        out.write({"id": lineno, "input": line, **m.to_dict()})
        raise typer.Exit(rej.exit_code)

    @accounts_app.command("check")
    def accounts_check(
        input: Annotated[
            str,
            typer.Option(
                "--input",
                help="JSONL accounts: platform, handle, display_name, url, avatar? ('-' = stdin).",
            ),
        ],
        output: OutputOpt = None,
        min_score: MinScoreOpt = 0.6,
        registry: RegistryOpt = None,
    ) -> None:
        """Flag pages and accounts that impersonate a registered entity, and say how."""
        from factwatch.impersonation.accounts import AccountIndex, ObservedAccount

        require_file(input)
        index = AccountIndex(_load_entities(registry))
        base = Path(input).parent if input != "-" else Path.cwd()
        rej = Rejections()
        name = "<stdin>" if input == "-" else input
        with JsonlWriter(output) as out:
            for lineno, obj in read_jsonl(input, rej):
                try:
                    acc = ObservedAccount.from_dict(obj)
                except ValueError as exc:
                    rej.add(f"{name}:{lineno}", str(exc))
                    continue
                if acc.avatar and not Path(acc.avatar).is_absolute():
                    acc.avatar = str(base / acc.avatar)
                m = index.check(acc, min_score)
                if m is not None:
                    out.write({"id": obj.get("id", lineno), **m.to_dict()})
        raise typer.Exit(rej.exit_code)
