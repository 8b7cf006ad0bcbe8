"""Campaign detection and near-duplicate indexing benchmark (issue 5).

    .venv/bin/python benchmarks/campaigns.py [--organic 100000] [--campaigns 240] [--mem-posts 1000000]

1. Generates (fixed seed) a stream of organic posts built from ../shared/data (headlines from
   clickbait/, claims and posts from claim-retrieval/, sentences from check-worthiness/, vi/en/fr,
   plus recombinations), with organic same-news sharing over hours (must NOT be found), and plants
   campaigns of 5-50 accounts: copy-paste with edits (URL changed, emoji and hashtags added, words
   swapped, truncated, diacritics removed), multi-burst over days, link-only with different
   short texts, rewritten copies (clauses reordered, words replaced).
2. Runs ``CampaignDetector`` and scores campaign-level recall and precision (a campaign is found
   when one output holds >= 80% of its posts with >= 80% of that output being its posts).
3. Near-duplicate indexing speed, ours vs datasketch MinHashLSH side by side on the same posts
   and shingles (same num_perm and bands x rows), with recall of planted near-copies.
4. Memory: indexes ``--mem-posts`` posts, measures the index size, extrapolates to 10M.

Prints a markdown table and writes it to benchmarks/results/campaigns.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from factwatch.analysers.campaigns import CampaignDetector, Params, Post, redirects_from  # noqa: E402
from factwatch.analysers.neardup import NearDupIndex  # noqa: E402
from factwatch.text.normalize import fold_diacritics  # noqa: E402

SHARED = Path(os.environ.get("FACTWATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
T0 = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
DAYS = 14
EMOJI = ["🔥", "😱", "‼️", "👉", "🙏", "💯", "⚠️", "😡", "👀", "📢", "❗", "🇻🇳"]
HASHTAGS = [
    "#tinnong",
    "#canhbao",
    "#sharengay",
    "#breaking",
    "#truth",
    "#wakeup",
    "#vietnam",
    "#news",
    "#infox",
    "#urgent",
    "#FYI",
    "#xemngay",
]
SHORT_COMMENTS = [
    "Must read!",
    "Read this now",
    "Share before they delete it",
    "Wow",
    "Unbelievable",
    "This!!!",
    "Xem ngay",
    "Đọc đi mọi người",
    "Chia sẻ gấp",
    "Thật không thể tin",
    "Mọi người cẩn thận",
    "Incroyable",
    "À lire absolument",
    "Partagez",
    "Ils nous cachent tout",
    "Look at this",
    "Everyone needs to see this",
    "Sự thật đây",
    "Ai cũng nên biết",
    "Regardez",
    "OMG",
    "Hmm...",
]
NEWS_SITES = [
    "vnexpress.net",
    "tuoitre.vn",
    "thanhnien.vn",
    "bbc.com",
    "reuters.com",
    "lemonde.fr",
    "apnews.com",
    "dantri.com.vn",
    "francetvinfo.fr",
    "nytimes.com",
]
FAKE_SITES = [
    "tin-nong24h.info",
    "sukien-hot.xyz",
    "truth-daily.news",
    "infos-verite.fr",
    "patriot-report.co",
    "baomoi-24.net",
]
SHORT = ["bit.ly", "tinyurl.com", "rb.gy", "cutt.ly"]


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts() -> tuple[list[str], list[str]]:
    """(organic sentences/headlines, campaign template candidates)."""
    headlines, claims = [], []
    for r in _jsonl(SHARED / "clickbait" / "stop-clickbait-en.jsonl"):
        headlines.append(r["title"])
    for name in ("viclickbait-2025-train.jsonl", "viclickbait-2025-validate.jsonl"):
        for r in _jsonl(SHARED / "clickbait" / name):
            headlines.append(r["title"])
            if r.get("lead"):
                claims.append(r["lead"])
    cr = SHARED / "claim-retrieval" / "clef2020-en"
    for r in _jsonl(cr / "factchecks.jsonl"):
        claims.append(r["claim"])
    for name in (
        "train-posts.jsonl",
        "dev-posts.jsonl",
        "dev-posts-fr.jsonl",
        "dev-posts-vi.jsonl",
    ):
        for r in _jsonl(cr / name):
            claims.append(r["text"])
    for name in (
        "claimbuster-train.jsonl",
        "clef2020-task1-training_v2.jsonl",
        "clef2020-task1-dev_v2.jsonl",
    ):
        for r in _jsonl(SHARED / "check-worthiness" / name):
            headlines.append(r["text"])
    return headlines, claims


_WORDS = re.compile(r"\S+")


class Generator:
    def __init__(self, seed: int = 20260501) -> None:
        self.rng = random.Random(seed)
        headlines, claims = load_texts()
        self.rng.shuffle(claims)
        good = [c for c in claims if 10 <= len(c.split()) <= 45 and "http" not in c]
        self.templates = good[:1500]
        reserved = set(self.templates)
        self.organic = [t for t in headlines + claims if t not in reserved and t.strip()]
        self.vocab = [
            w for t in self.organic[:5000] for w in t.split() if w.isalpha() and len(w) > 3
        ]
        self.posts: list[dict] = []
        self.truth: dict[str, list[str]] = {}
        self.kind: dict[str, str] = {}
        self.organic_groups: list[list[str]] = []
        self._n = 0
        self._accounts_used: set[str] = set()

    # ---------------------------------------------------------------- helpers
    def account(self) -> str:
        while True:
            a = f"u{self.rng.randrange(10**9):09d}"
            if a not in self._accounts_used:
                self._accounts_used.add(a)
                return a

    def add(self, text: str, author: str, ts: float, url: str | None = None, **extra: str) -> str:
        self._n += 1
        pid = f"p{self._n:07d}"
        rec = {"id": pid, "text": text, "author": author, "published_at": ts, "url": url}
        rec.update(extra)
        self.posts.append(rec)
        return pid

    def news_url(self) -> str:
        site = self.rng.choice(NEWS_SITES)
        return f"https://{site}/{self.rng.randrange(2020, 2027)}/{self.rng.randrange(10**7)}.html"

    def url_variant(self, canon: str) -> tuple[str, dict]:
        r = self.rng.random()
        extra: dict = {}
        if r < 0.25:
            return (
                canon
                + f"?utm_source={self.rng.choice(['fb', 'zalo', 'tw'])}&utm_medium=social&fbclid=IwAR{self.rng.randrange(10**9)}",
                extra,
            )
        if r < 0.4:
            return canon.replace("https://", "http://www.") + "/", extra
        if r < 0.5:
            host = canon.split("/")[2]
            return canon.replace(
                host, "m." + host
            ) + f"?ref=share&s={self.rng.randrange(99)}", extra
        return canon, extra

    def edit(self, text: str, strength: int = 1) -> str:
        words = text.split()
        ops = self.rng.sample(
            ["emoji", "hashtag", "swap", "truncate", "fold", "case", "url", "transpose"],
            k=self.rng.randint(1, 3) + strength - 1,
        )
        for op in ops:
            if op == "swap" and len(words) > 4:
                for _ in range(self.rng.randint(1, 2)):
                    words[self.rng.randrange(len(words))] = self.rng.choice(self.vocab)
            elif op == "transpose" and len(words) > 4:
                i = self.rng.randrange(len(words) - 1)
                words[i], words[i + 1] = words[i + 1], words[i]
            elif op == "truncate" and len(words) > 8:
                words = words[: max(6, int(len(words) * self.rng.uniform(0.7, 0.95)))] + ["..."]
        out = " ".join(words)
        for op in ops:
            if op == "emoji":
                out = (
                    " ".join(self.rng.choice(EMOJI) for _ in range(self.rng.randint(1, 3)))
                    + " "
                    + out
                    + " "
                    + self.rng.choice(EMOJI)
                )
            elif op == "hashtag":
                out = out + " " + " ".join(self.rng.sample(HASHTAGS, self.rng.randint(1, 3)))
            elif op == "fold":
                out = fold_diacritics(out)
            elif op == "case":
                out = out.upper() if self.rng.random() < 0.5 else out.lower()
            elif op == "url":
                out = out + f" https://{self.rng.choice(FAKE_SITES)}/{self.rng.randrange(10**6)}"
        return out

    def rewrite(self, text: str) -> str:
        clauses = [c.strip() for c in re.split(r"[,;:]| and | và | et ", text) if c.strip()]
        if len(clauses) < 2:
            w = text.split()
            mid = len(w) // 2
            clauses = [" ".join(w[:mid]), " ".join(w[mid:])]
        self.rng.shuffle(clauses)
        words = ", ".join(clauses).split()
        for _ in range(self.rng.randint(1, 3)):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.vocab)
        out = " ".join(words)
        return self.edit(out, 1) if self.rng.random() < 0.5 else out

    # ---------------------------------------------------------------- organic
    def organic_posts(self, n: int, accounts: list[str]) -> None:
        rng = self.rng
        for _ in range(n):
            r = rng.random()
            t = rng.choice(self.organic)
            if r < 0.3:
                t = t + " — " + rng.choice(self.organic)
            elif r < 0.4:
                t = rng.choice(SHORT_COMMENTS) + " " + t
            elif r < 0.5:
                t = t + " " + rng.choice(EMOJI)
            url = self.news_url() if rng.random() < 0.3 else None
            self.add(t, rng.choice(accounts), T0 + rng.uniform(0, DAYS * 86400), url)

    def organic_group(self, accounts: list[str], viral: bool = False) -> None:
        """Same news shared over hours by unrelated accounts (not a campaign).

        ``viral``: 100-300 accounts within 0.5-1.5 hours, most of them in the first minutes.
        """
        rng = self.rng
        headline = rng.choice(self.organic)
        url = self.news_url()
        n = rng.randint(100, 300) if viral else rng.randint(10, 120)
        dur = rng.uniform(0.5, 1.5) * 3600 if viral else rng.uniform(2, 12) * 3600
        start = T0 + rng.uniform(0, DAYS * 86400 - dur)
        ids = []
        for a in rng.sample(accounts, n):
            ts = start + dur * rng.random() ** 1.3
            style = rng.random()
            if style < 0.4:
                text = headline
            elif style < 0.7:
                text = rng.choice(SHORT_COMMENTS) + " " + headline
            else:
                text = rng.choice(SHORT_COMMENTS)
            u, extra = self.url_variant(url)
            ids.append(self.add(text, a, ts, u, **extra))
        self.organic_groups.append(ids)

    # ---------------------------------------------------------------- campaigns
    def campaign(self, cid: str, kind: str, organic_accounts: list[str]) -> None:
        rng = self.rng
        n_acc = rng.randint(5, 50)
        accs = [self.account() for _ in range(n_acc)]
        template = self.templates[len(self.truth) % len(self.templates)]
        ids: list[str] = []
        start = T0 + rng.uniform(0, (DAYS - 5) * 86400)
        bursts = [start]
        if kind == "multiburst":
            for _ in range(rng.randint(1, 3)):
                bursts.append(bursts[-1] + rng.uniform(0.7, 2.5) * 86400)
        canon = f"https://{rng.choice(FAKE_SITES)}/{rng.randrange(10**6)}-{rng.randrange(10**4)}"
        short = f"https://{rng.choice(SHORT)}/{rng.randrange(36**6):x}"
        short_resolved = False
        for bi, b0 in enumerate(bursts):
            members = (
                accs
                if bi == 0
                else rng.sample(accs, max(3, int(len(accs) * rng.uniform(0.6, 1.0))))
            )
            span = rng.uniform(10, 40) + len(members) * 0.8
            for a in members:
                ts = b0 + rng.uniform(0, span)
                extra: dict = {}
                url = None
                if kind == "linkonly":
                    text = rng.choice(SHORT_COMMENTS) + (
                        " " + rng.choice(EMOJI) if rng.random() < 0.5 else ""
                    )
                    if rng.random() < 0.3:
                        url = short
                        if not short_resolved:
                            extra["expanded_url"] = canon
                            short_resolved = True
                    else:
                        url, extra = self.url_variant(canon)
                elif kind == "rewritten":
                    text = self.rewrite(template)
                else:
                    text = self.edit(template)
                    if rng.random() < 0.3:
                        url = f"https://{rng.choice(FAKE_SITES)}/{rng.randrange(10**6)}"
                ids.append(self.add(text, a, ts, url, **extra))
        self.truth[cid] = ids
        self.kind[cid] = kind
        # campaign accounts also post ordinary things
        for a in accs:
            if rng.random() < 0.3:
                self.add(rng.choice(self.organic), a, T0 + rng.uniform(0, DAYS * 86400))

    def build(self, n_organic: int, n_campaigns: int, n_groups: int, n_viral: int = 0) -> None:
        organic_accounts = [self.account() for _ in range(max(1000, n_organic // 4))]
        self.organic_posts(n_organic, organic_accounts)
        for _ in range(n_groups):
            self.organic_group(organic_accounts)
        for _ in range(n_viral):
            self.organic_group(organic_accounts, viral=True)
        kinds = ["copy"] * 4 + ["multiburst"] * 2 + ["linkonly"] * 2 + ["rewritten"] * 2
        for c in range(n_campaigns):
            self.campaign(f"C{c:04d}", kinds[c % len(kinds)], organic_accounts)
        self.rng.shuffle(self.posts)


def evaluate(
    truth: dict[str, list[str]], kinds: dict[str, str], found: list[dict], groups: list[list[str]]
) -> dict:
    post_campaign = {p: c for c, ps in truth.items() for p in ps}
    matched_outputs: set[int] = set()
    found_c: set[str] = set()
    for oi, o in enumerate(found):
        counts: dict[str, int] = defaultdict(int)
        for p in o["post_ids"]:
            if p in post_campaign:
                counts[post_campaign[p]] += 1
        for c, k in counts.items():
            if k >= 0.8 * len(truth[c]) and k >= 0.8 * len(o["post_ids"]):
                found_c.add(c)
                matched_outputs.add(oi)
    group_posts = {p for g in groups for p in g}
    organic_flagged = sum(
        1 for o in found if sum(p in group_posts for p in o["post_ids"]) >= 0.5 * len(o["post_ids"])
    )
    by_kind = {}
    for k in sorted(set(kinds.values())):
        cs = [c for c in truth if kinds[c] == k]
        by_kind[k] = (sum(c in found_c for c in cs), len(cs))
    return {
        "recall": len(found_c) / max(1, len(truth)),
        "precision": len(matched_outputs) / max(1, len(found)),
        "n_found": len(found),
        "by_kind": by_kind,
        "organic_group_outputs": organic_flagged,
    }


def neardup_bench(gen: Generator, n: int, threshold: float) -> dict:
    """Ours vs datasketch MinHashLSH on the same posts, same shingles, same bands x rows."""
    from datasketch import MinHash, MinHashLSH

    posts = sorted(gen.posts, key=lambda r: r["published_at"])[:n]
    texts = [p["text"] for p in posts]
    post_campaign = {p: c for c, ps in gen.truth.items() for p in ps if gen.kind[c] != "linkonly"}
    labels = [post_campaign.get(p["id"]) for p in posts]
    num_perm, bands = 64, 16

    # ours, end to end from raw text; threshold 0 = every LSH candidate is a match (like datasketch)
    idx = NearDupIndex(num_perm=num_perm, bands=bands, threshold=threshold)
    t, c = time.perf_counter(), time.process_time()
    ours_matches: list[list[int]] = []
    doc_pos: dict[int, int] = {}
    for s in range(0, len(texts), 10_000):
        res = idx.add(texts[s : s + 10_000])
        for k, d in enumerate(res.doc_ids.tolist()):
            if d >= 0:
                doc_pos[d] = s + k
        ours_matches.extend(res.matches)
    ours_s, ours_cpu = time.perf_counter() - t, time.process_time() - c

    # datasketch: same tokens (our tokenizer), MinHash.bulk (its vectorised path), same (b, r)
    tok = NearDupIndex().tokenizer
    t, c = time.perf_counter(), time.process_time()
    sets = [tok.words(x) for x in texts]
    ok = [i for i, w in enumerate(sets) if len(set(w)) >= 3]
    mhs = MinHash.bulk([[w.encode("utf-8") for w in set(sets[i])] for i in ok], num_perm=num_perm)
    lsh = MinHashLSH(num_perm=num_perm, params=(bands, num_perm // bands))
    ds_matches: dict[int, list[int]] = {}
    for i, m in zip(ok, mhs, strict=True):
        ds_matches[i] = lsh.query(m)
        lsh.insert(i, m)
    ds_s, ds_cpu = time.perf_counter() - t, time.process_time() - c

    # recall: a planted text copy with an earlier copy of its campaign finds one
    seen: dict[str, int] = defaultdict(int)
    need, ours_hit, ds_hit, ours_false, ds_false, ours_pairs, ds_pairs = 0, 0, 0, 0, 0, 0, 0
    for i, lab in enumerate(labels):
        om = [doc_pos[d] for d in ours_matches[i] if d in doc_pos]
        dm = ds_matches.get(i, [])
        ours_pairs += len(om)
        ds_pairs += len(dm)
        ours_false += sum(1 for j in om if labels[j] is None or labels[j] != lab) if lab else 0
        ds_false += sum(1 for j in dm if labels[j] is None or labels[j] != lab) if lab else 0
        if lab is not None:
            if seen[lab] > 0:
                need += 1
                ours_hit += any(labels[j] == lab for j in om)
                ds_hit += any(labels[j] == lab for j in dm)
            seen[lab] += 1
    return {
        "n": len(texts),
        "ours_rate": len(texts) / ours_s,
        "ds_rate": len(texts) / ds_s,
        "ours_cpu_rate": len(texts) / ours_cpu,
        "ds_cpu_rate": len(texts) / ds_cpu,
        "ours_recall": ours_hit / max(1, need),
        "ds_recall": ds_hit / max(1, need),
        "need": need,
        "ours_pairs": ours_pairs,
        "ds_pairs": ds_pairs,
    }


def incremental_bench(gen: Generator, batch: int = 1000) -> dict:
    """The pipeline analyser fed the same stream in time order, ``batch`` items at a time."""
    from factwatch.analysers.campaigns import CampaignsAnalyser
    from factwatch.models import Item

    recs = sorted(gen.posts, key=lambda r: r["published_at"])
    items = [
        Item(
            source="bench",
            native_id=r["id"],
            text=r["text"],
            url=r["url"],
            author=r["author"],
            published_at=datetime.fromtimestamp(r["published_at"], UTC),
            extra={"expanded_url": r["expanded_url"]} if "expanded_url" in r else {},
            id=k + 1,
        )
        for k, r in enumerate(recs)
    ]
    an = CampaignsAnalyser(None, Params(window=60, min_accounts=5))
    t, c = time.perf_counter(), time.process_time()
    n_signals = 0
    for s in range(0, len(items), batch):
        n_signals += len(an.analyse(items[s : s + batch]))
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    outputs = [
        {"post_ids": [recs[i - 1]["id"] for i in camp["item_ids"]]}
        for camp in an.campaigns.values()
        if len(camp["accounts"]) >= 5
    ]
    ev = evaluate(gen.truth, gen.kind, outputs, gen.organic_groups)
    ev.update({"wall": wall, "cpu": cpu, "signals": n_signals, "state_bytes": len(an.to_bytes())})
    return ev


def _rss() -> int:
    """Resident memory of this process (Linux /proc; psutil elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import psutil

        return int(psutil.Process().memory_info().rss)


def memory_bench(gen: Generator, n: int) -> dict:
    rng = random.Random(7)
    idx = NearDupIndex(num_perm=64, bands=16, threshold=0.5)
    rss0 = _rss()
    pool = gen.organic
    step = 20_000
    dt = cpu = 0.0
    for _ in range(0, n, step):
        batch = [f"{rng.choice(pool)} {rng.choice(pool)}" for _ in range(step)]
        t, c = time.perf_counter(), time.process_time()
        idx.add(batch)
        dt += time.perf_counter() - t
        cpu += time.process_time() - c
    rss1 = _rss()
    return {
        "n": n,
        "rate": n / dt,
        "cpu_rate": n / cpu,
        "index_bytes": idx.nbytes,
        "rss_delta": rss1 - rss0,
        "bytes_per_post": idx.nbytes / max(1, idx.n_docs),
        "extrapolated_10m_gb": idx.nbytes / max(1, idx.n_docs) * 10_000_000 / 1e9,
        "rss_extrapolated_10m_gb": (rss1 - rss0) / n * 10_000_000 / 1e9,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--organic", type=int, default=100_000)
    ap.add_argument("--campaigns", type=int, default=240)
    ap.add_argument("--groups", type=int, default=200)
    ap.add_argument("--viral", type=int, default=20)
    ap.add_argument("--neardup-posts", type=int, default=100_000)
    ap.add_argument("--mem-posts", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20260501)
    args = ap.parse_args()

    t = time.perf_counter()
    gen = Generator(args.seed)
    gen.build(args.organic, args.campaigns, args.groups, args.viral)
    gen_s = time.perf_counter() - t
    print(
        f"generated {len(gen.posts)} posts ({args.campaigns} campaigns, {args.groups} + {args.viral} organic groups) in {gen_s:.1f}s",
        file=sys.stderr,
    )

    posts = [
        Post(id=r["id"], text=r["text"], author=r["author"], ts=r["published_at"], url=r["url"])
        for r in gen.posts
    ]
    redirects = redirects_from(gen.posts)
    t, c = time.perf_counter(), time.process_time()
    found = CampaignDetector(Params(window=60, min_accounts=5)).detect(posts, redirects)
    det_s, det_cpu = time.perf_counter() - t, time.process_time() - c
    ev = evaluate(gen.truth, gen.kind, found, gen.organic_groups)
    print(json.dumps(ev), file=sys.stderr)

    inc = incremental_bench(gen)
    print(json.dumps(inc), file=sys.stderr)
    nd = neardup_bench(gen, args.neardup_posts, 0.0)
    print(json.dumps(nd), file=sys.stderr)
    ndv = neardup_bench(gen, args.neardup_posts, 0.5)
    print(json.dumps(ndv), file=sys.stderr)
    mem = memory_bench(gen, args.mem_posts) if args.mem_posts else None
    print(json.dumps(mem), file=sys.stderr)

    rows = [
        (
            f"posts generated (seed {args.seed})",
            f"{len(gen.posts):,} ({sum(len(v) for v in gen.truth.values()):,} in campaigns)",
        ),
        (
            "planted campaigns",
            f"{len(gen.truth)} ("
            + ", ".join(f"{k} {v[1]}" for k, v in ev["by_kind"].items())
            + ")",
        ),
        (
            "organic same-news groups (must not be found)",
            f"{len(gen.organic_groups)} ({args.viral} of them viral: 100-300 accounts in 0.5-1.5 h);"
            f" outputs made of them: {ev['organic_group_outputs']}",
        ),
        ("campaign recall", f"{ev['recall']:.3f}"),
        ("campaign precision", f"{ev['precision']:.3f} ({ev['n_found']} output campaigns)"),
        ("recall by kind", ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in ev["by_kind"].items())),
        (
            "pipeline analyser, incremental (1,000-item batches in time order): recall / precision",
            f"{inc['recall']:.3f} / {inc['precision']:.3f} ({inc['n_found']} campaigns; "
            + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in inc["by_kind"].items())
            + f"); {inc['cpu']:.0f} s CPU; state {inc['state_bytes'] / 1e6:.1f} MB",
        ),
        (
            "campaign detection time (index + bursts + grouping)",
            f"{det_s:.1f} s wall, {det_cpu:.1f} s CPU ({len(posts) / det_cpu:,.0f} posts per CPU-second)",
        ),
        (
            f"near-dup indexing, ours ({nd['n']:,} posts, 64 perms, 16x4 bands, LSH candidates)",
            f"{nd['ours_cpu_rate']:,.0f} posts per CPU-s ({nd['ours_rate']:,.0f}/s wall), copy recall {nd['ours_recall']:.3f}, {nd['ours_pairs']:,} matches",
        ),
        (
            "near-dup indexing, ours, candidates verified (estimated Jaccard >= 0.5)",
            f"{ndv['ours_cpu_rate']:,.0f} posts per CPU-s ({ndv['ours_rate']:,.0f}/s wall), copy recall {ndv['ours_recall']:.3f}, {ndv['ours_pairs']:,} matches",
        ),
        (
            "near-dup indexing, datasketch MinHashLSH (bulk MinHash, same shingles, 16x4)",
            f"{nd['ds_cpu_rate']:,.0f} posts per CPU-s ({nd['ds_rate']:,.0f}/s wall), copy recall {nd['ds_recall']:.3f}, {nd['ds_pairs']:,} matches",
        ),
        (
            "speed-up over datasketch (same run)",
            f"{nd['ours_cpu_rate'] / nd['ds_cpu_rate']:.1f}x CPU time, {nd['ours_rate'] / nd['ds_rate']:.1f}x wall clock",
        ),
    ]
    if mem:
        rows += [
            (
                f"near-dup indexing at scale ({mem['n']:,} posts)",
                f"{mem['cpu_rate']:,.0f} posts per CPU-s ({mem['rate']:,.0f}/s wall)",
            ),
            (
                "index memory measured",
                f"{mem['index_bytes'] / 1e6:,.0f} MB ({mem['bytes_per_post']:.0f} B/post); RSS growth {mem['rss_delta'] / 1e6:,.0f} MB",
            ),
            (
                "index memory extrapolated to 10M posts",
                f"{mem['extrapolated_10m_gb']:.2f} GB (from RSS growth: {mem['rss_extrapolated_10m_gb']:.2f} GB)",
            ),
        ]
    load = os.getloadavg()
    table = ["| measure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    table.append(
        f"| machine | {os.cpu_count()} cores, load average {load[0]:.1f} at end (shared machine) |"
    )
    out = "\n".join(table)
    print(out)
    res = ROOT / "benchmarks" / "results"
    res.mkdir(parents=True, exist_ok=True)
    (res / "campaigns.md").write_text(
        "# Campaigns benchmark\n\n`.venv/bin/python benchmarks/campaigns.py`\n\n" + out + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
