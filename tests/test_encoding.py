"""Behaviour of crawler.extraction.encoding: one place that turns page bytes into text without mojibake."""

from __future__ import annotations

import gzip
import io
import random
import zipfile

import pytest

from crawler.extraction.encoding import (
    DecodedBody,
    UndecodableBody,
    charset_from_content_type,
    charset_from_meta,
    decode_body,
)

# Real-world style sentences from Chinese education news.
SIMPLIFIED = "重庆市教委与四川省教育厅在渝签署《推动成渝地区双城经济圈建设教育协同发展框架协议》。"
SIMPLIFIED_2 = "协议提出，双方将在基础教育、职业教育和高等教育领域开展全方位合作。"
#: 镕 is in GBK/GB18030 but not in GB2312, which is what pages declaring gb2312 really contain.
GBK_ONLY = "朱镕基曾任清华大学经济管理学院首任院长，重视经济管理人才培养。"
TRADITIONAL = "教育部公布新學年課程綱要，強調閱讀素養。"
TRADITIONAL_2 = "新課綱將於明年九月在全國高中正式實施。"
ENGLISH = "The minister said \u201cschools will reopen on Monday\u201d \u2013 and exams won\u2019t be delayed."

GBK_HEADER = "text/html; charset=GBK"
LATIN1_HEADER = "text/html; charset=ISO-8859-1"


def news_page(title: str, paragraphs: list[str], head: str = "", newline: str = "\n", site: str = "_教育新闻") -> str:
    """A small but realistic article page; ``head`` carries the charset declaration under test."""
    body = "".join(f'<p style="text-indent:2em">{p}</p>{newline}' for p in paragraphs)
    return (
        f"<!DOCTYPE html>{newline}<html>{newline}<head>{newline}{head}{newline}"
        f"<title>{title}{site}</title>{newline}</head>{newline}<body>{newline}"
        f'<div class="article">{newline}<h1>{title}</h1>{newline}{body}</div>{newline}'
        f"</body>{newline}</html>{newline}"
    )


def assert_decoded(result: DecodedBody, text: str, encoding: str, source: str) -> None:
    assert result.text == text
    assert (result.encoding, result.source) == (encoding, source)


# --- Declarations -----------------------------------------------------------------------------------


def test_gbk_only_character_is_really_outside_gb2312() -> None:
    """Guards the premise of the next test: a plain gb2312 decoder would fail on this page."""
    with pytest.raises(UnicodeEncodeError):
        "镕".encode("gb2312")
    assert "镕".encode("gbk") == "镕".encode("gb18030")


@pytest.mark.parametrize(
    ("head", "content_type", "source"),
    [
        pytest.param('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', None, "meta", id="meta"),
        pytest.param("", "text/html; charset=gb2312", "header", id="header"),
    ],
)
def test_declared_gb2312_page_with_gbk_only_character_decodes_as_gb18030(
    head: str, content_type: str | None, source: str
) -> None:
    page = news_page("朱镕基与清华经管学院", [GBK_ONLY, SIMPLIFIED], head=head)
    body = page.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # what a literal reading of the declaration would do

    assert_decoded(decode_body(body, content_type), page, "gb18030", source)


def test_utf8_page_with_stale_gb2312_meta_decodes_as_utf8() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2], head='<meta charset="gb2312">')
    body = page.encode("utf-8")
    assert body.decode("gb18030", errors="replace") != page  # trusting the meta would be mojibake

    assert_decoded(decode_body(body), page, "utf-8", "utf-8")


def test_utf8_page_that_also_decodes_as_gb18030_without_error_is_still_utf8() -> None:
    """The dangerous case: the stale gb2312 meta "works" (no decode error) and yields 閲嶅簡 mojibake."""
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    title = "重庆市教委与四川省教育厅签署协议"
    page = news_page(title, ["推动教育协同发展", "职业教育改革发展", "双减政策落地见效"], head=head, site="")
    body = page.encode("utf-8")
    assert title not in body.decode("gb18030")  # strict decode succeeds, text is wrong

    assert_decoded(decode_body(body), page, "utf-8", "utf-8")


def test_utf8_page_served_with_wrong_gbk_header_decodes_as_utf8() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED], head='<meta charset="gbk">')
    assert_decoded(decode_body(page.encode("utf-8"), GBK_HEADER), page, "utf-8", "utf-8")


def test_gbk_header_wins_over_wrong_utf8_meta_on_gbk_bytes() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, GBK_ONLY], head='<meta charset="utf-8">')
    assert_decoded(decode_body(page.encode("gbk"), GBK_HEADER), page, "gb18030", "header")


def test_header_wins_when_header_and_meta_disagree_and_both_decode() -> None:
    page = news_page("教育部召开新闻发布会", ["教育部召开新闻发布会。"], head='<meta charset="big5">')
    body = page.encode("gbk")
    assert body.decode("big5hkscs") != page  # the meta also decodes strictly, into nonsense

    assert_decoded(decode_body(body, GBK_HEADER), page, "gb18030", "header")


def test_meta_gbk_wins_over_iso_8859_1_server_default_header() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2], head='<meta charset="gbk">')
    assert_decoded(decode_body(page.encode("gbk"), LATIN1_HEADER), page, "gb18030", "meta")


def test_iso_8859_1_server_default_header_is_ignored_for_undeclared_gbk_bytes() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2])
    assert_decoded(decode_body(page.encode("gbk"), LATIN1_HEADER), page, "gb18030", "detected")


def test_single_byte_meta_wins_over_single_byte_header() -> None:
    page = news_page(
        "Министерство образования",
        ["Министерство образования объявило новые правила."],
        head='<meta charset="windows-1251">',
        site="",
    )
    assert_decoded(decode_body(page.encode("cp1251"), LATIN1_HEADER), page, "cp1251", "meta")


def test_english_cp1252_page_declared_latin1_gets_curly_quotes_like_browsers() -> None:
    page = f"<html><head><title>Exams</title></head><body><p>{ENGLISH}</p></body></html>"
    body = page.encode("cp1252")
    assert "\x93" in body.decode("latin-1")  # a literal latin-1 decode would give C1 control chars

    assert_decoded(decode_body(body, LATIN1_HEADER), page, "cp1252", "header")


def test_latin1_declared_french_page_whose_accents_form_gbk_pairs_stays_cp1252() -> None:
    """é+letter is a valid GBK pair; the Chinese reading must still reject text that is not Chinese."""
    page = "<html><body><p>Les élèves de l'académie préparent le baccalauréat.</p></body></html>"
    body = page.encode("cp1252")
    assert body.decode("gb18030") != page  # decodes strictly as GB18030, into nonsense

    assert_decoded(decode_body(body, LATIN1_HEADER), page, "cp1252", "header")


def test_latin1_header_is_not_trusted_when_meta_names_a_multibyte_charset_that_fails() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{ENGLISH}</p></body></html>'
    result = decode_body(page.encode("cp1252"), LATIN1_HEADER)
    assert result.text == page
    assert result.source == "detected"


def test_undeclared_english_cp1252_page_keeps_its_curly_quotes() -> None:
    page = f"<html><head><title>Exams</title></head><body><p>{ENGLISH}</p></body></html>"
    result = decode_body(page.encode("cp1252"))
    assert result.text == page
    assert result.source == "detected"


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        pytest.param('<meta charset="x-klingon">', None, id="unknown-meta"),
        pytest.param("", "text/html; charset=x-klingon", id="unknown-header"),
        pytest.param('<meta charset="base64">', None, id="non-text-codec-meta"),
    ],
)
def test_unknown_charset_label_is_ignored_and_bytes_are_detected(head: str, content_type: str | None) -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2], head=head)
    assert_decoded(decode_body(page.encode("gbk"), content_type), page, "gb18030", "detected")


# --- Malformed meta tags on real pages ---------------------------------------------------------------


def test_malformed_httpequiv_meta_without_hyphens_is_honoured() -> None:
    head = '<meta httpequiv="ContentType" content="text/html; charset=gbk" />'
    page = news_page("成渝教育协同发展", [SIMPLIFIED, GBK_ONLY], head=head)
    assert_decoded(decode_body(page.encode("gbk")), page, "gb18030", "meta")


def test_uppercase_unquoted_meta_with_crlf_is_honoured() -> None:
    head = "<META HTTP-EQUIV=Content-Type\r\nCONTENT=text/html;CHARSET=BIG5>"
    page = news_page("新學年課程綱要", [TRADITIONAL, TRADITIONAL_2], head=head, newline="\r\n", site="_教育新聞")
    assert_decoded(decode_body(page.encode("big5")), page, "big5hkscs", "meta")


# --- Detection without declarations ------------------------------------------------------------------


def test_undeclared_gbk_page_is_detected_as_gb18030() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2])
    assert_decoded(decode_body(page.encode("gbk")), page, "gb18030", "detected")


def test_undeclared_big5_page_is_detected_as_big5hkscs() -> None:
    page = news_page("新學年課程綱要", [TRADITIONAL, TRADITIONAL_2], site="_教育新聞")
    assert_decoded(decode_body(page.encode("big5")), page, "big5hkscs", "detected")


@pytest.mark.parametrize(
    ("text", "codec", "expected_encoding"),
    [
        # charset-normalizer calls these Big5 or Korean (cp949); everyday-character share gets them right.
        pytest.param("教育部", "gbk", "gb18030", id="gbk-3-chars"),
        pytest.param("教育新闻", "gbk", "gb18030", id="gbk-4-chars"),
        pytest.param("<title>高考</title>", "gbk", "gb18030", id="gbk-title"),
        pytest.param("开学第一课", "gbk", "gb18030", id="gbk-5-chars"),
        pytest.param("教育部", "big5", "big5hkscs", id="big5-3-chars"),
        pytest.param("閱讀素養", "big5", "big5hkscs", id="big5-4-chars"),
        pytest.param("國立臺灣大學", "big5", "big5hkscs", id="big5-6-chars"),
    ],
)
def test_short_undeclared_chinese_is_not_confused_between_gb_and_big5(
    text: str, codec: str, expected_encoding: str
) -> None:
    assert_decoded(decode_body(text.encode(codec)), text, expected_encoding, "detected")


def test_undeclared_single_byte_meta_does_not_override_gbk_bytes() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2], head='<meta charset="windows-1252">')
    assert_decoded(decode_body(page.encode("gbk")), page, "gb18030", "detected")


# --- Byte order marks, ASCII, damaged UTF-8 ----------------------------------------------------------


def test_utf8_bom_beats_wrong_gbk_meta_and_is_removed() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED], head='<meta charset="gbk">')
    assert_decoded(decode_body(b"\xef\xbb\xbf" + page.encode("utf-8"), GBK_HEADER), page, "utf-8", "bom")


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_page_with_bom_decodes_despite_its_nul_bytes(bom: bytes, codec: str) -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED])
    assert_decoded(decode_body(bom + page.encode(codec)), page, codec, "bom")


def test_pure_ascii_page_keeps_its_declared_charset() -> None:
    page = '<html><head><meta charset="gbk"><title>MOE</title></head><body>Notice</body></html>'
    assert_decoded(decode_body(page.encode("ascii")), page, "gb18030", "meta")


def test_pure_ascii_page_without_declaration_is_utf8() -> None:
    page = "<html><head><title>MOE</title></head><body>Notice</body></html>"
    assert_decoded(decode_body(page.encode("ascii")), page, "utf-8", "utf-8")


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_download_truncated_mid_character_still_decodes_strictly(codec: str) -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2])
    content = page[: page.index("双方") + 2]
    body = content.encode(codec)[:-1]  # cut inside the last character
    result = decode_body(body, f"text/html; charset={codec}")
    assert result.text == content[:-1]
    assert result.encoding == ("utf-8" if codec == "utf-8" else "gb18030")


def test_utf8_page_with_one_cms_damaged_byte_stays_utf8() -> None:
    page = news_page("成渝教育协同发展", [SIMPLIFIED, SIMPLIFIED_2, "摘要：重庆市教委与四川省教"])
    body = page.encode("utf-8")
    cut = body.index("教</p>".encode()) + 2  # summary cut by bytes, inside 教
    damaged = body[:cut] + body[cut + 1 :]
    expected = page.replace("教</p>", "\ufffd</p>")

    assert_decoded(decode_body(damaged, "text/html; charset=utf-8"), expected, "utf-8", "detected")


def test_utf8_page_with_windows_1252_bytes_pasted_in_stays_utf8_and_reads_them() -> None:
    # A UTF-8 template around a teaser pasted from a Windows-1252 feed: four stray bytes against five
    # real UTF-8 characters, far more than a few per cent of the page's non-ASCII bytes.
    page = news_page("School board \u2013 budget", [ENGLISH], site=" \u2014 Gazette")
    teaser = "<p>The district\x92s caf\xe9 reopens\x97 Monday\x99</p>"
    body = (
        page.replace("</body>", teaser + "</body>")
        .encode("utf-8")
        .replace(teaser.encode("utf-8"), teaser.encode("latin-1"))
    )
    expected = page.replace("</body>", "<p>The district\u2019s caf\u00e9 reopens\u2014 Monday\u2122</p></body>")

    assert_decoded(decode_body(body, "text/html; charset=utf-8"), expected, "utf-8", "detected")


# --- Refusing non-text -------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"   \r\n\t  \n", b"\xef\xbb\xbf \r\n"], ids=["empty", "whitespace", "bom-only"])
def test_empty_or_whitespace_body_is_refused(body: bytes) -> None:
    with pytest.raises(UndecodableBody, match="empty body"):
        decode_body(body, "text/html; charset=utf-8")


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("通知.txt", "附件")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", "JPEG", id="jpeg"),
        pytest.param(b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF", id="gif"),
        pytest.param(_zip_bytes(), "ZIP", id="zip"),
        pytest.param(gzip.compress(news_page("成渝", [SIMPLIFIED]).encode("utf-8")), "GZIP", id="gzip"),
        pytest.param(b"<html><body>\x00\x00\x01\x02 partial binary \x00</body></html>", "NUL", id="nul-bytes"),
        pytest.param(random.Random(7).randbytes(4096), "control bytes", id="data-of-no-known-kind"),
    ],
)
def test_binary_body_is_refused_with_a_message_naming_what_it_looks_like(body: bytes, named: str) -> None:
    with pytest.raises(UndecodableBody, match="binary body") as excinfo:
        decode_body(body, "text/html; charset=utf-8")
    assert named in str(excinfo.value)


def test_one_stray_nul_byte_in_the_head_of_an_article_is_dropped_not_read_as_binary() -> None:
    page = news_page("成渝", [SIMPLIFIED]).encode("utf-8")
    stray = page.replace(b"<head>", b"<head>\x00", 1)
    assert b"\x00" in stray[:100]
    decoded = decode_body(stray, "text/html; charset=utf-8")
    assert decoded.text == page.decode("utf-8")


def test_text_with_escape_shifts_and_a_few_stray_controls_is_still_text() -> None:
    japanese = "<html><body><p>教育委員会のお知らせ</p></body></html>".encode("iso2022_jp")
    assert b"\x1b" in japanese
    assert "教育委員会" in decode_body(japanese, "text/html; charset=iso-2022-jp").text
    page = news_page("成渝", [SIMPLIFIED]).encode("utf-8").replace(b"<head>", b"<head>\x01\x02\x03", 1)
    assert SIMPLIFIED[:10] in decode_body(page, "text/html; charset=utf-8").text


def test_undecodable_body_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        decode_body(b"")


# --- Declaration parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(b"<meta charset=gbk>", "gb18030", id="html5-unquoted"),
        pytest.param(b'<meta charset="utf-8">', "utf-8", id="html5-double-quotes"),
        pytest.param(b"<meta charset='Big5'>", "big5hkscs", id="html5-single-quotes"),
        pytest.param(b'<meta charset = " GBK " >', "gb18030", id="spaces-inside-quotes"),
        pytest.param(b'<META http-equiv=Content-Type content="text/html; charset=gb2312">', "gb18030", id="http-equiv"),
        pytest.param(b'<meta httpequiv="ContentType" content="text/html; charset=gbk" />', "gb18030", id="no-hyphens"),
        pytest.param(
            b"<META\r\nHTTP-EQUIV=Content-Type\r\nCONTENT=text/html;CHARSET=GB2312\r\n>", "gb18030", id="crlf"
        ),
        pytest.param(
            b'<meta content="text/html; charset=iso-8859-1" http-equiv="Content-Type">', "cp1252", id="latin1"
        ),
        pytest.param(b'<meta charset="x-x-big5">', "big5hkscs", id="x-x-big5"),
        pytest.param(b'<meta charset="x-gbk">', "gb18030", id="x-gbk"),
        pytest.param(b'<meta charset="gb_2312-80">', "gb18030", id="gb_2312-80"),
        pytest.param(b'<meta charset="x-klingon"><meta charset="gbk">', "gb18030", id="unknown-then-known"),
        pytest.param(b'<!-- <meta charset="big5"> --><meta charset="gbk">', "gb18030", id="commented-out"),
        pytest.param(b'<meta charset="utf-16">', None, id="utf16-ignored"),
        pytest.param(b'<meta charset="utf-7">', None, id="utf7-ignored"),
        pytest.param(b'<meta name="keywords" content="education">', None, id="no-charset"),
        pytest.param(b"<head><title>no meta</title></head>", None, id="no-meta"),
        pytest.param(b"<html>" + b" " * 5000 + b'<meta charset="gbk">', None, id="beyond-4kb"),
    ],
)
def test_charset_from_meta_handles_real_world_tags(head: bytes, expected: str | None) -> None:
    assert charset_from_meta(head) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=GBK", "gb18030"),
        ('text/html;charset="gb2312"', "gb18030"),
        ("text/html; Charset='big5'", "big5hkscs"),
        ("text/html; charset=ISO-8859-1", "cp1252"),
        ("text/html; charset=us-ascii", "cp1252"),
        ("text/html; charset=UTF-8; foo=bar", "utf-8"),
        ("text/html; charset=cp936", "gb18030"),
        ("text/html; charset=euc-cn", "gb18030"),
        ("text/html; charset=big5-hkscs", "big5hkscs"),
        ("text/html", None),
        ("", None),
        (None, None),
        ("text/html; charset=x-klingon", None),
        ("text/html; charset=base64", None),
    ],
)
def test_charset_from_content_type_normalises_aliases(content_type: str | None, expected: str | None) -> None:
    assert charset_from_content_type(content_type) == expected
