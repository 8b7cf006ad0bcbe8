"""Export then ``factwatch factchecks import`` into another database gives the same records: the
ClaimReview JSONL export, the public page's embedded JSON-LD, and the JSONL records export."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factwatch.store import Store

SOURCES = "https://who.example/myths"
FIELDS = (
    "id",
    "claim",
    "title",
    "rating",
    "url",
    "lang",
    "claimant",
    "published_at",
    "author",
    "appearances",
)


@pytest.mark.parametrize(
    "export", ["/export/claimreview.jsonl", "public-page", "/export/factchecks.jsonl"]
)
def test_export_reimport_same_records(
    export: str, signed_in, cases, store: Store, tmp_path: Path
) -> None:
    from factwatch.cli.main import app as cli_app

    ed = signed_in("editor")
    for fc_id in ("afp-vi-001", "afp-fr-002"):
        cid = cases[fc_id]
        r = ed.client.post(
            f"/cases/{cid}/verdict",
            data={
                "rating": "Misleading" if fc_id == "afp-fr-002" else "False",
                "explanation": "No.",
                "sources": SOURCES,
                "claimant": "Posts on social media",
                "csrf_token": ed.csrf,
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert (
            ed.client.post(f"/cases/{cid}/publish", data={"csrf_token": ed.csrf}).status_code == 200
        )
    published = {fc.id: fc for fc in store.list_factchecks() if ":verdict:" in fc.id}
    assert len(published) == 2
    if export == "public-page":
        files = []
        for n, fc in enumerate(published.values()):
            path = tmp_path / f"page{n}.html"
            path.write_text(
                ed.client.get(fc.url.removeprefix("https://checks.example")).text, encoding="utf-8"
            )
            files.append(str(path))
    else:
        path = tmp_path / Path(export).name
        path.write_bytes(ed.client.get(export).content)
        files = [str(path)]
    other = tmp_path / "other.db"
    res = CliRunner().invoke(
        cli_app,
        ["--db", str(other), "factchecks", "import", "--no-embed", "--no-retro", *files],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.stderr
    s2 = Store.open(str(other))
    try:
        back = {fc.id: fc for fc in s2.list_factchecks()}
    finally:
        s2.close()
    assert set(back) == set(published)
    for fc_id, fc in published.items():
        for f in FIELDS:
            assert getattr(back[fc_id], f) == getattr(fc, f), (export, f)
