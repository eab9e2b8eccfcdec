"""Static images of charts, drawn on the server by Plotly's kaleido in the system's Chromium.

One Chromium is started on first use and kept for the life of the process, so a report pack of a
dozen charts costs seconds, not a browser start per chart. Nothing is fetched: plotly.js comes
from the plotly package, MathJax is off, and map geometry is read from `dashboard/reference/maps/`.
The browser itself is kept off the network too (`OFFLINE_FLAGS`): left alone, Chromium looks up
Google hosts for its background services, even headless, and a server should make no such call.
"""

from __future__ import annotations

import atexit
import json
import threading
from functools import cache
from pathlib import Path

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
from choreographer.browsers.chromium import Chromium

from dashboard.publish import style
from dashboard.reference.geo import MAP_DIR
from dashboard.reference.i18n import _

WORLD = "world_110m"
# The files drawn in Chromium (kaleido); HTML is written without it.
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
_lock = threading.Lock()
_started = False
# Pages come from file:// only. Every request that would still leave goes to a proxy on a port
# nothing listens on (loopback included, `<-loopback>`), host names resolve to nothing without
# asking DNS, and the background services that phone home are off.
OFFLINE_FLAGS = (
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pings",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--dns-prefetch-disable",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,DialMediaRouteProvider,NetworkTimeServiceQuerying",
)


class OfflineChromium(Chromium):
    """choreographer's Chromium with the network features off; kaleido 1.5 has no option for
    extra browser flags, but passes `browser_cls` through to choreographer."""

    def get_cli(self) -> list[str]:
        return [*super().get_cli(), *OFFLINE_FLAGS]


class ImagesUnavailable(RuntimeError):
    """No Chromium to draw chart images with: PNG, SVG and PDF cannot be made here."""


def unavailable_reason() -> str | None:
    """Why chart images cannot be made on this machine (no Chromium), or None when they can:
    pages offer no image they cannot make, and say why."""
    browser = OfflineChromium.find_browser(skip_local=False)
    if browser is not None and Path(browser).is_file():
        return None
    return _(
        "Chart images (PNG, SVG, PDF) cannot be made: no Chromium browser was found on this "
        "machine. Install the chromium package, or set BROWSER_PATH to a Chromium or Chrome "
        "executable."
    )


def _ensure_server() -> None:
    global _started
    if not _started:
        # Looked for here, where the caller can be told: kaleido looks for the browser in its
        # server thread, and when none is found that thread dies while every later image
        # waits for it for ever.
        if (reason := unavailable_reason()) is not None:
            raise ImagesUnavailable(reason)
        kaleido.start_sync_server(
            n=1,
            mathjax=False,
            timeout=120,
            silence_warnings=True,
            browser_cls=OfflineChromium,
        )
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _started = True


def _image(fig: go.Figure, fmt: str, size: style.PrintSize) -> bytes:
    """The figure at its own width and height (style.printed sets them for `size`), scaled so
    that a PNG has 300 dots per inch at the printed width, and an SVG or a PDF is as wide as
    the printed chart."""
    opts = {
        "format": fmt,
        "width": fig.layout.width or size.width,
        "height": fig.layout.height or 500,
        "scale": size.scale if fmt == "png" else size.vector_scale,
    }
    with _lock:
        _ensure_server()
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, topojson=str(MAP_DIR) + "/")


def png(fig: go.Figure, size: style.PrintSize = style.FULL) -> bytes:
    return _image(fig, "png", size)


def svg(fig: go.Figure, size: style.PrintSize = style.FULL) -> bytes:
    return _image(fig, "svg", size)


def pdf(fig: go.Figure, size: style.PrintSize = style.FULL) -> bytes:
    """A vector PDF one chart to a page, the page the size of the chart as printed."""
    return _image(fig, "pdf", size)


def html(fig: go.Figure, title: str) -> bytes:
    """A self-contained interactive page: plotly.js inline and, for maps, the geometry too, so
    it opens offline (plotly.js reads `PlotlyGeoAssets` before it would fetch anything)."""
    head = f"<title>{_escape(title)}</title>"
    if any(trace.type in ("choropleth", "scattergeo") for trace in fig.data):
        assets = json.dumps({"topojson": {WORLD: _world()}}, separators=(",", ":"))
        head += f"<script>window.PlotlyGeoAssets = {assets};</script>"
    page = pio.to_html(
        fig,
        include_plotlyjs=True,
        full_html=True,
        config={"displaylogo": False, "topojsonURL": "./"},
    )
    return page.replace("<head>", f"<head><meta charset='utf-8'>{head}", 1).encode("utf-8")


@cache
def _world() -> dict:
    return json.loads((MAP_DIR / f"{WORLD}.json").read_text(encoding="utf-8"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
