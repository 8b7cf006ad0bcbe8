"""OCR character accuracy on pictures the project renders itself (vi / fr / en).

72 pictures: 24 per language, text of 1-3 lines drawn with Pillow in the TrueType fonts Debian
installs (DejaVu, Liberation, Noto), at 4 sizes, on 4 backgrounds (white, dark with light text,
colour gradient, meme: white text with black outline over a busy procedural picture), saved as PNG
or JPEG at quality 90 / 60 / 35.  Character accuracy = 1 - CER, CER = Levenshtein distance
(rapidfuzz) between the reference and the OCR text, both NFC with whitespace collapsed, divided by
the reference length (floored at 0).  Run:

    .venv/bin/python benchmarks/media_ocr.py              # RAW=1 also measures without pre-processing
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))
from media_common import fonts, procedural_image, write_result  # noqa: E402

from factwatch.media.ocr import ocr_image  # noqa: E402
from factwatch.text.normalize import normalize_text  # noqa: E402

SENTENCES = {
    "vi": [
        "Bộ Y tế khẳng định vắc xin không gây vô sinh",
        "Cảnh báo: tin nhắn giả mạo ngân hàng đang lan truyền",
        "Không có chuyện miễn phí tiền điện trong tháng này",
        "Ảnh chụp màn hình bài báo này đã bị chỉnh sửa",
        "Người dân cần kiểm tra nguồn tin trước khi chia sẻ",
        "Thủ tướng chưa từng phát biểu câu nói này",
        "Nước chanh nóng không chữa được bệnh ung thư",
        "Đây là hình ảnh cũ từ năm 2019 tại Đà Nẵng",
    ],
    "fr": [
        "Le ministère dément toute pénurie d'essence lundi",
        "Cette photo a été prise en 2015, pas pendant la manifestation",
        "Non, boire de l'eau chaude ne tue pas le virus",
        "Capture d'écran truquée : l'article n'a jamais existé",
        "Les élections ne sont pas annulées, précise la préfecture",
        "Attention aux faux messages de la Sécurité sociale",
        "Aucune étude ne prouve que le vaccin modifie l'ADN",
        "Partagez avant qu'ils ne suppriment cette vidéo !",
    ],
    "en": [
        "The health ministry denies the vaccine causes infertility",
        "This photo was taken in 2015, not during the protest",
        "No, hot water does not kill the virus",
        "Doctored screenshot: the article never existed",
        "The election has not been cancelled, officials say",
        "Beware of fake messages claiming to be from your bank",
        "Share before they delete this video!",
        "Drinking bleach does not cure anything. Do not try it.",
    ],
}
SIZES = [16, 22, 30, 44]
BACKGROUNDS = ["white", "dark", "gradient", "meme"]
JPEG = [None, 90, 60, 35]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    for w in text.split():
        trial = f"{cur} {w}".strip()
        if font.getlength(trial) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def render(i: int) -> tuple[bytes, str, dict[str, str]]:
    langs = list(SENTENCES)
    lang = langs[i % 3]
    k = i // 3
    text = SENTENCES[lang][k % len(SENTENCES[lang])]
    fam = sorted(fonts())
    family = fam[(k * 3 + i % 3) % len(fam)]
    # k runs 0..23 in each language: backgrounds cycle fastest, then sizes, JPEG levels shifted.
    bg = BACKGROUNDS[k % len(BACKGROUNDS)]
    size = SIZES[(k // len(BACKGROUNDS)) % len(SIZES)]
    q = JPEG[(k + k // len(BACKGROUNDS)) % len(JPEG)]
    font = ImageFont.truetype(str(fonts()[family]), size)
    width = max(320, int(size * 18))
    lines = wrap(text, font, width - 2 * size)
    line_h = int(size * 1.4)
    h = line_h * len(lines) + 2 * size
    if bg == "white":
        img, fill, stroke = Image.new("RGB", (width, h), (255, 255, 255)), (20, 20, 20), None
    elif bg == "dark":
        img, fill, stroke = Image.new("RGB", (width, h), (25, 30, 40)), (235, 235, 235), None
    elif bg == "gradient":
        img = Image.linear_gradient("L").resize((width, h)).convert("RGB")
        img = Image.merge(
            "RGB",
            (
                img.getchannel(0).point(lambda v: 200 + v // 5),
                img.getchannel(0).point(lambda v: 230 - v // 6),
                Image.new("L", (width, h), 250),
            ),
        )
        fill, stroke = (10, 30, 90), None
    else:
        img, fill, stroke = procedural_image(i, (width, h)), (255, 255, 255), (0, 0, 0)
    d = ImageDraw.Draw(img)
    for n, line in enumerate(lines):
        kw = {"stroke_width": max(2, size // 12), "stroke_fill": stroke} if stroke else {}
        d.text((size, size + n * line_h), line, font=font, fill=fill, **kw)
    buf = io.BytesIO()
    if q is None:
        img.save(buf, "PNG")
    else:
        img.save(buf, "JPEG", quality=q)
    meta = {
        "lang": lang,
        "font": family,
        "size": str(size),
        "background": bg,
        "format": "png" if q is None else f"jpeg{q}",
    }
    return buf.getvalue(), "\n".join(lines), meta


def _norm(s: str) -> str:
    return " ".join(normalize_text(s).split())


def accuracy(ref: str, hyp: str) -> float:
    r, h = _norm(ref), _norm(hyp)
    return max(0.0, 1.0 - Levenshtein.distance(r, h) / max(1, len(r)))


def _one(args: tuple[int, bool]) -> tuple[dict[str, str], float, str, float]:
    i, pre = args
    data, ref, meta = render(i)
    t = time.perf_counter()
    res = ocr_image(data, preprocess_image=pre)
    return meta, accuracy(ref, res.text), res.lang, time.perf_counter() - t


def main() -> None:
    n = int(os.environ.get("N_IMAGES", 72))
    variants = [True] + ([False] if os.environ.get("RAW", "1") == "1" else [])
    t0 = time.perf_counter()
    out: dict[bool, list[tuple[dict[str, str], float, str, float]]] = {}
    with Pool(int(os.environ.get("WORKERS", 2))) as pool:
        for pre in variants:
            out[pre] = pool.map(_one, [(i, pre) for i in range(n)], chunksize=2)
    lines = [
        "# OCR character accuracy (1 - CER) on rendered pictures",
        "",
        f"{n} pictures ({n // 3} per language), fonts: {', '.join(sorted(fonts()))}; sizes {SIZES} px; "
        f"backgrounds {BACKGROUNDS}; PNG or JPEG {JPEG[1:]}. Tesseract "
        f"`vie+fra+eng`, second pass with the detected language. Measured on a shared 2-core machine.",
        "",
    ]
    for pre in variants:
        res = out[pre]
        label = (
            "with pre-processing (shipped)" if pre else "without pre-processing (greyscale only)"
        )
        lines += [
            f"## {label}",
            "",
            "| group | value | images | mean char. accuracy | lang detected right |",
            "|---|---|---:|---:|---:|",
        ]
        for key in ("lang", "background", "size", "format", "font"):
            groups: dict[str, list[tuple[float, bool]]] = defaultdict(list)
            for meta, acc, lang, _ in res:
                groups[meta[key]].append((acc, lang == meta["lang"]))
            for val in sorted(groups, key=lambda v: (len(v), v)):
                g = groups[val]
                lines.append(
                    f"| {key} | {val} | {len(g)} | {sum(a for a, _ in g) / len(g):.1%} | {sum(ok for _, ok in g) / len(g):.0%} |"
                )
        mean = sum(a for _, a, _, _ in res) / len(res)
        secs = sum(s for *_, s in res) / len(res)
        lines += ["", f"All: mean character accuracy **{mean:.1%}**, {secs:.2f} s per picture.", ""]
    lines.append(f"Total time {time.perf_counter() - t0:.0f} s.")
    write_result("media_ocr", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
