"""The ``lookalike`` analyser: links to lookalike domains and authors impersonating accounts.

For each item it checks the hosts of ``item.url`` and of every URL or domain name in the text
against the registry's official domains (signal kind ``lookalike_domain``), and the author handle
(with ``extra["author_display_name"]`` and ``extra["platform"]`` when present) against the
registered accounts (signal kind ``impersonation``).  Signals target
``("lookalike", "<entity_id>:<domain or handle>")`` so that one Case is opened per entity and
lookalike, whatever the number of posts that use it.
"""

from __future__ import annotations

from collections.abc import Sequence

from factwatch.analysers import AnalysisContext, register
from factwatch.impersonation.accounts import AccountIndex, ObservedAccount
from factwatch.impersonation.domains import DomainIndex, extract_hosts
from factwatch.models import Entity, Item, Signal

MIN_SCORE = 0.6


class LookalikeAnalyser:
    name = "lookalike"

    def __init__(self, entities: Sequence[Entity], min_score: float = MIN_SCORE) -> None:
        self.domains = DomainIndex(entities)
        self.accounts = AccountIndex(entities)
        self.min_score = min_score
        self.names = {e.id: e.name for e in entities}

    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        out: list[Signal] = []
        if not len(self.domains) and not self.accounts.keys:
            return out
        for it in items:
            if it.id is None:
                continue
            out.extend(self._domains(it))
            sig = self._author(it)
            if sig is not None:
                out.append(sig)
        return out

    def _domains(self, it: Item) -> list[Signal]:
        assert it.id is not None
        hosts: dict[str, None] = {}
        for text in (it.url or "", it.full_text):
            for h in extract_hosts(text):
                hosts.setdefault(h, None)
        out = []
        for host in hosts:
            m = self.domains.check_host(host, self.min_score)
            if m is None:
                continue
            key = m.entity_id or m.imitates
            out.append(
                Signal(
                    item_id=it.id,
                    kind="lookalike_domain",
                    score=m.score,
                    target_type="lookalike",
                    target_id=f"{key}:{m.domain}",
                    evidence={
                        "title": f"Lookalike of {self.names.get(m.entity_id or '') or m.imitates}: "
                        f"{m.domain} ({m.technique})",
                        "entity_id": m.entity_id,
                        "entity_name": self.names.get(m.entity_id or "", None),
                        "domain": m.domain,
                        "imitates": m.imitates,
                        "technique": m.technique,
                        "score": round(m.score, 3),
                        **m.evidence,
                    },
                )
            )
        return out

    def _author(self, it: Item) -> Signal | None:
        assert it.id is not None
        handle = (it.author or "").strip()
        extra = it.extra or {}
        display = extra.get("author_display_name")
        platform = extra.get("platform") or it.source
        if not handle and not isinstance(display, str):
            return None
        acc = ObservedAccount(
            platform=str(platform or "").lower(),
            handle=handle.lstrip("@"),
            display_name=display if isinstance(display, str) else None,
            url=extra.get("author_url") if isinstance(extra.get("author_url"), str) else None,
        )
        m = self.accounts.check(acc, self.min_score)
        if m is None:
            return None
        return Signal(
            item_id=it.id,
            kind="impersonation",
            score=m.score,
            target_type="lookalike",
            target_id=f"{m.entity_id}:{m.account}",
            evidence={
                "title": f"Impersonation of {self.names.get(m.entity_id) or m.imitates}: "
                f"{m.platform + ' ' if m.platform else ''}{m.account} ({m.technique})",
                "entity_id": m.entity_id,
                "entity_name": self.names.get(m.entity_id),
                "account": m.account,
                "platform": m.platform,
                "imitates": m.imitates,
                "technique": m.technique,
                "score": round(m.score, 3),
                **m.evidence,
            },
        )


@register("lookalike")
def make_lookalike(ctx: AnalysisContext) -> LookalikeAnalyser:
    entities = ctx.store.list_entities()
    return LookalikeAnalyser(entities, float(ctx.options.get("lookalike_min_score", MIN_SCORE)))
