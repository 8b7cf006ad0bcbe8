"""Analysers for measuring and testing the machinery, registered only when asked for by name
(``--only probe`` / ``--only noop``), never part of a normal run.

- ``noop``: returns no signal; a run with it measures the queue or engine and the database alone.
- ``probe``: one signal per item naming the process that analysed it (so an item analysed twice
  would show two signals), after sleeping ``$FACTWATCH_PROBE_SLEEP`` seconds per batch (so a
  test can kill a worker mid-batch).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence

from factwatch.analysers import register
from factwatch.analysers.base import AnalysisContext
from factwatch.models import Item, Signal


class NoopAnalyser:
    name = "noop"

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        return []


class ProbeAnalyser:
    name = "probe"

    def __init__(self) -> None:
        self.sleep = float(os.environ.get("FACTWATCH_PROBE_SLEEP", "0") or 0)

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        if self.sleep > 0:
            time.sleep(self.sleep)
        who = f"{socket.gethostname()}:{os.getpid()}"
        return [
            Signal(
                item_id=it.id,
                kind="probe",
                score=1.0,
                target_type="process",
                target_id=who,
                evidence={"pid": os.getpid()},
            )
            for it in items
            if it.id is not None
        ]


@register("noop")
def _noop(ctx: AnalysisContext) -> NoopAnalyser:
    return NoopAnalyser()


@register("probe")
def _probe(ctx: AnalysisContext) -> ProbeAnalyser:
    return ProbeAnalyser()
