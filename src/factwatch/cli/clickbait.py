"""``factwatch classify clickbait`` and ``factwatch train clickbait``."""

from __future__ import annotations

import os
from pathlib import Path
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

BATCH = 512


def _shared_data() -> Path:
    env = os.environ.get("FACTWATCH_SHARED_DATA")
    if env:
        return Path(env)
    import factwatch

    repo = Path(factwatch.__file__).resolve().parents[2]
    return repo.parent / "shared" / "data"


def _cache(cache: str | None, no_cache: bool):  # type: ignore[no-untyped-def]
    from factwatch.classify.clickbait import EmbeddingCache, default_cache_path

    if no_cache:
        return EmbeddingCache()
    try:
        return EmbeddingCache(cache or default_cache_path())
    except Exception as exc:  # noqa: BLE001 - an unwritable cache must not stop classification
        err_console.print(f"warning: embedding cache unavailable ({exc}); using memory only")
        return EmbeddingCache()


def register_classify(group: typer.Typer) -> None:
    @group.command("clickbait")
    def classify_clickbait(
        input: Annotated[
            str,
            typer.Option(
                "--input", help="JSONL headlines: id, title, lead?, lang?  ('-' for stdin)"
            ),
        ],
        output: Annotated[
            str | None, typer.Option("--output", help="JSONL out (default stdout).")
        ] = None,
        model: Annotated[
            str | None, typer.Option("--model", help="Model file (default: the shipped one).")
        ] = None,
        cache: Annotated[
            str | None,
            typer.Option(
                "--cache",
                help="Embedding cache file (default $FACTWATCH_CACHE_DIR or ~/.cache/factwatch).",
            ),
        ] = None,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Keep embeddings in memory only.")
        ] = False,
    ) -> None:
        """Score headlines as clickbait: one line out per headline (id, clickbait, score, why, lang)."""
        from factwatch.classify.clickbait import ClickbaitModel
        from factwatch.cli._progress import progress_bar

        require_file(input)
        if model is not None and not Path(model).is_file():
            err_console.print(f"error: {model}: no such model file")
            raise typer.Exit(EXIT_USAGE)
        rej = Rejections()
        clf = ClickbaitModel.load(model, cache=_cache(cache, no_cache))
        batch: list[tuple[Any, str, str | None, str | None]] = []
        with JsonlWriter(output) as out, progress_bar("scoring headlines", None) as advance:

            def flush() -> None:
                preds = clf.predict(
                    [b[1] for b in batch], [b[2] for b in batch], leads=[b[3] for b in batch]
                )
                for (rid, *_), p in zip(batch, preds, strict=True):
                    out.write(
                        {
                            "id": rid,
                            "clickbait": p.clickbait,
                            "score": p.score,
                            "why": p.why,
                            "lang": p.lang,
                        }
                    )
                advance(len(batch))
                batch.clear()

            for lineno, rec in read_jsonl(input, rej):
                where = f"{'<stdin>' if input == '-' else input}:{lineno}"
                rid, title, lang = rec.get("id"), rec.get("title"), rec.get("lang")
                if rid is None or isinstance(rid, (dict, list, bool)):
                    rej.add(where, "expected an 'id' (string or number)")
                    continue
                if not isinstance(title, str) or not title.strip():
                    rej.add(where, "expected a non-empty string 'title'")
                    continue
                if lang is not None and not isinstance(lang, str):
                    rej.add(where, '\'lang\' must be a language code such as "vi", "fr" or "en"')
                    continue
                if rec.get("lead") is not None and not isinstance(rec.get("lead"), str):
                    rej.add(where, "'lead' must be a string")
                    continue
                lang_code = lang.strip().lower()[:2] if lang and lang.strip() else None
                batch.append((rid, title, lang_code, rec.get("lead")))
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
        clf.embedder.cache.close()
        raise typer.Exit(rej.exit_code)


def register_train(group: typer.Typer) -> None:
    @group.command("clickbait")
    def train_clickbait(
        output: Annotated[
            str | None,
            typer.Option("--output", help="Model file to write (default: the shipped model file)."),
        ] = None,
        data: Annotated[
            str | None,
            typer.Option(
                "--data",
                help="Folder with the clickbait data (default $FACTWATCH_SHARED_DATA/clickbait).",
            ),
        ] = None,
        limit: Annotated[
            int | None,
            typer.Option("--limit", min=50, help="Use at most N titles per data set (quick runs)."),
        ] = None,
        cache: Annotated[str | None, typer.Option("--cache", help="Embedding cache file.")] = None,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Keep embeddings in memory only.")
        ] = False,
    ) -> None:
        """Train the clickbait models (fixed seed) from ViClickbait-2025 and Stop Clickbait."""
        from factwatch.classify.clickbait import MODEL_PATH
        from factwatch.classify.clickbait_train import EN_ALL, VI_TRAIN, train

        folder = Path(data) if data else _shared_data() / "clickbait"
        missing = [n for n in (VI_TRAIN, EN_ALL) if not (folder / n).is_file()]
        if missing:
            err_console.print(
                f"error: {folder}: missing {', '.join(missing)} (set --data or $FACTWATCH_SHARED_DATA)"
            )
            raise typer.Exit(EXIT_USAGE)
        target = Path(output) if output else MODEL_PATH
        meta = train(
            folder,
            target,
            cache=_cache(cache, no_cache),
            limit=limit,
            log=lambda s: err_console.print(s),
        )
        for name, m in meta["models"].items():
            err_console.print(
                f"{name}: C={m['C']} threshold={m['threshold']} cross-validated {m['cv_objective']} "
                f"on {m['n_train']} titles"
            )
        err_console.print(f"wrote {target} in {meta['train_seconds']} s")
