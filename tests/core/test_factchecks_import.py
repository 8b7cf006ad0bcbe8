import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources.factchecks import read_factchecks

DATA = Path(__file__).parent.parent / "data" / "core"


def read(name: str):
    rej = Rejections(quiet=True)
    return list(read_factchecks(str(DATA / name), rej)), rej.items


def test_jsonl_keeps_ids_and_generates_stable_ones():
    fcs, rej = read("factchecks.jsonl")
    assert rej == []
    ids = [f.id for f in fcs]
    assert ids[:5] == ["fc-vi-lemon", "fc-en-5g", "fc-fr-vaccin", "fc-vi-flood", "fc-en-salt"]
    assert ids[5].startswith("fc-") and ids[5] == read("factchecks.jsonl")[0][5].id
    assert fcs[0].published_at is not None and fcs[0].lang == "vi"
    assert fcs[5].lang == "en"  # detected when missing


def test_bad_rows_are_named_and_good_rows_kept():
    fcs, rej = read("factchecks_bad.jsonl")
    assert [f.id for f in fcs] == ["ok-1", "ok-2"]
    where = [r.split(": ", 1)[0] for r in rej]
    assert where == [f"{DATA / 'factchecks_bad.jsonl'}:{n}" for n in (2, 3, 5, 6)]
    assert "missing 'claim'" in rej[0]


def test_csv():
    fcs, rej = read("factchecks.csv")
    assert [f.id for f in fcs] == ["csv-1", "csv-2"]
    assert fcs[0].claimant == "Viral post" and fcs[0].published_at.year == 2026
    assert len(rej) == 1 and ":4:" in rej[0]


def test_claimreview_graph_and_list():
    fcs, rej = read("claimreview.json")
    assert len(fcs) == 1 and len(rej) == 1  # one ClaimReview without claimReviewed
    fc = fcs[0]
    assert fc.id == "cr-graph-1"
    assert fc.rating == "Faux" and fc.lang == "fr" and fc.claimant == "Publication virale"
    assert fc.appearances == ["https://social.example/post/1"] and fc.author == "Factwatch Démo"
    fcs, rej = read("claimreview_list.json")
    assert len(fcs) == 1 and fcs[0].rating == "False" and fcs[0].id.startswith("cr-")


def test_claimreview_in_html_page_with_a_broken_block():
    fcs, rej = read("page.html")
    assert [f.claim for f in fcs] == ["Giá điện sẽ tăng gấp đôi từ tháng sau"]
    assert len(rej) == 1 and "not valid JSON" in rej[0] and "page.html:8" in rej[0]


def test_factcheck_tools_response():
    fcs, rej = read("factcheck_tools.json")
    assert len(fcs) == 1 and len(rej) == 1
    fc = fcs[0]
    assert fc.rating == "False" and fc.author == "Demo Fact Check" and fc.url.endswith("/shark")
    assert fc.claimant == "Social media users"


def test_import_command_is_idempotent_and_summarises(cli):
    r = cli(
        "factchecks",
        "import",
        "--no-embed",
        str(DATA / "factchecks.jsonl"),
        str(DATA / "factchecks.csv"),
    )
    assert r.exit_code == 1  # the CSV has one bad row
    assert "8 imported, 0 updated, 0 unchanged, 1 rejected" in r.stderr
    r = cli("factchecks", "import", "--no-embed", str(DATA / "factchecks.jsonl"))
    assert r.exit_code == 0
    assert "0 imported, 0 updated, 6 unchanged, 0 rejected" in r.stderr
    listed = [json.loads(line) for line in cli("factchecks", "list").stdout.splitlines()]
    assert len(listed) == 8


def test_reimport_with_changed_rating_updates(cli, tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "z", "claim": "c", "rating": "False"}) + "\n")
    cli("factchecks", "import", "--no-embed", str(p))
    p.write_text(json.dumps({"id": "z", "claim": "c", "rating": "True"}) + "\n")
    r = cli("factchecks", "import", "--no-embed", str(p))
    assert "0 imported, 1 updated" in r.stderr


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_fuzz_any_bytes_never_crash(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("fz") / "x.json"
    p.write_bytes(data)
    rej = Rejections(quiet=True)
    list(read_factchecks(str(p), rej))


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "@type",
                        "claimReviewed",
                        "claims",
                        "@graph",
                        "itemReviewed",
                        "reviewRating",
                        "id",
                        "claim",
                        "url",
                        "claimReview",
                        "text",
                    ]
                ),
                c,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_fuzz_json_shapes_are_rejected_cleanly(tmp_path_factory, doc):
    p = tmp_path_factory.mktemp("fz") / "x.json"
    p.write_text(json.dumps(doc))
    rej = Rejections(quiet=True)
    for fc in read_factchecks(str(p), rej):
        assert fc.claim and fc.id
