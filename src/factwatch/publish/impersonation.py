"""Evidence package about the lookalikes of one entity, for a report to a platform or registrar.

``write_impersonation_report(store, entity_id, out_dir)`` writes
``impersonation-<entity_id>.json`` and ``impersonation-<entity_id>.html``: every lookalike domain
or account seen imitating the entity, the technique in words, first and last seen, and the items
that used it.  The HTML is self-contained (inline style, no script, no external asset), every
value is escaped, and lookalike hosts and URLs are written defanged (``example[.]com``,
``hxxps://``) so that nobody opens them by accident.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factwatch.impersonation.accounts import ACCOUNT_TECHNIQUES
from factwatch.impersonation.domains import TECHNIQUES, extract_hosts
from factwatch.models import Item, Signal, utcnow

if TYPE_CHECKING:
    from factwatch.store import Store

KINDS = ("lookalike_domain", "impersonation")
EXCERPT = 400


def defang(text: str) -> str:
    """``https://evil.example/x`` -> ``hxxps://evil[.]example/x``: readable, not clickable."""
    return re.sub(r"(?i)\bhttp(s?)://", r"hxxp\1://", text).replace(".", "[.]")


def defang_text(text: str) -> str:
    """Defang the URLs and host names inside prose, leave the rest (``3.5``) alone."""
    text = re.sub(r"(?i)\bhttp(s?)://", r"hxxp\1://", text)
    for host in sorted(extract_hosts(text), key=len, reverse=True):
        text = text.replace(host, host.replace(".", "[.]"))
    return text


def _safe_name(entity_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", entity_id).strip("._") or "entity"


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def collect(store: Store, entity_id: str) -> dict[str, Any]:
    """The report's data: the entity and, per lookalike, technique, dates and items."""
    signals: list[Signal] = []
    for kind in KINDS:
        signals.extend(
            s for s in store.list_signals(kind) if s.evidence.get("entity_id") == entity_id
        )
    items: dict[int, Item] = {}
    ids = sorted({s.item_id for s in signals})
    if ids:
        items = {it.id: it for it in store.get_items(ids) if it.id is not None}
    entity = next((e for e in store.list_entities() if e.id == entity_id), None)
    groups: dict[tuple[str, str], list[Signal]] = {}
    for s in signals:
        ev = s.evidence
        what = ev.get("domain") if s.kind == "lookalike_domain" else ev.get("account")
        groups.setdefault((s.kind, str(what or s.target_id)), []).append(s)
    lookalikes = []
    for (kind, what), sigs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        best = max(sigs, key=lambda s: s.score)
        technique = str(best.evidence.get("technique") or "")
        words = (TECHNIQUES if kind == "lookalike_domain" else ACCOUNT_TECHNIQUES).get(
            technique, technique
        )
        seen: list[datetime] = []
        used = []
        for s in sorted(sigs, key=lambda s: s.item_id):
            it = items.get(s.item_id)
            when = (it.published_at if it else None) or s.created_at
            if when:
                seen.append(when)
            used.append(
                {
                    "item_id": s.item_id,
                    "source": it.source if it else None,
                    "url": it.url if it else None,
                    "author": it.author if it else None,
                    "published_at": _iso(it.published_at) if it else None,
                    "excerpt": (it.full_text[:EXCERPT] if it else None),
                    "signal_id": s.id,
                    "score": s.score,
                }
            )
        ev = dict(best.evidence)
        lookalikes.append(
            {
                "kind": "domain" if kind == "lookalike_domain" else "account",
                "lookalike": what,
                "platform": ev.get("platform"),
                "imitates": ev.get("imitates"),
                "technique": technique,
                "technique_explained": words,
                "score": round(best.score, 3),
                "first_seen": _iso(min(seen)) if seen else None,
                "last_seen": _iso(max(seen)) if seen else None,
                "punycode": ev.get("punycode"),
                "evidence": ev,
                "items": used,
            }
        )
    return {
        "entity": {
            "id": entity_id,
            "name": entity.name if entity else None,
            "kind": entity.kind if entity else None,
            "official_domains": entity.domains if entity else [],
            "registered_accounts": [
                {
                    "platform": a.platform,
                    "handle": a.handle,
                    "display_name": a.display_name,
                    "url": a.url,
                }
                for a in (entity.accounts if entity else [])
            ],
        },
        "generated_at": utcnow().isoformat(),
        "lookalikes": lookalikes,
    }


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top;text-align:left}th{background:#f4f4f4}code{background:#f4f4f4;padding:0 .2rem}
.muted{color:#666;font-size:.9rem}.excerpt{white-space:pre-wrap;font-size:.9rem}
"""


def render_html(data: dict[str, Any]) -> str:
    e = html.escape
    ent = data["entity"]
    title = f"Impersonation report: {ent.get('name') or ent['id']}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="referrer" content="no-referrer">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="muted">Generated {e(data["generated_at"])} by factwatch. Lookalike names are '
        "written defanged (<code>[.]</code>, <code>hxxp</code>) so that they cannot be opened by accident.</p>",
        "<table><tr><th>Entity</th><td>"
        + e(str(ent["id"]))
        + (f" — {e(ent['name'])}" if ent.get("name") else "")
        + "</td></tr>",
        "<tr><th>Official domains</th><td>"
        + e(", ".join(ent.get("official_domains") or []) or "—")
        + "</td></tr>",
        "<tr><th>Registered accounts</th><td>"
        + (
            e(
                ", ".join(
                    f"{a['platform']}: {a['handle']}" for a in ent.get("registered_accounts") or []
                )
            )
            or "—"
        )
        + "</td></tr>",
        f"<tr><th>Lookalikes</th><td>{len(data['lookalikes'])}</td></tr></table>",
    ]
    if not data["lookalikes"]:
        out.append(
            "<p>No lookalike domain or impersonating account has been recorded for this entity.</p>"
        )
    for lk in data["lookalikes"]:
        shown = defang(lk["lookalike"]) if lk["kind"] == "domain" else lk["lookalike"]
        head = f"{'Domain' if lk['kind'] == 'domain' else 'Account'}: {shown}"
        if lk.get("platform"):
            head += f" ({lk['platform']})"
        out.append(f"<h2>{e(head)}</h2><table>")
        rows = [
            (
                "Imitates",
                defang(str(lk.get("imitates") or ""))
                if lk["kind"] == "domain"
                else str(lk.get("imitates") or ""),
            ),
            ("Technique", f"{lk['technique']}: {lk['technique_explained']}"),
            ("Score", str(lk["score"])),
            ("First seen", lk.get("first_seen") or "—"),
            ("Last seen", lk.get("last_seen") or "—"),
        ]
        if lk.get("punycode") and lk["punycode"] != lk["lookalike"]:
            rows.append(("Punycode", defang(str(lk["punycode"]))))
        for k, v in rows:
            out.append(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>")
        out.append("</table>")
        out.append(
            "<table><tr><th>Item</th><th>Published</th><th>Source / author</th><th>Content</th></tr>"
        )
        for it in lk["items"]:
            who = " / ".join(x for x in (it.get("source"), it.get("author")) if x)
            content = defang_text(it.get("excerpt") or "")
            url = defang_text(it.get("url") or "")
            out.append(
                f"<tr><td>{e(str(it['item_id']))}</td><td>{e(it.get('published_at') or '—')}</td>"
                f'<td>{e(who)}<br><span class="muted">{e(url)}</span></td>'
                f'<td class="excerpt">{e(content)}</td></tr>'
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def write_impersonation_report(store: Store, entity_id: str, out_dir: Path) -> list[Path]:
    """Write the JSON and HTML evidence package for ``entity_id``; return the two paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect(store, entity_id)
    stem = f"impersonation-{_safe_name(entity_id)}"
    jpath = out_dir / f"{stem}.json"
    hpath = out_dir / f"{stem}.html"
    jpath.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    hpath.write_text(render_html(data), encoding="utf-8")
    return [jpath, hpath]
