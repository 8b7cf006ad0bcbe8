"""The periodic report: the dashboard's charts and tables for a date range, as one standalone
HTML file (inline CSS and SVG, no external asset) or as PDF printed by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from markupsafe import Markup

from factwatch.models import utcnow
from factwatch.store import Store
from factwatch.store import review as rv

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def render_report_html(
    store: Store, date_from: date, date_to: date, site: rv.Site | None = None
) -> str:
    from factwatch.web.app import HERE, make_env
    from factwatch.web.views import dashboard_context

    site = site or rv.Site()
    ctx = dashboard_context(store, date_from, date_to)
    lo = datetime(date_from.year, date_from.month, date_from.day, tzinfo=UTC)
    hi = datetime(date_to.year, date_to.month, date_to.day, 23, 59, 59, tzinfo=UTC)
    pub = [
        fc
        for fc in rv.published(store, limit=10_000)
        if fc.published_at and lo <= fc.published_at <= hi
    ]
    css = Markup((HERE / "static" / "app.css").read_text(encoding="utf-8").replace("</", "<\\/"))
    return (
        make_env()
        .get_template("report.html")
        .render(site=site, css=css, generated=utcnow(), published=pub, **ctx)
    )


def find_chromium() -> str | None:
    for c in CHROMIUM_CANDIDATES:
        p = shutil.which(c)
        if p:
            return p
    return None


def html_to_pdf(html: str, output: Path, timeout: float = 120.0) -> None:
    """Print HTML to PDF with headless Chromium (Debian package ``chromium``)."""
    exe = find_chromium()
    if exe is None:
        raise RuntimeError(
            "PDF needs headless Chromium: apt-get install chromium (or use --format html)"
        )
    with tempfile.TemporaryDirectory(prefix="factwatch-report-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(
                f"chromium did not write the PDF: {proc.stderr.decode(errors='replace')[-500:]}"
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, output)


def write_report(
    store: Store,
    date_from: date,
    date_to: date,
    fmt: str,
    output: Path,
    site: rv.Site | None = None,
) -> None:
    html = render_report_html(store, date_from, date_to, site)
    if fmt == "pdf":
        html_to_pdf(html, output)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(html, encoding="utf-8")
