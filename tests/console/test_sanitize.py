"""console/sanitize.py: mail HTML sanitised, no remote load left in its styles, and the preview
document whose policy blocks remote images unless the viewer asks for them."""

from __future__ import annotations

import pytest

from console.sanitize import clean_css, clean_html, has_remote_images, mail_document
from tests.mail_html import BLOCKING, LOADING, TRACKER, TRACKING_MAIL, remote_urls


def test_it_puts_a_policy_that_loads_nothing_from_elsewhere_before_the_mail():
    document = mail_document(TRACKING_MAIL)
    policy = document[:document.index("<body")]
    assert "Content-Security-Policy" in policy
    assert "default-src 'none'" in policy and BLOCKING in policy
    assert "style-src 'unsafe-inline'" in policy
    assert '<meta name="referrer" content="no-referrer">' in policy


def test_it_leaves_no_remote_load_but_the_image_the_policy_blocks():
    document = mail_document(TRACKING_MAIL)
    assert remote_urls(document) == [TRACKER]
    assert "@import" not in document and "<link" not in document
    assert "Hello there" in document and "color: #333" in document


def test_it_allows_remote_images_only_when_asked():
    document = mail_document(TRACKING_MAIL, remote_images=True)
    assert LOADING in document and BLOCKING not in document
    assert remote_urls(document) == [TRACKER]  # styles still load nothing


@pytest.mark.parametrize("css", [
    "background:url(https://x.example/a.png)",
    "background:URL( 'https://x.example/a.png' ) no-repeat",
    'background:u\\72l("https://x.example/a.png")',
    "background:\\75 rl(https://x.example/a.png)",
    "background:url(//x.example/a.png)",
    "background:url(https://x.example/a.png",
    'background:image-set("https://x.example/a.png" 1x, url(https://x.example/b.png) 2x)',
    "background:-webkit-image-set(url(https://x.example/a.png) 1x)",
    "@import url(https://x.example/a.css); p { color: red }",
    '@IMPORT "https://x.example/a.css"',
    "@\\69mport 'https://x.example/a.css';",
    "@font-face { src: url(https://x.example/a.woff) }",
])
def test_it_strips_every_remote_load_from_css(css):
    assert "x.example" not in clean_css(css)


def test_it_keeps_data_cid_and_fragment_urls():
    css = "background:url(data:image/png;base64,AAAA); list-style:url('cid:dot'); fill:url(#g)"
    assert clean_css(css) == css


def test_it_strips_remote_loads_from_style_attributes_written_with_entities():
    cleaned = clean_html('<p style="background:&#117;rl(https://x.example/a.png)">Hi</p>')
    assert "x.example" not in cleaned and "Hi" in cleaned


def test_nothing_decoded_in_a_style_block_can_end_it_early():
    cleaned = clean_html('<style>p{}</\\73 tyle><img src="https://x.example/a"></style><p>Hi</p>')
    assert cleaned.count("</style>") == 1 and cleaned.endswith("</style><p>Hi</p>")
    assert not has_remote_images(cleaned)  # the <img> is text of the style, not an image


def test_it_keeps_image_sources_for_the_policy_but_drops_relative_ones():
    cleaned = clean_html('<img src="https://a.example/1.gif"><img src="ht\ttps://b.example/2.gif">'
                         '<img src="//c.example/3.gif"><img src="/4.gif">'
                         '<img src="data:image/gif;base64,R0lG"><img src="cid:logo">')
    assert remote_urls(cleaned) == ["https://a.example/1.gif", "https://b.example/2.gif"]
    assert 'src="data:image/gif;base64,R0lG"' in cleaned and 'src="cid:logo"' in cleaned


def test_it_tells_whether_a_mail_has_remote_images():
    assert has_remote_images(clean_html(TRACKING_MAIL))
    assert not has_remote_images(clean_html('<img src="cid:logo" alt="src=&quot;https://x">'))
    assert not has_remote_images(clean_html("<p>https://x.example/a.png</p>"))
