from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factwatch.cli._io import Rejections
from factwatch.sources import detect_format, read_source
from factwatch.sources.video import parse_subtitles, read_info


def _one(data: Path, stem: str, rej: Rejections):  # type: ignore[no-untyped-def]
    path = str(data / "video" / f"{stem}.info.json")
    assert detect_format(path).name == "video"
    [it] = list(read_source(path, rej))
    return it


def test_youtube_vtt_transcript(data: Path, rej: Rejections) -> None:
    it = _one(data, "Sự thật về nước chanh nóng [dQw4w9WgXcQ]", rej)
    assert not rej.items
    assert (it.source, it.native_id, it.author) == (
        "video:youtube",
        "dQw4w9WgXcQ",
        "@kenhkiemchung",
    )
    assert it.text == (
        "Xin chào các bạn, hôm nay chúng ta kiểm chứng một tin đồn: nước chanh nóng diệt virus corona. "
        "Thực tế, không có nghiên cứu nào chứng minh điều này. "
        'Nhiệt độ nước uống không đủ để "diệt" virus trong cơ thể.'
    )
    assert it.title == "Sự thật về nước chanh nóng và virus"
    assert it.published_at == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    assert it.engagement == {"views": 48213, "likes": 2950, "comments": 311}
    assert it.extra["segments"][2] == [
        7.0,
        11.25,
        "Thực tế, không có nghiên cứu nào chứng minh điều này.",
    ]
    assert it.extra["description"].startswith("Bác sĩ giải thích")
    assert it.lang == "vi"


def test_srt_transcript(data: Path, rej: Rejections) -> None:
    it = _one(data, "Vaccine 5G truth [x7Yz_9aBcD0]", rej)
    assert it.source == "video:rumble"
    assert (
        it.text
        == "They told you the vaccine was safe. But the nanoparticles inside connect to the 5G network. Do your own research."
    )
    assert it.published_at == datetime(2024, 1, 15, tzinfo=UTC)


def test_no_subtitles_uses_description(data: Path, rej: Rejections) -> None:
    it = _one(data, "Débat retraites [fr0000001]", rej)
    assert it.text.startswith("Extrait du débat du 3 février.")
    assert "segments" not in it.extra
    assert it.published_at == datetime(2024, 2, 3, 16, 30, tzinfo=UTC)


def test_bad_info(tmp_path: Path) -> None:
    rej = Rejections(quiet=True)
    (tmp_path / "a.info.json").write_text(
        '{"id": "a", "title": "t", "timestamp": 1e30}', encoding="utf-8"
    )
    (tmp_path / "b.info.json").write_text('{"title": "no id"}', encoding="utf-8")
    (tmp_path / "c.info.json").write_text('{"id": "c", "title": ', encoding="utf-8")
    for n in "abc":
        assert list(read_info(str(tmp_path / f"{n}.info.json"), rej)) == []
    assert len(rej.items) == 3
    assert rej.items[2].startswith(f"{tmp_path / 'c.info.json'}:1:")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_hypothesis_subtitles(text: str) -> None:
    for a, b, t in parse_subtitles(text):
        assert a >= 0 and b >= 0 and t


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "title",
                "description",
                "timestamp",
                "upload_date",
                "view_count",
                "webpage_url",
                "extractor_key",
                "thumbnail",
                "_type",
            ]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=15),
            st.floats(),
            st.lists(st.integers(), max_size=2),
        ),
    )
)
def test_hypothesis_info(tmp_path_factory, info: dict) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path_factory.mktemp("v") / "x.info.json"
    p.write_text(json.dumps(info), encoding="utf-8")
    for it in read_info(str(p), Rejections(quiet=True)):
        assert it.text and it.native_id
