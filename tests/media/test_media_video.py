"""The video keyframe test: a video rendered here, its scene changes found, frames matched."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_support import make_video, needs_ffmpeg, picture

from factwatch.media.hashing import hash_pil
from factwatch.media.matcher import MediaMatcher
from factwatch.media.video import VideoError, extract_keyframes, hash_video


@needs_ffmpeg
def test_keyframes_at_scene_changes_and_time_steps(tmp_path: Path) -> None:
    scenes = [picture(11), picture(12), picture(13)]
    video = tmp_path / "clip.mp4"
    make_video(video, scenes, seconds_each=2.0, fps=5)
    frames = extract_keyframes(video, step_s=1.5)
    times = [round(f.time_s, 1) for f in frames]
    # First frame, the two cuts (2.0 s, 4.0 s), and a frame 1.5 s+ after each kept one.
    assert times[0] == 0.0
    assert 2.0 in times and 4.0 in times
    assert all(b - a <= 2.0 + 1e-6 for a, b in zip(times, times[1:], strict=False))
    assert len(frames) <= 7
    # Each scene is found among the keyframes by its hash, and each keyframe matches its scene.
    matcher = MediaMatcher()
    for n, s in enumerate(scenes):
        matcher.add_hashes(f"scene{n}", hash_pil(s))
    found = {}
    for t, h in hash_video(video, step_s=1.5):
        m = matcher.match(h)
        assert m, f"keyframe at {t} matched nothing"
        found.setdefault(m[0].ref.label, t)
    assert found == {"scene0": 0.0, "scene1": pytest.approx(2.0), "scene2": pytest.approx(4.0)}
    unrelated = matcher.match(hash_pil(picture(77)))
    assert unrelated == []


@needs_ffmpeg
def test_not_a_video_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "fake.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42 but nothing else")
    with pytest.raises(VideoError, match="not a readable video"):
        extract_keyframes(bad)
    with pytest.raises(VideoError, match="no such file"):
        extract_keyframes(tmp_path / "missing.mp4")
