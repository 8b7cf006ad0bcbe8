"""Registry files: YAML and JSONL, bad records reported with their place, the rest kept."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources.entities import EntityError, parse_entity, read_entities

SAMPLE = (
    Path(__file__).resolve().parents[2] / "src" / "factwatch" / "data" / "sample" / "entities.yaml"
)


def test_sample_registry_parses() -> None:
    rej = Rejections(quiet=True)
    ents = list(read_entities(str(SAMPLE), rej))
    assert not rej.items
    assert 10 <= len(ents) <= 15
    by_id = {e.id: e for e in ents}
    assert "chinhphu.vn" in by_id["chinhphu"].domains
    assert by_id["lemonde"].accounts[0].platform == "x"
    assert {e.kind for e in ents} <= {"agency", "media", "organisation", "person"}


def test_jsonl_registry_with_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "reg.jsonl"
    lines = [
        json.dumps(
            {
                "id": "vtv",
                "name": "Đài Truyền hình Việt Nam",
                "kind": "media",
                "domains": ["VTV.vn"],
                "accounts": [{"platform": "Facebook", "handle": "@vtv24news"}],
                "logos": ["logo.png"],
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"id": "x", "name": "X", "kind": "planet"}),
        json.dumps({"name": "no id"}),
        json.dumps({"id": "y", "name": "Y", "domains": ["not a domain!"]}),
        json.dumps(["a list"]),
        json.dumps(
            {"id": "afp", "name": "AFP", "kind": "organization", "aliases": "Agence France-Presse"}
        ),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rej = Rejections(quiet=True)
    ents = list(read_entities(str(p), rej))
    assert [e.id for e in ents] == ["vtv", "afp"]
    assert ents[0].domains == ["vtv.vn"]
    assert ents[0].accounts[0].platform == "facebook" and ents[0].accounts[0].handle == "vtv24news"
    assert ents[0].logos == [str(tmp_path / "logo.png")]
    assert ents[1].kind == "organisation" and ents[1].aliases == ["Agence France-Presse"]
    where = [r.split(": ")[0] for r in rej.items]
    assert where == [f"{p}:2", f"{p}:3", f"{p}:4", f"{p}:5", f"{p}:6"]


def test_yaml_errors_are_reported(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("entities:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    rej = Rejections(quiet=True)
    assert list(read_entities(str(p), rej)) == []
    assert rej.items and "invalid YAML" in rej.items[0]
    p.write_text("just a string\n", encoding="utf-8")
    rej = Rejections(quiet=True)
    assert list(read_entities(str(p), rej)) == []
    assert "expected a list" in rej.items[0]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "name", "kind", "aliases", "domains", "accounts", "logos", "x"]),
        _json,
    )
)
def test_parse_entity_never_crashes(obj: dict) -> None:  # type: ignore[type-arg]
    try:
        e = parse_entity(obj)
    except EntityError:
        return
    assert e.id and e.name


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_read_entities_any_bytes(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("reg")
    for name in ("r.yaml", "r.jsonl"):
        p = d / name
        p.write_bytes(data)
        list(read_entities(str(p), Rejections(quiet=True)))
