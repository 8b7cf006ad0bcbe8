"""Video keyframes with ffmpeg: scene changes plus a time step, each hashed like an image.

``extract_keyframes(path)`` runs one ffmpeg pass whose ``select`` filter keeps the first frame,
every frame where the scene-change score exceeds ``scene_threshold``, and a frame at least every
``step_s`` seconds after the last kept one; kept frames are scaled to at most 512 px and written as
PNG to a temporary folder, and their times read from ffmpeg's ``showinfo`` log.  ffmpeg runs with a
time limit, no stdin, and only the file given (``-protocol_whitelist file``), since videos are
hostile input too.  ``hash_video`` hashes each keyframe (``factwatch.media.hashing``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from factwatch.media.hashing import ImageHashes, hash_pil
from factwatch.media.images import BadImage, load_image

SCENE_THRESHOLD = 0.3
STEP_S = 5.0
MAX_FRAMES = 300
TIMEOUT_S = 300.0
_PTS = re.compile(r"\bn:\s*(\d+)\b.*?\bpts_time:\s*([0-9.]+)")


class VideoError(ValueError):
    """The file cannot be read as a video; the message says why."""


@dataclass(frozen=True, slots=True)
class Keyframe:
    time_s: float
    image: Image.Image


def ffmpeg_path() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise VideoError("ffmpeg is not installed (apt-get install -y ffmpeg)")
    return exe


def extract_keyframes(
    path: str | Path,
    scene_threshold: float = SCENE_THRESHOLD,
    step_s: float = STEP_S,
    max_frames: int = MAX_FRAMES,
) -> list[Keyframe]:
    """Keyframes of the video at ``path`` (time in seconds, decoded picture), in time order."""
    src = Path(path)
    if not src.is_file():
        raise VideoError("no such file")
    select = f"eq(n\\,0)+gt(scene\\,{scene_threshold:g})+gte(t-prev_selected_t\\,{step_s:g})"
    vf = f"select='{select}',scale='min(512,iw)':-2,showinfo"
    with tempfile.TemporaryDirectory(prefix="factwatch-kf-") as tmp:
        cmd = [
            ffmpeg_path(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "info",
            "-protocol_whitelist",
            "file",
            "-i",
            str(src.resolve()),
            "-an",
            "-sn",
            "-vf",
            vf,
            "-fps_mode",
            "vfr",
            "-frames:v",
            str(max_frames),
            str(Path(tmp) / "kf_%05d.png"),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise VideoError(f"ffmpeg took longer than {TIMEOUT_S:.0f} s") from exc
        log = proc.stderr.decode("utf-8", "replace")
        files = sorted(Path(tmp).glob("kf_*.png"))
        if proc.returncode != 0 or not files:
            last = [ln for ln in log.strip().splitlines() if ln.strip()][-1:] or ["no video frames"]
            raise VideoError(f"not a readable video ({last[0][:200]})")
        times = [
            float(m.group(2))
            for m in _PTS.finditer(log)
            if "Parsed_showinfo" in _line_of(log, m.start())
        ]
        frames: list[Keyframe] = []
        for k, f in enumerate(files):
            try:
                img = load_image(f)
            except BadImage:
                continue
            img.load()
            frames.append(Keyframe(time_s=times[k] if k < len(times) else float("nan"), image=img))
        return frames


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]


def hash_video(path: str | Path, **kwargs: float) -> list[tuple[float, ImageHashes]]:
    """``[(time_s, hashes), ...]`` of the keyframes of the video at ``path``."""
    return [(kf.time_s, hash_pil(kf.image)) for kf in extract_keyframes(path, **kwargs)]  # type: ignore[arg-type]
