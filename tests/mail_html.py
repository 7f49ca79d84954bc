"""A mail that loads from elsewhere in each way mail HTML can, and how tests read the document of a
preview frame (<iframe srcdoc>) out of a page."""

from __future__ import annotations

import re
from html import unescape

TRACKER = "https://tracker.example/p.gif"
TRACKING_MAIL = f"""<html><head>
<link rel="stylesheet" href="https://fonts.example/css?family=Sans">
<style>@import url(https://styles.example/a.css); @import "https://styles.example/b.css";
body {{ background: url('https://tracker.example/bg.png') }}
@font-face {{ font-family: Brand; src: url(https://fonts.example/brand.woff) }}</style>
</head><body>
<p style="background:url(https://tracker.example/cell.png); color: #333">Hello there</p>
<img src="{TRACKER}" alt="">
</body></html>"""
BLOCKING = "img-src data: cid:;"
LOADING = "img-src https: http: data: cid:;"


def frame_document(page: str) -> str:
    """The document shown in the page's (only) preview frame."""
    frame = re.search(r"<iframe\b[^>]*>", page).group(0)
    return unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))


def remote_urls(document: str) -> list[str]:
    return re.findall(r"""(?:https?:)?//[^\s"'()<>;]+""", document)
