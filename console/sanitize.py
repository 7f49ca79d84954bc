"""Mail HTML made safe to show in the console: sanitised, stripped of remote loads in its styles,
and wrapped in the document every preview frame shows, whose policy loads nothing from elsewhere
(no remote image tells a sender that, or where, a mail was viewed) unless the viewer chooses to
load remote images for one view."""

from __future__ import annotations

import re

import nh3
from django import forms

_ATTRIBUTES = {
    "*": {"style", "class", "align", "valign", "width", "height", "bgcolor", "color", "dir",
          "lang", "title"},
    "a": {"href", "target", "name"},
    "img": {"src", "alt", "border"},
    "table": {"border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "font": {"face", "size"},
}
_TAGS = nh3.ALLOWED_TAGS | {"font", "style"}
_IMAGE_SCHEMES = ("http:", "https:", "data:", "cid:")

_BLOCKED_POLICY = "img-src data: cid:"
_REMOTE_POLICY = "img-src https: http: data: cid:"
_POLICY = ("default-src 'none'; {images}; style-src 'unsafe-inline'; base-uri 'none'; "
           "form-action 'none'")

# A CSS escape: of a letter or "-" it is decoded, so that "u\72l(" is seen as the "url(" it is.
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|(.))", re.S)
_CSS_IMPORT = re.compile(r"""@import\b(?:\\.|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|[^;"'\\])*;?""",
                         re.I | re.S)
_CSS_URL = re.compile(r"""(?<![\w-])url\(\s*("(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|"""
                      r"""(?:\\.|[^)\\])*)[^)]*\)?""", re.I | re.S)
# Functions that load the strings they are given, as url() does (one level of nesting).
_CSS_LOADING_FUNCTION = re.compile(
    r"""(?<![\w-])(?:-webkit-)?(?:image-set|image|cross-fade|src)\((?:\\.|"(?:\\.|[^"\\])*"?|"""
    r"""'(?:\\.|[^'\\])*'?|\((?:\\.|[^()\\])*\)?|[^()"'\\])*\)?""", re.I | re.S)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.I | re.S)
_REMOTE_IMAGE = re.compile(r'<img\b[^>]*\ssrc="https?:', re.I)


class MailViewForm(forms.Form):
    """How the viewer asked to see one mail: remote images load only when chosen, per view."""

    remote = forms.BooleanField(required=False)


def _decode_letter(match: re.Match) -> str:
    code = ord(match[2]) if match[1] is None else int(match[1], 16)
    char = chr(code) if code < 0x80 else ""
    return char if char.isalpha() or char == "-" else match[0]


def _keep_local_url(match: re.Match) -> str:
    target = match[1].strip("\"' \t\r\n\f").lower()
    return match[0] if target.startswith(("data:", "cid:", "#")) else "none"


def clean_css(css: str) -> str:
    """The style without what would load from elsewhere: @import rules, url() of anything but
    data:, cid: or the document itself, image-set() and the like."""
    css = _CSS_ESCAPE.sub(_decode_letter, css)
    css = _CSS_IMPORT.sub(" ", css)
    css = _CSS_URL.sub(_keep_local_url, css)
    return _CSS_LOADING_FUNCTION.sub("none", css)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return clean_css(value)
    if tag == "img" and attribute == "src":
        # The browser drops tabs and line breaks in a URL: "ht\ttps:" is "https:".
        url = re.sub(r"[\t\r\n]", "", value).strip()
        return url if url.lower().startswith(_IMAGE_SCHEMES) else None
    return value


def _clean_style_block(match: re.Match) -> str:
    # "</" is escaped so that nothing the cleaning decoded can end the block early.
    return match[1] + clean_css(match[2]).replace("</", "<\\/") + match[3]


def clean_html(html: str) -> str:
    """Sanitised HTML: no script, no handler, no remote load in a style; images keep their
    source, for the document's policy to block or allow."""
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        clean_content_tags={"script"},
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer",
    )
    # nh3 escapes "<" everywhere but in the text of <style>, so this finds only real blocks.
    return _STYLE_BLOCK.sub(_clean_style_block, cleaned)


def has_remote_images(html: str) -> bool:
    """Whether the sanitised HTML shows images from elsewhere (blocked unless chosen)."""
    return bool(_REMOTE_IMAGE.search(_STYLE_BLOCK.sub("", html)))


def mail_document(html: str, *, remote_images: bool = False) -> str:
    """The whole document for a preview frame (<iframe sandbox srcdoc>): the mail sanitised,
    under a policy that loads no remote image, font or style, unless `remote_images`."""
    policy = _POLICY.format(images=_REMOTE_POLICY if remote_images else _BLOCKED_POLICY)
    return ('<!doctype html><html><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
            '<meta name="referrer" content="no-referrer"></head>'
            f'<body style="font-family: sans-serif">{clean_html(html)}</body></html>')
