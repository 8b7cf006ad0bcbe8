"""Coordinated campaigns: many accounts posting the same text or link within a short window.

Method (after CooRnet and the coordination-network-toolkit's co-link / co-text within 60 s):

1. Every post gets *content keys*: its near-duplicate cluster (``t:<cluster>`` from
   :class:`~factwatch.analysers.neardup.NearDupIndex`, so edited and rewritten copies share one
   key) and each link it carries (``u:<canonical url>``: shorteners resolved offline where the
   data says where they lead, ``youtu.be`` expanded, tracking parameters such as ``utm_*`` and
   ``fbclid`` dropped, host lower-cased, ``www.``/``m.`` removed).
2. Per key, posts are ordered in time; every window of ``window`` seconds is tested against the
   key's own background rate in the surrounding hours (``background`` seconds each side): the
   number of *distinct accounts* in the window is compared with a Poisson law of mean
   ``rate x window``.  A window is a *coordinated burst* when ``-log10 p >= min_significance``
   and it holds at least ``min_burst_accounts`` accounts.  Organic sharing of the same news by
   unrelated accounts over hours raises the background rate, so it does not pass; a few dozen
   accounts posting the same thing within a minute does.
3. The accounts of each burst form a weighted co-action network (edge = two accounts posted the
   same key within the window; weight = how often).  Bursts are merged into one campaign when they
   share posts (same posts found by text and by link), when their account sets overlap (overlap
   coefficient >= ``account_overlap``: a campaign coming back in bursts over days), or when they
   overlap in time and their texts are alike (a rewritten campaign split across clusters).  A
   campaign needs ``min_accounts`` distinct accounts.  Its score is the density of its co-action
   network (share of account pairs that acted together within the window).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from factwatch.analysers import register
from factwatch.analysers.base import AnalysisContext
from factwatch.analysers.neardup import NearDupIndex
from factwatch.models import Item, Signal

STATE_NAME = "campaigns"
DEFAULT_WINDOW = 60.0
MAX_REDIRECTS = 1_000_000
# A post that arrives late (published more than ``buffer_seconds`` before the newest post seen) is
# kept for the next LATE_KEEP arrivals, so the rest of a late burst, arriving in later batches,
# still meets it; without this it was dropped at once and a late burst split across batches was
# never seen (the result depended on how the stream was cut into batches).
LATE_KEEP = 20_000

# ---------------------------------------------------------------------------------------- URLs
SHORTENERS = frozenset(
    [
        "bit.ly",
        "t.co",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "buff.ly",
        "is.gd",
        "rb.gy",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "lnkd.in",
        "fb.me",
        "trib.al",
        "dlvr.it",
        "amzn.to",
        "bitly.com",
        "t.ly",
        "s.id",
        "v.gd",
        "rebrand.ly",
        "shorte.st",
        "soo.gd",
        "bl.ink",
        "tinyurl.is",
        "qr.ae",
        "gg.gg",
    ]
)
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|igsh|mc_cid|mc_eid|_ga|_gl|"
    r"ref|ref_src|ref_url|refsrc|src|s|si|spm|share|shared|feature|cmpid|ocid|ncid|mkt_tok|"
    r"__tn__|__cft__\[0\]|rdt|campaign_id|fb_action_ids|fb_action_types|fb_source|action_object_map|"
    r"action_type_map|action_ref_map|zarsrc|gidzl)$",
    re.IGNORECASE,
)
_TEXT_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|mobile|amp)\.")


def canonical_url(url: str | None, redirects: dict[str, str] | None = None) -> str | None:
    """A comparable form of ``url`` (or None when it is not a web link).

    ``redirects`` maps canonical short links to where they lead (known offline, e.g. from an
    ``expanded_url`` field in the data); they are followed (at most 5 hops).
    """
    seen: set[str] = set()
    cur = url
    for _ in range(6):
        c = _canon_once(cur)
        if c is None or not redirects or c in seen or c not in redirects:
            return c
        seen.add(c)
        cur = redirects[c]
    return c


def _canon_once(url: str | None) -> str | None:
    if not url or not isinstance(url, str) or len(url) > 4096:
        return None
    u = url.strip().rstrip(".,;:!?…)]}>\"'")
    if u.lower().startswith("www."):
        u = "http://" + u
    try:
        parts = urlsplit(u)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or " " in host:
        return None
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    host = _HOST_PREFIX.sub("", host)
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    if host == "youtu.be" and len(path) > 1:
        query = [("v", path.strip("/").split("/")[0])] + [(k, v) for k, v in query if k == "t"]
        host, path = "youtube.com", "/watch"
    if host in ("youtube.com", "music.youtube.com") and path == "/watch":
        query = [(k, v) for k, v in query if k == "v"]
    if len(path) > 1:
        path = path.rstrip("/")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


def is_shortener(canon: str) -> bool:
    host = urlsplit(canon).hostname or ""
    return host in SHORTENERS


def urls_in(text: str | None, url: str | None = None) -> list[str]:
    """The links a post carries: its ``url`` field and those written in its text."""
    out: list[str] = []
    if url:
        out.append(url)
    if text:
        out.extend(_TEXT_URL.findall(text)[:20])
    return out


# ---------------------------------------------------------------------------------------- stats
def poisson_log10_sf(k: int, mu: float) -> float:
    """log10 P(X >= k) for X ~ Poisson(mu) (0.0 when k <= mu: not surprising at all)."""
    if k <= 0 or k <= mu:
        return 0.0
    mu = max(mu, 1e-300)
    log_term = -mu + k * math.log(mu) - math.lgamma(k + 1)
    total, term, i = 1.0, 1.0, k
    while True:
        i += 1
        term *= mu / i
        total += term
        if term < 1e-12 * total or i > k + 10_000:
            break
    return (log_term + math.log(total)) / math.log(10)


# ---------------------------------------------------------------------------------------- posts
@dataclass(slots=True)
class Post:
    id: str
    text: str
    author: str
    ts: float  # POSIX seconds
    url: str | None = None
    item_id: int | None = None


@dataclass
class Burst:
    key: str
    posts: list[int]  # indices into the post list
    significance: float  # -log10 p
    strict: bool = True  # passed min_significance (relaxed bursts only extend a campaign)


@dataclass
class Params:
    window: float = DEFAULT_WINDOW
    min_accounts: int = 5
    min_burst_accounts: int = 3
    min_significance: float = 8.0
    background: float = 3600.0
    local_background: float = 600.0
    account_overlap: float = 0.5
    text_merge: float = 0.3
    relaxed_significance: float = 4.0  # further bursts of a campaign's own content
    early_significance: float = 16.0  # streaming: before the background after a burst is seen
    absorb_similarity: float = 0.3  # word Jaccard for a nearby post to join a campaign


@dataclass
class Campaign:
    posts: list[int]
    bursts: list[Burst] = field(default_factory=list)


def find_bursts(
    times: np.ndarray, accounts: Sequence[str], key: str, p: Params, now: float | None = None
) -> list[Burst]:
    """Coordinated bursts of one content key (``times`` sorted ascending).

    ``now`` (streaming): a window whose background period after it has not fully elapsed is judged
    on the background seen so far and must reach ``early_significance``; it is judged again, with
    the normal threshold, once ``now`` has passed its end plus ``background``.
    """
    n = len(times)
    if n < p.min_burst_accounts or len(set(accounts)) < p.min_burst_accounts:
        return []
    end = np.searchsorted(times, times + p.window, side="right")  # window [t_i, t_i + W]
    lo = np.searchsorted(times, times - p.background, side="left")
    hi = np.searchsorted(times, times + p.window + p.background, side="right")
    lo_l = np.searchsorted(times, times - p.local_background, side="left")
    hi_l = np.searchsorted(times, times + p.window + p.local_background, side="right")
    starts = np.nonzero(end - np.arange(n) >= p.min_burst_accounts)[0]
    flagged: list[tuple[int, int, float]] = []
    for i in starts.tolist():
        j = int(end[i])
        c = len(set(accounts[i:j]))
        if c < p.min_burst_accounts:
            continue
        bg = int(hi[i] - lo[i]) - (j - i)
        t = float(times[i])
        before = i - int(lo_l[i])  # posts in the minutes before the window
        after = int(hi_l[i]) - j  # ... and after it
        threshold = p.min_significance
        span = 2 * p.background
        span_after = p.local_background
        if now is not None and t + p.window + p.background > now:
            threshold = max(p.early_significance, p.min_significance)
            seen_after = max(0.0, now - t - p.window)
            span = max(p.window, p.background + min(p.background, seen_after))
            span_after = max(p.window, min(p.local_background, seen_after))
        # the larger of the hour-scale rate and the rate just before or just after the window: an
        # organic story that takes off keeps being posted after its first minute, a burst does not
        rate = max((bg + 1) / span, before / p.local_background, after / span_after)
        sig = -poisson_log10_sf(c, rate * p.window)
        if sig >= threshold:
            flagged.append((i, j, sig))
    bursts: list[Burst] = []
    cur: list[Any] | None = None  # [start, end (exclusive), significance]
    for i, j, sig in flagged:
        if cur is not None and (i < cur[1] or times[i] - times[cur[1] - 1] <= p.window):
            cur[1] = max(cur[1], j)
            cur[2] = max(cur[2], sig)
            continue
        if cur is not None:
            bursts.append(Burst(key, list(range(cur[0], cur[1])), cur[2]))
        cur = [i, j, sig]
    if cur is not None:
        bursts.append(Burst(key, list(range(cur[0], cur[1])), cur[2]))
    return bursts


class CampaignDetector:
    """Batch detection over a list of posts (the ``factwatch campaigns`` command)."""

    def __init__(self, params: Params | None = None, index: NearDupIndex | None = None) -> None:
        self.p = params or Params()
        self.index = index or NearDupIndex()

    def keys(
        self, posts: Sequence[Post], redirects: dict[str, str] | None = None
    ) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in posts]
        step = 20_000
        for s in range(0, len(posts), step):
            res = self.index.add([p.text for p in posts[s : s + step]])
            for k, cl in enumerate(res.clusters.tolist()):
                if cl >= 0:
                    out[s + k].append(f"t:{cl}")
        # cluster ids may have merged after a post was added: canonicalise at the end
        for ks in out:
            if ks and ks[0].startswith("t:"):
                ks[0] = f"t:{self.index.find(int(ks[0][2:]))}"
        for i, p in enumerate(posts):
            seen: set[str] = set()
            for u in urls_in(p.text, p.url):
                c = canonical_url(u, redirects)
                if c and c not in seen:
                    seen.add(c)
                    out[i].append("u:" + c)
        return out

    def detect(
        self, posts: Sequence[Post], redirects: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        keys = self.keys(posts, redirects)
        by_key: dict[str, list[int]] = defaultdict(list)
        for i, ks in enumerate(keys):
            for k in ks:
                by_key[k].append(i)
        sorted_keys: dict[str, tuple[list[int], np.ndarray, list[str]]] = {}
        bursts: list[Burst] = []
        for key, idxs in by_key.items():
            if len(idxs) < self.p.min_burst_accounts:
                continue
            idxs.sort(key=lambda i: posts[i].ts)
            times = np.array([posts[i].ts for i in idxs], dtype=np.float64)
            accs = [posts[i].author for i in idxs]
            sorted_keys[key] = (idxs, times, accs)
            for b in find_bursts(times, accs, key, self.p):
                b.posts = [idxs[j] for j in b.posts]
                bursts.append(b)
        # a campaign's own content (text cluster or link) coming back in a smaller burst
        relaxed = replace(
            self.p, min_significance=min(self.p.relaxed_significance, self.p.min_significance)
        )
        again = {k for b in bursts for i in b.posts for k in keys[i]}
        for key in sorted(again):
            if key not in sorted_keys:
                continue
            idxs, times, accs = sorted_keys[key]
            strict_sets = [set(b.posts) for b in bursts if b.key == key]
            for b in find_bursts(times, accs, key, relaxed):
                b.posts = [idxs[j] for j in b.posts]
                b.strict = False
                if not any(set(b.posts) <= ss for ss in strict_sets):
                    bursts.append(b)
        groups = self._group(posts, bursts)
        groups = self._absorb(posts, groups)
        return self._finish(posts, groups)

    def _absorb(
        self, posts: Sequence[Post], groups: list[tuple[list[int], list[Burst]]]
    ) -> list[tuple[list[int], list[Burst]]]:
        """Add posts made near a campaign's bursts whose words are like a member's (rewritten copies)."""
        if not groups or self.p.absorb_similarity >= 1:
            return groups
        order = sorted(range(len(posts)), key=lambda i: posts[i].ts)
        times = np.array([posts[i].ts for i in order], dtype=np.float64)
        taken = {i for members, _ in groups for i in members}
        tok = self.index.tokenizer
        words: dict[int, frozenset[str]] = {}

        def ws(i: int) -> frozenset[str]:
            w = words.get(i)
            if w is None:
                w = words[i] = frozenset(tok.words(posts[i].text))
            return w

        out = []
        for members, bs in groups:
            extra: list[int] = []
            for b in bs:
                ts = [posts[i].ts for i in b.posts]
                lo = int(np.searchsorted(times, min(ts) - self.p.window, side="left"))
                hi = int(np.searchsorted(times, max(ts) + self.p.window, side="right"))
                if hi - lo > 5000:  # a very busy minute: do not scan it
                    continue
                member_sets = [m for m in (ws(i) for i in b.posts[:100]) if len(m) >= 3]
                for k in range(lo, hi):
                    i = order[k]
                    if i in taken:
                        continue
                    w = ws(i)
                    if len(w) < 3:
                        continue
                    best = max((len(w & m) / len(w | m) for m in member_sets), default=0.0)
                    if best >= self.p.absorb_similarity:
                        extra.append(i)
                        taken.add(i)
            if extra:
                members = sorted(
                    set(members) | set(extra), key=lambda i: (posts[i].ts, posts[i].id)
                )
            out.append((members, bs))
        return out

    # -------------------------------------------------------------------- grouping
    def _group(
        self, posts: Sequence[Post], bursts: list[Burst], require_strict: bool = True
    ) -> list[tuple[list[int], list[Burst]]]:
        nb = len(bursts)
        parent = list(range(nb))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        # shared posts
        owner: dict[int, int] = {}
        for bi, b in enumerate(bursts):
            for i in b.posts:
                if i in owner:
                    union(owner[i], bi)
                else:
                    owner[i] = bi
        # shared accounts
        accs = [frozenset(posts[i].author for i in b.posts) for b in bursts]
        by_acc: dict[str, list[int]] = defaultdict(list)
        for bi, a in enumerate(accs):
            for acc in a:
                by_acc[acc].append(bi)
        pair_shared: dict[tuple[int, int], int] = defaultdict(int)
        for lst in by_acc.values():
            if len(lst) > 200:  # a hub account: do not let it glue everything
                continue
            for x in range(len(lst)):
                for y in range(x + 1, len(lst)):
                    pair_shared[(lst[x], lst[y])] += 1
        for (x, y), shared in pair_shared.items():
            if shared >= 2 and shared / min(len(accs[x]), len(accs[y])) >= self.p.account_overlap:
                union(x, y)
        # overlapping in time with alike texts (rewritten copies split across clusters)
        tok = self.index.tokenizer
        spans = []
        for bi, b in enumerate(bursts):
            ts = [posts[i].ts for i in b.posts]
            words: set[str] = set()
            for i in b.posts[:30]:
                words.update(tok.words(posts[i].text))
            spans.append((min(ts), max(ts), bi, words))
        spans.sort()
        for x in range(len(spans)):
            s0, e0, bx, wx = spans[x]
            for y in range(x + 1, len(spans)):
                s1, _e1, by_, wy = spans[y]
                if s1 > e0 + self.p.window:
                    break
                if wx and wy and len(wx & wy) / len(wx | wy) >= self.p.text_merge:
                    union(bx, by_)
        groups: dict[int, list[int]] = defaultdict(list)
        for bi in range(nb):
            groups[find(bi)].append(bi)
        out = []
        for bis in groups.values():
            if require_strict and not any(bursts[bi].strict for bi in bis):
                continue
            members = sorted(
                {i for bi in bis for i in bursts[bi].posts},
                key=lambda i: (posts[i].ts, posts[i].id),
            )
            out.append((members, [bursts[bi] for bi in bis]))
        return out

    def _finish(
        self, posts: Sequence[Post], groups: list[tuple[list[int], list[Burst]]]
    ) -> list[dict[str, Any]]:
        out = []
        for members, bs in groups:
            if len({posts[i].author for i in members}) < self.p.min_accounts:
                continue
            out.append(self._describe(posts, members, bs))
        out.sort(key=lambda c: (c["first_seen"], c["campaign_id"]))
        return out

    def _campaigns(self, posts: Sequence[Post], bursts: list[Burst]) -> list[dict[str, Any]]:
        return self._finish(posts, self._group(posts, bursts))

    def _sample_text(self, texts: list[str]) -> str:
        """The text most copies agree with: the one sharing most words with the others."""
        tok = self.index.tokenizer
        sets = [set(tok.words(t)) for t in texts]
        counts: dict[str, int] = defaultdict(int)
        for ws in sets:
            for w in ws:
                counts[w] += 1
        best = max(
            range(len(texts)),
            key=lambda i: (
                sum(counts[w] for w in sets[i]) / (1 + len(sets[i])) ** 0.5,
                -len(texts[i]),
            ),
            default=0,
        )
        return texts[best] if texts else ""

    def _describe(
        self, posts: Sequence[Post], members: list[int], bursts: list[Burst]
    ) -> dict[str, Any]:
        accounts = sorted({posts[i].author for i in members})
        shared_urls = sorted({b.key[2:] for b in bursts if b.key.startswith("u:")})
        # co-action network density: account pairs that posted the same key within the window
        edges: dict[tuple[str, str], int] = defaultdict(int)
        for b in bursts:
            bp = sorted(b.posts, key=lambda i: posts[i].ts)
            for x in range(len(bp)):
                for y in range(x + 1, len(bp)):
                    px, py = posts[bp[x]], posts[bp[y]]
                    if py.ts - px.ts > self.p.window:
                        break
                    if px.author != py.author:
                        edges[tuple(sorted((px.author, py.author)))] += 1  # type: ignore[index]
        na = len(accounts)
        density = len(edges) / (na * (na - 1) / 2) if na > 1 else 0.0
        first = posts[members[0]]
        cid = "camp-" + hashlib.sha1(f"{first.author}\x1f{first.id}".encode()).hexdigest()[:12]
        sample = self._sample_text([posts[i].text for i in members[:200]])
        return {
            "campaign_id": cid,
            "post_ids": [posts[i].id for i in members],
            "accounts": accounts,
            "first_seen": _iso(posts[members[0]].ts),
            "last_seen": _iso(posts[members[-1]].ts),
            "shared_urls": shared_urls,
            "sample_text": sample[:500],
            "score": round(min(1.0, density), 4),
            "bursts": len(bursts),
            "significance": round(max(b.significance for b in bursts), 2),
            "edges": sum(edges.values()),
        }


def _iso(ts: float) -> str:  # noqa: D103
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def redirects_from(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Short link -> destination pairs found in the data (``expanded_url``/``resolved_url``...)."""
    out: dict[str, str] = {}
    for r in records:
        short = r.get("url")
        for f in ("expanded_url", "resolved_url", "final_url", "unshortened_url"):
            dest = r.get(f)
            if isinstance(short, str) and isinstance(dest, str):
                c = _canon_once(short)
                d = _canon_once(dest)
                if c and d and c != d:
                    out[c] = d
    return out


# ---------------------------------------------------------------------------------------- analyser
class CampaignsAnalyser:
    """Incremental campaigns over the item stream (``factwatch analyze`` and workers).

    An *ordered* analyser: it must see every post of the stream once, in order, so workers do not
    run it on their batches; :func:`factwatch.workers.follow.follow` feeds it the analysed items
    after its ``cursor`` under a lock and saves its state in the same transaction as its signals.

    State (``store.put_state("campaigns", ...)``): the near-duplicate index, a buffer of recent
    posts per content key (the last ``buffer_seconds``), the campaigns found so far (their accounts
    and post ids, so a campaign that comes back keeps its id), the content keys of each campaign,
    the redirects learned from items, and the cursor.
    """

    name = "campaigns"
    state_name = STATE_NAME

    def __init__(
        self,
        store: Any = None,
        params: Params | None = None,
        buffer_seconds: float = 4 * 3600.0,
        campaign_ttl: float = 90 * 86400.0,
    ) -> None:
        self.campaign_ttl = campaign_ttl
        self.store = store
        self.p = params or Params()
        self.buffer_seconds = buffer_seconds
        self.load_state(None)
        self.stamp: Any = None  # when the state held here was written (None: reload before use)
        if store is not None:
            got = store.get_state_stamped(STATE_NAME)
            if got is not None:
                self.load_state(got[0])
                self.stamp = got[1]

    # ---------------------------------------------------------------- persistence
    def load_state(self, data: bytes | None) -> None:
        """Replace the state held in memory by ``data`` (None: empty)."""
        self.index = NearDupIndex()
        self.buffers: dict[
            str, list[tuple[float, str, int, str, int]]
        ] = {}  # key -> (ts, author, item id, text, arrival number)
        self.campaigns: dict[
            str, dict[str, Any]
        ] = {}  # id -> {"accounts", "item_ids", "urls", ...}
        self.item_campaign: dict[int, str] = {}
        self.redirects: dict[str, str] = {}  # short link -> destination, learned from item.extra
        self.campaign_keys: dict[str, str] = {}  # content key (text cluster, link) -> campaign
        self.pending: dict[str, float] = {}  # key -> when its latest posts can be judged in full
        self.latest = 0.0  # newest post time seen
        self.cursor = 0  # id of the last item fed (by factwatch.workers.follow)
        self.arrivals = 0  # posts fed so far
        if not data:
            return
        z = np.load(io.BytesIO(data), allow_pickle=False)
        self.index = NearDupIndex.from_bytes(bytes(z["index"]))
        st = json.loads(bytes(z["state"]).decode("utf-8"))
        self.arrivals = int(st.get("arrivals", 0))
        self.buffers = {  # states written before arrival numbers: 0
            k: [(*x[:4], *(x[4:5] or [0])) for x in v]  # type: ignore[misc]
            for k, v in st["buffers"].items()
        }
        self.campaigns = st["campaigns"]
        self.item_campaign = {int(k): v for k, v in st["item_campaign"].items()}
        self.redirects = dict(st.get("redirects", {}))
        self.campaign_keys = dict(st.get("campaign_keys", {}))
        self.pending = {k: float(v) for k, v in st.get("pending", {}).items()}
        self.latest = float(st.get("latest", 0.0))
        self.cursor = int(st.get("cursor", 0))

    def to_bytes(self) -> bytes:
        st = {
            "buffers": self.buffers,
            "campaigns": self.campaigns,
            "item_campaign": self.item_campaign,
            "redirects": self.redirects,
            "campaign_keys": self.campaign_keys,
            "pending": self.pending,
            "latest": self.latest,
            "cursor": self.cursor,
            "arrivals": self.arrivals,
        }
        buf = io.BytesIO()
        np.savez(
            buf,
            index=np.frombuffer(self.index.to_bytes(), dtype=np.uint8),
            state=np.frombuffer(json.dumps(st, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        )
        return buf.getvalue()

    def save(self) -> None:
        """Write the state to the store now (outside :func:`~factwatch.workers.follow.follow`,
        which saves it with the signals)."""
        if self.store is not None:
            self.store.put_state(STATE_NAME, self.to_bytes())
            self.stamp = self.store.state_stamp(STATE_NAME)

    # ---------------------------------------------------------------- analysis
    def analyse(self, items: Sequence[Item]) -> list[Signal]:
        items = [it for it in items if it.id is not None]
        if not items:
            return []
        res = self.index.add([it.full_text for it in items])
        learned = redirects_from(
            {**(it.extra or {}), "url": it.url} for it in items if it.url and it.extra
        )
        if len(self.redirects) + len(learned) > MAX_REDIRECTS:
            self.redirects.clear()
        self.redirects.update(learned)
        touched: set[str] = set()
        latest = self.latest
        for k, it in enumerate(items):
            ts = (it.published_at or datetime.now(UTC)).timestamp()
            latest = max(latest, ts)
            self.arrivals += 1
            keys = []
            if res.clusters[k] >= 0:
                keys.append(f"t:{int(res.clusters[k])}")
            seen: set[str] = set()
            for u in urls_in(it.text, it.url):
                c = canonical_url(u, self.redirects)
                if c and c not in seen:
                    seen.add(c)
                    keys.append("u:" + c)
            for key in keys:
                due = ts + self.p.window + self.p.background
                if due > self.pending.get(key, 0.0):
                    self.pending[key] = due
                self.buffers.setdefault(key, []).append(
                    (
                        ts,
                        it.author or f"item:{it.id}",
                        int(it.id or 0),
                        it.full_text[:300],
                        self.arrivals,
                    )
                )
                touched.add(key)
        # clusters merged: move buffers under their canonical key
        for key in list(self.buffers):
            if key.startswith("t:"):
                root = f"t:{self.index.find(int(key[2:]))}"
                if root != key:
                    self.buffers.setdefault(root, []).extend(self.buffers.pop(key))
                    if key in touched:
                        touched.discard(key)
                        touched.add(root)
        # keys whose background period has now elapsed are judged again with the normal threshold
        for key in [k for k, due in self.pending.items() if due <= latest]:
            del self.pending[key]
            if key in self.buffers:
                touched.add(key)
        self.latest = latest
        signals = self._detect(touched, latest)
        self._prune(latest)
        # evict old posts (after detection, so a late batch is still examined)
        horizon = latest - self.buffer_seconds
        for key in list(self.buffers):
            buf = [
                x
                for x in self.buffers[key]
                if x[0] >= horizon or self.arrivals - x[4] < LATE_KEEP  # late: kept a while
            ]
            if buf:
                self.buffers[key] = buf
            else:
                del self.buffers[key]
        return signals

    def _detect(self, touched: set[str], now: float) -> list[Signal]:
        posts: list[Post] = []
        bursts: list[Burst] = []
        for key in touched:
            buf = sorted(self.buffers.get(key, []))
            if len(buf) < self.p.min_burst_accounts:
                continue
            base = len(posts)
            posts.extend(
                Post(id=str(x[2]), text=x[3], author=x[1], ts=x[0], item_id=x[2]) for x in buf
            )
            times = np.array([x[0] for x in buf])
            # content already part of a known campaign: a smaller burst of it is enough
            known = key in self.campaign_keys or any(x[2] in self.item_campaign for x in buf)
            params = (
                replace(
                    self.p,
                    min_significance=min(self.p.min_significance, self.p.relaxed_significance),
                )
                if known
                else self.p
            )
            for b in find_bursts(times, [x[1] for x in buf], key, params, now):
                if known:
                    done = float(times[b.posts[-1]]) + self.p.window + self.p.background <= now
                    need = self.p.min_significance if done else self.p.early_significance
                    b.strict = b.significance >= need
                b.posts = [base + j for j in b.posts]
                bursts.append(b)
        if not bursts:
            return []
        det = CampaignDetector(Params(**{**self.p.__dict__, "min_accounts": 1}), self.index)
        # the same item may sit under two keys: dedupe posts by item id
        first_of: dict[int, int] = {}
        for i, p in enumerate(posts):
            first_of.setdefault(int(p.item_id or 0), i)
        for b in bursts:
            b.posts = sorted({first_of[int(posts[i].item_id or 0)] for i in b.posts})
        groups = det._group(posts, bursts, require_strict=False)
        # a group of weaker bursts only continues a known campaign with the same accounts
        groups = [
            (m, bs)
            for m, bs in groups
            if any(b.strict for b in bs) or self._continues(posts, m, bs)
        ]
        found = det._finish(posts, groups)
        item_keys: dict[int, set[str]] = defaultdict(set)
        for b in bursts:
            for i in b.posts:
                item_keys[int(posts[i].item_id or 0)].add(b.key)
        signals: list[Signal] = []
        for c in found:
            item_ids = [int(x) for x in c["post_ids"]]
            cid = self._campaign_id(c, item_ids)
            for iid in item_ids:
                for k in item_keys.get(iid, ()):
                    self.campaign_keys[k] = cid
            camp = self.campaigns[cid]
            if len(camp["accounts"]) < self.p.min_accounts:
                continue
            evidence = {
                "campaign_id": cid,
                "accounts": camp["accounts"][:100],
                "n_accounts": len(camp["accounts"]),
                "post_count": len(camp["item_ids"]),
                "window_seconds": self.p.window,
                "shared_urls": camp["shared_urls"][:20],
                "sample_text": camp["sample_text"],
                "first_seen": camp["first_seen"],
                "last_seen": camp["last_seen"],
                "significance": c["significance"],
            }
            for iid in camp["item_ids"]:
                signals.append(
                    Signal(
                        item_id=iid,
                        kind="campaign",
                        score=float(c["score"]),
                        target_type="campaign",
                        target_id=cid,
                        evidence=evidence,
                    )
                )
        return signals

    def _continues(self, posts: list[Post], members: list[int], bursts: list[Burst]) -> bool:
        accs = {posts[i].author for i in members}
        cids = {self.campaign_keys[b.key] for b in bursts if b.key in self.campaign_keys}
        cids |= {
            self.item_campaign[int(posts[i].item_id or 0)]
            for i in members
            if int(posts[i].item_id or 0) in self.item_campaign
        }
        for cid in cids:
            known = set(self.campaigns.get(cid, {}).get("accounts", []))
            shared = len(accs & known)
            if (
                shared >= 2
                and shared / max(1, min(len(accs), len(known))) >= self.p.account_overlap
            ):
                return True
        return False

    def _prune(self, latest: float) -> None:
        """Forget campaigns not seen for ``campaign_ttl`` seconds (bounded state)."""
        cutoff = _iso(latest - self.campaign_ttl)
        gone = {c for c, camp in self.campaigns.items() if camp["last_seen"] < cutoff}
        for cid in gone:
            for iid in self.campaigns.pop(cid)["item_ids"]:
                if self.item_campaign.get(iid) == cid:
                    del self.item_campaign[iid]
        if gone:
            self.campaign_keys = {k: c for k, c in self.campaign_keys.items() if c not in gone}

    def _campaign_id(self, c: dict[str, Any], item_ids: list[int]) -> str:
        """The existing campaign this group continues (shared items or accounts), else a new one."""
        accs = set(c["accounts"])
        best, best_score = None, 0.0
        for iid in item_ids:
            if iid in self.item_campaign:
                best, best_score = self.item_campaign[iid], 1.0
                break
        if best is None:
            for cid, camp in self.campaigns.items():
                shared = len(accs & set(camp["accounts"]))
                if shared >= 2:
                    s = shared / min(len(accs), len(camp["accounts"]))
                    if s >= self.p.account_overlap and s > best_score:
                        best, best_score = cid, s
        cid = best or c["campaign_id"]
        camp = self.campaigns.setdefault(
            cid,
            {
                "accounts": [],
                "item_ids": [],
                "shared_urls": [],
                "sample_text": c["sample_text"],
                "first_seen": c["first_seen"],
                "last_seen": c["last_seen"],
            },
        )
        camp["accounts"] = sorted(set(camp["accounts"]) | accs)
        camp["item_ids"] = sorted(set(camp["item_ids"]) | set(item_ids))
        camp["shared_urls"] = sorted(set(camp["shared_urls"]) | set(c["shared_urls"]))
        camp["first_seen"] = min(camp["first_seen"], c["first_seen"])
        camp["last_seen"] = max(camp["last_seen"], c["last_seen"])
        for iid in item_ids:
            self.item_campaign[iid] = cid
        return cid


@register("campaigns", ordered=True)
def make_campaigns(context: AnalysisContext) -> CampaignsAnalyser:
    opts = context.options or {}
    params = Params(
        window=float(opts.get("campaign_window", DEFAULT_WINDOW)),
        min_accounts=int(opts.get("campaign_min_accounts", 5)),
    )
    return CampaignsAnalyser(context.store, params)
