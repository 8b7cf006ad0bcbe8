"""Charts as inline SVG, rendered on the server (no JavaScript, no CDN).

Every label is escaped; only presentation attributes are used (no ``style``), so the pages keep
a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989")


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.2f}"


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: int = 720,
    height: int = 220,
    title: str = "",
) -> Markup:
    """Time series (one polyline a series, shared x labels)."""
    pad_l, pad_r, pad_t, pad_b = 48, 12, 24, 36
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    n = max(1, len(labels))
    top = max([max(vals, default=0) for _, vals in series] + [1])
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_l}" y1="{pad_t + h}" x2="{pad_l + w}" y2="{pad_t + h}" stroke="#888"/>',
        f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{pad_t + h}" stroke="#888"/>',
        f'<text x="{pad_l - 4}" y="{pad_t + 4}" text-anchor="end" font-size="10">{escape(_fmt(top))}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end" font-size="10">0</text>',
    ]

    def x(i: int) -> float:
        return pad_l + (w * i / (n - 1) if n > 1 else w / 2)

    for k, (name, vals) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        pts = " ".join(f"{x(i):.1f},{pad_t + h - h * (v / top):.1f}" for i, v in enumerate(vals))
        if len(vals) == 1:
            parts.append(
                f'<circle cx="{x(0):.1f}" cy="{pad_t + h - h * (vals[0] / top):.1f}" r="3" fill="{color}"/>'
            )
        elif vals:
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>'
            )
        parts.append(
            f'<text x="{pad_l + 8 + 130 * k}" y="14" font-size="11" fill="{color}">&#9632; {escape(name)}</text>'
        )
    step = max(1, n // 8)
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{pad_t + h + 14}" text-anchor="middle" font-size="10">'
            f"{escape(str(labels[i])[5:] if len(str(labels[i])) == 10 else str(labels[i]))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, float]], *, width: int = 420, bar_h: int = 18, title: str = ""
) -> Markup:
    """Horizontal bars, one a row, labelled."""
    label_w, pad = 150, 4
    height = max(1, len(rows)) * (bar_h + pad) + 8
    top = max([v for _, v in rows] + [1])
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, v) in enumerate(rows):
        y = 4 + i * (bar_h + pad)
        bw = (width - label_w - 60) * (v / top)
        text = str(label)
        if len(text) > 24:
            text = text[:23] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end" font-size="11">{escape(text)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bw:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + bw + 4:.1f}" y="{y + bar_h - 5}" font-size="11">{escape(_fmt(v))}</text>'
        )
    if not rows:
        parts.append('<text x="4" y="14" font-size="11">no data</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
