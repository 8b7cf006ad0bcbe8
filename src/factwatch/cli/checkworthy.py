"""``factwatch classify checkworthy`` and ``factwatch train checkworthy``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

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


def register_classify(group: typer.Typer) -> None:
    @group.command("checkworthy")
    def classify_checkworthy(
        input: Annotated[str, typer.Option("--input", help="JSONL with id and text; - for stdin.")],
        output: Annotated[
            str | None, typer.Option("--output", help="JSONL output (default stdout).")
        ] = None,
        model: Annotated[
            str | None, typer.Option("--model", help="Model .npz (default: the shipped one).")
        ] = None,
    ) -> None:
        """Score sentences: writes {"id", "checkworthy", "score"} per input line."""
        require_file(input)
        from factwatch.classify.checkworthy import CheckWorthiness

        try:
            cw = CheckWorthiness(model)
        except (OSError, ValueError, KeyError) as exc:
            err_console.print(f"error: cannot load check-worthiness model: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        rejections = Rejections()
        name = "<stdin>" if input == "-" else input
        with JsonlWriter(output) as out:
            pending: list[tuple[object, str]] = []

            def flush() -> None:
                scores = cw.score([t for _, t in pending])
                for (item_id, _), s in zip(pending, scores, strict=True):
                    out.write(
                        {
                            "id": item_id,
                            "checkworthy": bool(s >= cw.threshold),
                            "score": round(float(s), 4),
                        }
                    )
                pending.clear()

            for lineno, obj in read_jsonl(input, rejections):
                item_id, text = obj.get("id"), obj.get("text")
                if item_id is None or isinstance(item_id, (dict, list)):
                    rejections.add(f"{name}:{lineno}", 'expected an "id" (string or number)')
                    continue
                if not isinstance(text, str):
                    rejections.add(f"{name}:{lineno}", 'expected a "text" string')
                    continue
                pending.append((item_id, text))
                if len(pending) >= BATCH:
                    flush()
            if pending:
                flush()
        raise SystemExit(rejections.exit_code)


def register_train(group: typer.Typer) -> None:
    @group.command("checkworthy")
    def train_checkworthy(
        data: Annotated[
            str | None,
            typer.Option(
                "--data", help="Folder with claimbuster-train.jsonl and the CLEF-2020 Task 1 files."
            ),
        ] = None,
        embeddings: Annotated[
            bool,
            typer.Option(
                "--embeddings/--no-embeddings", help="Add the multilingual e5 embedding block."
            ),
        ] = True,
        output: Annotated[
            str | None, typer.Option("--output", help="Model path (default: the shipped one).")
        ] = None,
        fine_tune: Annotated[
            bool,
            typer.Option(
                "--fine-tune",
                help="Also fine-tune e5 (LoRA, needs torch; ~12 min on 2 cores) and fuse it with "
                "the lexical model, as the shipped model is.",
            ),
        ] = False,
    ) -> None:
        """Train the check-worthiness model (fixed seed) and report F1 on the CLEF-2020 dev tweets."""
        from factwatch.classify.checkworthy import MODEL_PATH, train

        root = Path(__file__).resolve().parents[3]
        default = (
            Path(os.environ.get("FACTWATCH_SHARED_DATA", root.parent / "shared" / "data"))
            / "check-worthiness"
        )
        data_dir = Path(data) if data else default
        if not (data_dir / "claimbuster-train.jsonl").exists():
            err_console.print(f"error: {data_dir}: no claimbuster-train.jsonl there (use --data)")
            raise SystemExit(EXIT_USAGE)
        from factwatch.cli._progress import progress_bar
        from factwatch.encoder.adapter_train import ClassifierConfig

        target = Path(output) if output else MODEL_PATH
        if not fine_tune:
            meta = train(data_dir, use_embeddings=embeddings, out=target)
        else:
            try:
                import torch  # noqa: F401
            except ImportError as exc:
                err_console.print(
                    "error: --fine-tune needs PyTorch (CPU): pip install torch==2.13.0"
                )
                raise SystemExit(EXIT_USAGE) from exc
            cfg = ClassifierConfig()
            from factwatch.classify.checkworthy import training_set

            total = len(training_set(data_dir)[0]) * cfg.epochs
            with progress_bar("fine-tuning e5", total) as advance:
                meta = train(
                    data_dir, out=target, fine_tune=True, progress=advance, tune_config=cfg
                )
        dev = meta["clef2020_dev"]
        err_console.print(
            f"trained on {meta['n_train']} sentences; CLEF-2020 dev: F1 {dev['f1']:.3f} "
            f"(P {dev['precision']:.3f}, R {dev['recall']:.3f}); saved {output or MODEL_PATH}"
        )
