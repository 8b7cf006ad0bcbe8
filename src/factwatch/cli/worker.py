"""``factwatch worker`` (stream workers sharing a queue) and ``factwatch backfill`` (Dask)."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from factwatch.cli._io import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, err_console


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        only: Annotated[
            list[str] | None, typer.Option("--only", help="Run only these analysers.")
        ] = None,
        batch_size: Annotated[
            int, typer.Option("--batch-size", min=1, help="Items claimed at a time.")
        ] = 64,
        lease: Annotated[
            float,
            typer.Option(
                "--lease", min=0.1, help="Seconds a claim lasts; a batch must finish within it."
            ),
        ] = 300.0,
        exit_when_idle: Annotated[
            bool, typer.Option("--exit-when-idle", help="Stop when no item is left to analyse.")
        ] = False,
        poll: Annotated[
            float, typer.Option("--poll", min=0.05, help="Seconds between looks at an empty queue.")
        ] = 2.0,
        max_attempts: Annotated[
            int,
            typer.Option("--max-attempts", min=1, help="Claims of an item before it is given up."),
        ] = 5,
    ) -> None:
        """Analyse items as they arrive, sharing the work with other workers through the database.

        Start as many as the machines allow, against the same --db; each item is analysed once
        (a killed worker's items are taken over when its lease expires).  SIGTERM or Ctrl-C stop
        a worker after its current batch."""
        from factwatch.cli._progress import progress_bar
        from factwatch.cli.main import open_store
        from factwatch.workers.loading import check_names, load
        from factwatch.workers.queue import new_owner, queue_status, run_worker

        unknown = check_names(only)
        if unknown:
            err_console.print(f"error: --only: unknown analyser(s) {', '.join(unknown)}")
            raise SystemExit(EXIT_USAGE)
        store = open_store()
        stop = {"now": False}

        def _stop(signum: int, frame: object) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, _stop)
        owner = new_owner()
        err_console.print(
            f"worker {owner}: {store.dialect}, batches of {batch_size}, lease {lease:g} s"
        )
        total = queue_status(store, max_attempts).pending if exit_when_idle else None
        try:
            with progress_bar("analysing", total) as advance:
                rep = run_worker(
                    store,
                    lambda: load(store, only),
                    batch_size=batch_size,
                    lease=lease,
                    exit_when_idle=exit_when_idle,
                    poll=poll,
                    max_attempts=max_attempts,
                    owner=owner,
                    progress=advance,
                    should_stop=lambda: stop["now"],
                    log=lambda m: err_console.print(m, markup=False),
                )
        except KeyboardInterrupt:
            store.close()
            raise SystemExit(130) from None
        st = queue_status(store, max_attempts)
        store.close()
        sig = ", ".join(f"{k}: {v}" for k, v in sorted(rep.signals.items())) or "none"
        err_console.print(
            f"worker {owner}: analysed {rep.items} items in {rep.batches} batches; signals {sig}; "
            f"{len(rep.cases_touched)} cases opened or updated; {rep.lost_batches} batches lost to other "
            f"workers; {rep.failed_batches} failed; {st.pending} items pending, {st.dead} given up"
        )
        raise SystemExit(EXIT_REJECTED if rep.failed_batches else EXIT_OK)

    @app.command()
    def backfill(
        input: Annotated[
            list[str] | None,
            typer.Option(
                "--input",
                help="Archive file (JSONL, CSV, ... or .parquet); repeatable. Default: the database.",
            ),
        ] = None,
        since: Annotated[
            str | None,
            typer.Option(
                "--since", help="Only database items published (else ingested) since this date."
            ),
        ] = None,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler",
                help="Dask scheduler address (tcp://HOST:PORT); default a local cluster.",
            ),
        ] = None,
        workers: Annotated[
            int, typer.Option("--workers", min=1, help="Processes of the local cluster.")
        ] = 2,
        only: Annotated[
            list[str] | None, typer.Option("--only", help="Run only these analysers.")
        ] = None,
        partition_size: Annotated[
            int, typer.Option("--partition-size", min=1, help="Items per task.")
        ] = 500,
    ) -> None:
        """Re-run the analysers over an archive or the database on Dask distributed; results land
        in the database (signals, cases; archive items are stored, idempotently)."""
        from factwatch.cli._io import Rejections, require_file
        from factwatch.cli._progress import progress_bar
        from factwatch.cli.main import db_option
        from factwatch.workers.backfill import backfill as run

        for path in input or []:
            require_file(path)
        since_dt = None
        if since:
            from factwatch.sources.dates import parse_datetime

            try:
                since_dt = parse_datetime(since)
            except ValueError as exc:
                err_console.print(f"error: --since: expected a date, got {since!r}")
                raise SystemExit(EXIT_USAGE) from exc
            if input:
                err_console.print("error: --since applies to the database, not to --input files")
                raise SystemExit(EXIT_USAGE)
        rejections = Rejections()
        try:
            with progress_bar("backfill", None) as advance:
                rep = run(
                    db_option(),
                    inputs=input,
                    since=since_dt,
                    scheduler=scheduler,
                    n_workers=workers,
                    names=only,
                    partition_size=partition_size,
                    rejections=rejections,
                    progress=advance,
                )
        except ValueError as exc:
            err_console.print(f"error: {exc}")
            raise SystemExit(EXIT_USAGE) from exc
        sig = ", ".join(f"{k}: {v}" for k, v in sorted(rep.signals.items())) or "none"
        rate = rep.items / rep.seconds if rep.seconds else 0.0
        err_console.print(
            f"backfill: {rep.items} items in {rep.partitions} partitions on {rep.workers} workers, "
            f"{rep.seconds:.1f} s ({rate:.0f} items/s); signals {sig}; "
            f"{len(rep.cases_touched) + rep.cases} case updates; analysers built {sum(rep.loads_per_worker.values())} "
            f"times; {len(rep.failed)} partitions failed"
        )
        for f in rep.failed:
            err_console.print(f"failed: {f}", markup=False)
        raise SystemExit(EXIT_REJECTED if (rep.failed or len(rejections)) else EXIT_OK)
