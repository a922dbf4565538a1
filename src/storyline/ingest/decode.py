"""Bytes → text: detect the encoding, repair mojibake, normalise whitespace without moving meaning.

ftfy repairs the common UTF-8-read-as-cp1252 damage but not East Asian text (GBK, Big5, Shift-JIS, EUC-KR) that was
decoded as Latin-1 somewhere upstream: such a line is made only of Latin-1 supplement characters. We re-encode those
lines as Latin-1 and decode them with the East Asian codecs, keeping a repair only if every character lands in a
CJK/Hangul/Kana block — so ordinary accented Latin text is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer
import ftfy

from ..errors import InputError
from ..model import Removed

_EAST_ASIAN_CODECS = ("gbk", "big5", "shift_jis", "euc_kr")
_LATIN1_SUPPLEMENT = re.compile(r"[\u0080-\u00ff]")
# Zero-width and bidi-control characters carry no meaning in news text and are used to disguise content.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repairs: list[Removed] = field(default_factory=list)   # what repair changed, recorded like removals


def _is_east_asian(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF or 0xFF00 <= cp <= 0xFFEF or 0x1100 <= cp <= 0x11FF
    )


def repair_east_asian_mojibake(line: str) -> tuple[str, str] | None:
    """Return (repaired, codec) when ``line`` is East Asian text mis-decoded as Latin-1, else None."""
    stripped = line.strip()
    if len(stripped) < 2 or not all(_LATIN1_SUPPLEMENT.match(c) or c.isspace() for c in stripped):
        return None
    raw = stripped.encode("latin-1")
    for codec in _EAST_ASIAN_CODECS:
        try:
            candidate = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        chars = [c for c in candidate if not c.isspace()]
        if chars and all(_is_east_asian(c) for c in chars):
            return candidate, codec
    return None


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode with a BOM, strict UTF-8, then charset detection. Raises InputError for binary or undecodable data."""
    if not data.strip():
        raise InputError(source, "empty input", "nothing to analyse; remove the file or give it content")
    sample = data[:65536]
    if sample.count(b"\x00") > max(8, len(sample) // 100):
        if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16"), "utf-16"
            except UnicodeDecodeError:
                pass
        raise InputError(source, "binary file (contains NUL bytes), not text or HTML", "give a .txt, .html, .jsonl or .warc file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly-valid UTF-8 with a few broken sequences (truncated multi-byte characters, lone surrogates) is still
    # UTF-8: guessing another encoding for the whole file would garble every non-ASCII character.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(6, len(lenient) // 200) and any(b >= 0xC2 for b in data[:65536]):
        return lenient.replace("\ufffd", ""), "utf-8 (invalid bytes dropped)"
    best = charset_normalizer.from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: no text encoding fits", "convert the file to UTF-8")
    text = data.decode(best.encoding, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(16, len(text) // 50):
        raise InputError(source, f"undecodable bytes ({bad} invalid characters as {best.encoding})", "convert the file to UTF-8")
    return text, best.encoding


# A character that can make ftfy change a line: anything but tab, newline and printable ASCII other than '&' (which
# may start an HTML entity). A line without one is left as it is by every fixer ftfy runs here (see fix_text).
_FTFY_MAY_CHANGE = re.compile(r"[^\t\n\x20-\x25\x27-\x7e]")


def fix_text(text: str) -> str:
    """``ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")``, without handing ftfy
    the lines it would return unchanged.

    Why: ftfy fixes text one line at a time, at a fixed cost per line (~15 µs through its dozen fixers), and a news
    text with one curly quote is mostly plain-ASCII lines: this skips them (2.1 → 0.8 s of CPU on the 902 non-ASCII
    T17 texts, identical output; issue 17). The loop is ftfy 6's own (``ftfy.fix_text``: segments end at a newline or
    at ``max_decode_length``; a segment holding '<' turns HTML unescaping off for the rest of the text, skipped or
    not). An ASCII line without '&' or control characters is one ftfy leaves as it is: its encoding fix returns ASCII
    unchanged, HTML unescaping needs '&', the line-break, terminal-escape and control-character fixers need a control
    character, and the C1, ligature, width and surrogate fixers and NFC touch only non-ASCII characters
    (tests/ingest/test_decode_fix_text.py compares with ftfy itself)."""
    config = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=True, normalization="NFC", explain=False)
    out = []
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        end = min(end, pos + config.max_decode_length)
        segment = text[pos:end]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)
        out.append(segment if _FTFY_MAY_CHANGE.search(segment) is None else ftfy.fix_and_explain(segment, config).text)
        pos = end
    return "".join(out)


def normalise_text(text: str) -> tuple[str, list[Removed]]:
    """Repair mojibake and normalise whitespace line by line; report every non-trivial change."""
    repairs: list[Removed] = []
    # Pure-ASCII text has no mojibake for ftfy to fix; skipping it saves most of the decode cost on English pages.
    fixed = text if text.isascii() else fix_text(text)
    if fixed != text:
        changed = sum(1 for a, b in zip(text.splitlines(), fixed.splitlines(), strict=False) if a != b)
        repairs.append(Removed(text=f"{changed} line(s) changed", reason="mojibake repaired by ftfy"))
    invisible = len(_INVISIBLE.findall(fixed)) + len(_CONTROL.findall(fixed))
    if invisible:
        repairs.append(Removed(text=f"{invisible} character(s)", reason="invisible/control characters (zero-width, bidi, C0) dropped"))
    fixed = _CONTROL.sub("", _INVISIBLE.sub("", fixed))
    lines = []
    for line in fixed.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        repaired = repair_east_asian_mojibake(line)
        if repaired:
            new, codec = repaired
            repairs.append(Removed(text=line, reason=f"mojibake repaired: {codec.upper()} text read as Latin-1 → {new!r}"))
            line = new
        lines.append(line)
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return unicodedata.normalize("NFC", out), repairs


def decode_and_normalise(data: bytes | str, source: str) -> Decoded:
    if isinstance(data, bytes):
        text, encoding = decode_bytes(data, source)
    else:
        text, encoding = data, "unicode"
        if not text.strip():
            raise InputError(source, "empty input", "nothing to analyse; remove it or give it content")
    text, repairs = normalise_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(source, "no text left after decoding", "check that the file holds an article")
    return Decoded(text=text, encoding=encoding, repairs=repairs)
