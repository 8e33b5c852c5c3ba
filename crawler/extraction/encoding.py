"""Turn a fetched page's raw bytes into text, deciding its character encoding in exactly one place."""

from __future__ import annotations

import codecs
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import charset_normalizer

__all__ = [
    "DecodedBody",
    "UndecodableBody",
    "charset_from_content_type",
    "charset_from_meta",
    "decode_body",
]

#: How much of the body is sniffed for NUL bytes and scanned for ``<meta charset>``.
#: Declarations live in ``<head>``; scanning further only adds false hits from article text.
_SNIFF_BYTES = 4096

#: A body whose first bytes are NUL at least this often is binary. Text holds none, but one stray NUL
#: (a CMS template bug) in the head of a real article made the whole article "binary".
_BINARY_NUL_SHARE = 0.01
#: Control bytes: text holds none but white space and ESC (which ISO-2022-JP's shifts use). Data of an
#: unknown kind (random bytes, a .doc, an archive without a known signature) holds one in ten.
_CONTROL_BYTES = bytes(sorted(set(range(32)) - set(b"\t\n\v\f\r\x1b")))
#: A body whose first bytes are such controls at least this often (and 8 times) is binary.
_BINARY_CONTROL_SHARE = 0.02

#: How many non-ASCII characters are looked at when judging whether a reading is real Chinese.
#: A sample is plenty for a statistical judgement and keeps large pages cheap.
_CHINESE_SAMPLE_CHARS = 2000

#: Share of non-ASCII characters that must be everyday Chinese for a GB/Big5 reading to count.
#: Real Chinese text scores ~0.9-1.0; Western text whose accents happen to form GBK pairs scores ~0.
#: GB read as Big5 (and vice versa) scores ~0.25-0.65; the comparison between the two readings settles that.
_CHINESE_MIN_SHARE = 0.6

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
)

#: Labels real pages use that Python's codec registry does not know (mostly WHATWG labels).
_LABEL_ALIASES: dict[str, str] = {
    "x-gbk": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "x-euc-cn": "gb18030",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "iso88591": "cp1252",
    "x-cp1252": "cp1252",
    "windows-31j": "cp932",
    "x-sjis": "shift_jis",
    "utf8mb4": "utf-8",
}

#: Codecs replaced by the superset browsers actually use, so characters outside the declared
#: set (GBK-only names like 镕, HKSCS characters, cp1252 curly quotes) still decode.
_CODEC_SUPERSETS: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
}

#: Codec-name prefixes of the East Asian multi-byte families (Chinese, Japanese, Korean).
_CJK_CODEC_PREFIXES = (
    "gb",
    "hz",
    "big5",
    "cp950",
    "cp936",
    "shift_jis",
    "cp932",
    "euc_j",
    "euc_k",
    "cp949",
    "johab",
    "iso2022",
)

#: Probe a codec must decode unchanged to be usable for HTML: rejects bytes-to-bytes codecs
#: (base64, hex), ASCII-incompatible ones (UTF-16/32 without BOM) and escape codecs (UTF-7, unicode_escape).
_ASCII_PROBE = b'<Meta charset="X"> +-\\u0041;'

_CONTENT_TYPE_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([^"'\s;,]+)""", re.IGNORECASE)
_META_TAG_RE = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9][a-z0-9_.:+-]*)""", re.IGNORECASE)
_HTML_COMMENT_RE = re.compile(rb"<!--.*?-->", re.DOTALL)


class UndecodableBody(ValueError):
    """Body is empty or binary (not text): clear message saying which."""


@dataclass(frozen=True)
class DecodedBody:
    """The decoded page text plus how its encoding was decided (kept for debugging bad pages)."""

    text: str
    """Decoded text, BOM removed."""
    encoding: str
    """Python codec name actually used, lower-case, e.g. ``utf-8``, ``gb18030``, ``big5hkscs``, ``cp1252``."""
    source: str
    """Which evidence decided: ``bom``, ``utf-8``, ``header``, ``meta``, ``detected`` or ``fallback``."""


def decode_body(body: bytes, content_type: str | None = None) -> DecodedBody:
    """Decode a fetched page, choosing the encoding from the most reliable evidence available.

    Scrapy/w3lib trust the declared charset first; on Chinese sites the declaration is often stale
    (a page re-saved as UTF-8 still says gb2312) or a server default (iso-8859-1 on a GBK page),
    which yields mojibake.  So the bytes themselves get the first word wherever they are unambiguous:

    1. empty or binary bodies are refused (:class:`UndecodableBody`);
    2. a byte order mark wins;
    3. non-ASCII bytes that are valid UTF-8 are UTF-8, whatever is declared;
    4. the HTTP header charset, then ``<meta>`` charset, if it decodes strictly (single-byte
       declarations such as iso-8859-1 decode anything, so they are only trusted without CJK evidence);
    5. detection (damaged UTF-8, a Chinese GB/Big5 reading, then charset-normalizer);
    6. gb18030 with replacement characters, the least harmful guess for this crawler's sites.

    "Strict" tolerates only an incomplete character at the very end, which truncated downloads produce.

    Raises:
        UndecodableBody: the body is empty, whitespace only, or binary (PDF, image, archive, NUL bytes).
    """
    _refuse_non_text(body)

    by_bom = _decode_by_bom(body)
    if by_bom is not None:
        return by_bom

    if _looks_binary(body[:_SNIFF_BYTES]):
        raise UndecodableBody("binary body (NUL or control bytes, which text does not hold)")
    body = body.replace(b"\x00", b"")  # a stray NUL is no text (and PostgreSQL refuses it in one)

    header = charset_from_content_type(content_type)
    meta = charset_from_meta(body)

    if body.isascii():
        # Every ASCII-compatible codec gives the same text; keep a declaration if there is one
        # (it still matters for 7-bit codecs like ISO-2022-JP and for encoding form data later).
        declared = _decode_by_declarations(body, header, meta, detect=lambda: None)
        return declared or DecodedBody(body.decode("ascii"), "utf-8", "utf-8")

    utf8_text = _decode_strict(body, "utf-8")
    if utf8_text is not None:
        return DecodedBody(utf8_text, "utf-8", "utf-8")

    detect = functools.cache(lambda: _detect(body))
    declared = _decode_by_declarations(body, header, meta, detect)
    if declared is not None:
        return declared

    detected = detect()
    if detected is not None:
        encoding, text = detected
        return DecodedBody(text, encoding, "detected")

    return DecodedBody(body.decode("gb18030", errors="replace"), "gb18030", "fallback")


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the normalised codec named by a Content-Type header's ``charset`` parameter, if usable.

    Normalised means a Python codec name with legacy sets widened to what browsers decode
    (gb2312/gbk -> gb18030, big5 -> big5hkscs, iso-8859-1 -> cp1252); unknown labels give None
    so that a typo in a server config cannot override detection.
    """
    if not content_type:
        return None
    match = _CONTENT_TYPE_CHARSET_RE.search(content_type)
    return _normalise_label(match.group(1)) if match else None


def charset_from_meta(head: bytes) -> str | None:
    """Return the normalised codec declared by the first usable ``<meta>`` charset in the first ~4 KB.

    Not w3lib's ``html_body_declared_encoding`` (nor ``http_content_type_encoding`` above): they miss
    forms Chinese sites serve, which the table tests hold (``x-gbk``, ``x-x-big5``, an unknown label
    followed by a known one, a single-quoted header parameter).

    Works on raw bytes with a byte regex (charset labels are ASCII in every ASCII-compatible encoding),
    so it needs no decoding and no HTML parse, and it tolerates what real pages contain:
    ``<meta charset=gbk>``, ``<META http-equiv=Content-Type content="text/html; charset=gb2312">``,
    ``httpequiv``/``ContentType`` without hyphens, any quoting, upper case and CRLF inside the tag.
    Labels Python does not know are skipped and the next ``<meta>`` is tried.  UTF-16/32 labels are
    ignored, as browsers do: a page whose markup could be read to find the tag is not UTF-16.
    """
    window = _HTML_COMMENT_RE.sub(b"", head[:_SNIFF_BYTES])
    for tag in _META_TAG_RE.finditer(window):
        match = _META_CHARSET_RE.search(tag.group(0))
        if match is None:
            continue
        encoding = _normalise_label(match.group(1).decode("ascii"))
        if encoding is not None:
            return encoding
    return None


def _looks_binary(window: bytes) -> bool:
    """Whether the first bytes of a body hold NUL bytes as binary data does (more than one in a
    hundred, any in a body shorter than that), or control bytes as often as data of no known kind."""
    if window.count(b"\x00") >= max(1.0, len(window) * _BINARY_NUL_SHARE):
        return True
    controls = len(window) - len(window.translate(None, _CONTROL_BYTES))
    return controls >= max(8.0, len(window) * _BINARY_CONTROL_SHARE)


def _refuse_non_text(body: bytes) -> None:
    """Raise for bodies that are not text, so callers never store binary junk as an article."""
    if not body:
        raise UndecodableBody("empty body")
    if not body.strip():
        raise UndecodableBody("empty body (only whitespace)")
    for magic, kind in _MAGIC_NUMBERS:
        if body.startswith(magic):
            raise UndecodableBody(f"binary body (looks like {kind})")


def _decode_by_bom(body: bytes) -> DecodedBody | None:
    """Decode by byte order mark: nothing outranks it, a BOM is never there by accident.

    Checked before the NUL sniff because UTF-16 text is full of NUL bytes.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(encoding, errors="replace")
            if not text.strip():
                raise UndecodableBody("empty body (only whitespace after the byte order mark)")
            return DecodedBody(text, encoding, "bom")
    return None


def _decode_by_declarations(
    body: bytes,
    header: str | None,
    meta: str | None,
    detect: Callable[[], tuple[str, str] | None],
) -> DecodedBody | None:
    """Apply the HTTP header / ``<meta>`` declarations, or return None when neither can be trusted.

    Multi-byte declarations are self-checking (wrong ones fail strict decoding), so the first that
    decodes wins, header before meta.  Single-byte ones (cp1252, iso-8859-x) decode any bytes and are
    typically a server default, so they are used only when no multi-byte charset was declared and
    detection sees no CJK text; between two single-byte declarations the page's own meta wins.
    """
    declared = [(encoding, source) for encoding, source in ((header, "header"), (meta, "meta")) if encoding]
    for encoding, source in declared:
        if not _is_single_byte(encoding):
            text = _decode_strict(body, encoding)
            if text is not None:
                return DecodedBody(text, encoding, source)

    single_byte = [(encoding, source) for encoding, source in declared if _is_single_byte(encoding)]
    if not single_byte or len(single_byte) < len(declared):
        return None
    detected = detect()
    if detected is not None and _is_cjk(detected[0]):
        return None
    for encoding, source in reversed(single_byte):
        text = _decode_strict(body, encoding)
        if text is not None:
            return DecodedBody(text, encoding, source)
    return None


def _detect(body: bytes) -> tuple[str, str] | None:
    """Guess the encoding of undeclared (or wrongly declared) bytes: ``(codec, text)`` or None.

    Specific signals go before the general detector: charset-normalizer is unreliable on short
    Chinese bodies (it calls a GBK ``教育部`` Big5 or Korean), and it cannot explain damaged UTF-8.
    """
    nearly_utf8 = _decode_nearly_utf8(body)
    if nearly_utf8 is not None:
        return "utf-8", nearly_utf8

    chinese = _chinese_reading(body)
    if chinese is not None:
        return chinese

    best = charset_normalizer.from_bytes(body).best()
    if best is None or best.encoding is None:
        return None
    encoding = _normalise_label(best.encoding)
    if encoding is None:
        return None
    text = _decode_strict(body, encoding)
    return (encoding, text) if text is not None else None


def _decode_nearly_utf8(body: bytes) -> str | None:
    """Decode UTF-8 with some broken bytes, else None: the page is UTF-8 if more of its characters
    decode as UTF-8 than bytes fail to.

    Broken bytes come from a CMS that cut a string mid-character, or from text pasted in from a
    Windows-1252 source (a feed's curly quote, a ™ or an é as one byte) into a UTF-8 template: a handful
    of such bytes on a page with few other non-ASCII characters is a large share of them, yet the page
    is UTF-8. In legacy Chinese text the bytes that fail outnumber the characters that happen to read
    as UTF-8 three or four to one. Without this, a UTF-8 page with a stray byte goes to the guessing
    detectors and the whole page is mojibake; with it, the damage stays at those bytes
    (:func:`_stray_byte_as_windows_1252`).
    """
    valid = body.decode("utf-8", errors="ignore")
    bad = len(body) - len(valid.encode("utf-8"))
    if bad >= len(valid) - len(valid.encode("ascii", errors="ignore")):
        return None
    return body.decode("utf-8", errors=_STRAY_BYTE_HANDLER)


def _stray_byte_as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a lone undecodable byte is read as Windows-1252, a cut character is U+FFFD.

    A lone byte (``Caf\xe9``, ``\x92s``) is text pasted from a Windows-1252 source, which is what
    the writer saw; two or more bytes of a sequence are a UTF-8 character cut short, which nothing
    can restore.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    if error.end - error.start == 1:
        return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end
    return "\ufffd", error.end


_STRAY_BYTE_HANDLER = "edunews-stray-byte-as-windows-1252"
codecs.register_error(_STRAY_BYTE_HANDLER, _stray_byte_as_windows_1252)


def _chinese_reading(body: bytes) -> tuple[str, str] | None:
    """Read the bytes as GB18030 or Big5-HKSCS if either yields everyday Chinese text, else None.

    GBK bytes almost always decode "strictly" as Big5 and vice versa, so strictness cannot choose;
    what does is whether the result consists of common characters (GB2312 level 1 for GB, Big5's
    frequently-used block for Big5).  Mojibake is drawn from all over the table and scores low.
    Ties go to GB18030: this crawler sees far more mainland sites.  Deliberate bias: undeclared
    EUC-KR/EUC-JP text also reads as common GB characters; Korean/Japanese pages are out of scope.
    """
    best: tuple[float, str, str] | None = None
    for encoding, is_common in (("gb18030", _is_common_gb_char), ("big5hkscs", _is_common_big5_char)):
        text = _decode_strict(body, encoding)
        if text is None:
            continue
        share = _common_char_share(text, is_common)
        if share >= _CHINESE_MIN_SHARE and (best is None or share > best[0]):
            best = (share, encoding, text)
    return (best[1], best[2]) if best else None


def _common_char_share(text: str, is_common: Callable[[str], bool]) -> float:
    """Share of the (sampled) non-ASCII characters that are common Chinese characters or CJK punctuation."""
    sample = list(itertools.islice((char for char in text if not char.isascii()), _CHINESE_SAMPLE_CHARS))
    if not sample:
        return 0.0
    return sum(1 for char in sample if _is_cjk_punctuation(char) or is_common(char)) / len(sample)


def _is_cjk_punctuation(char: str) -> bool:
    """Full-width punctuation (，。《》 …) is part of genuine Chinese text in either script."""
    return "\u3000" <= char <= "\u303f" or "\uff01" <= char <= "\uff5e"


@functools.lru_cache(maxsize=16384)
def _is_common_gb_char(char: str) -> bool:
    """True for GB2312 level-1 hanzi (rows 0xB0-0xD7): the 3755 characters of everyday simplified text."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@functools.lru_cache(maxsize=16384)
def _is_common_big5_char(char: str) -> bool:
    """True for Big5's frequently-used hanzi block (0xA440-0xC67E), everyday traditional text."""
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA440 <= int.from_bytes(encoded, "big") <= 0xC67E


def _decode_strict(body: bytes, encoding: str) -> str | None:
    """Decode strictly, except that an incomplete character at the very end is dropped.

    A download cut at a size limit ends mid-character; failing the whole page for that would
    send good UTF-8/GBK pages down the guessing path.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return decoder.decode(body, final=False)
    except UnicodeError:
        return None


def _normalise_label(label: str) -> str | None:
    """Map a charset label to the Python codec browsers would effectively use, or None if unusable."""
    label = label.strip().strip("\"'").strip().lower()
    if not label:
        return None
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _CODEC_SUPERSETS.get(name, name)
    return name if _is_ascii_compatible_text_codec(name) else None


@functools.lru_cache(maxsize=256)
def _is_ascii_compatible_text_codec(encoding: str) -> bool:
    """True if the codec decodes text and leaves ASCII markup alone (so it can describe an HTML page)."""
    try:
        return _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError, ValueError):
        return False


@functools.lru_cache(maxsize=256)
def _is_single_byte(encoding: str) -> bool:
    """True for codecs that map every byte to a character on its own (cp1252, iso-8859-x, koi8-r).

    These decode almost any byte string, so a successful decode proves nothing.  Detected by
    behaviour rather than by a name list: no high byte may start a longer sequence, and most
    high bytes must decode alone (7-bit codecs like ISO-2022 decode none).
    """
    decodable = 0
    for byte in range(0x80, 0x100):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            decoded = decoder.decode(bytes([byte]), final=False)
        except UnicodeDecodeError:
            continue
        if not decoded:
            return False  # buffered: the byte starts a multi-byte sequence
        decodable += 1
    return decodable >= 64


def _is_cjk(encoding: str) -> bool:
    """True for Chinese, Japanese and Korean legacy codecs (the evidence that outranks cp1252 defaults)."""
    return encoding.startswith(_CJK_CODEC_PREFIXES)
