"""Bytes of an archive file to text: BOMs, UTF-8, legacy Western charsets, binary files.

French archives come as UTF-8 (with or without BOM) or Windows-1252 / Latin-1 (old CMS
exports, Word "texte brut"). Strict UTF-8 is tried first; otherwise charset-normalizer
tells which Western European charsets the bytes are plausible in, and the one most common
in French archives among them wins (on a short French text an unrestricted detection
happily picks cp1250 or mac_roman and turns "à" into "ŕ" or "‡"); other scripts come last.

    >>> decode_bytes("Société Générale lève 5 M€".encode("cp1252")).encoding
    'cp1252'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# Western charsets a French archive is written in, most likely first.
WESTERN = ("cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850")

_BOMS = (  # UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF32_LE, "utf_32_le"),
    (codecs.BOM_UTF32_BE, "utf_32_be"),
    (codecs.BOM_UTF16_LE, "utf_16_le"),
    (codecs.BOM_UTF16_BE, "utf_16_be"),
)
_SIGNATURES = (  # formats people drop into an archive folder by mistake
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx/.odt)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document (.doc/.xls)"),
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
)
# C0 controls other than tab, newlines and form feed: their presence means no text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# C1 controls: no text has them; they come from reading Windows-1252 bytes as Latin-1.
_C1 = re.compile(r"[\x80-\x9f]")
_WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")
# In Latin-1 and Windows-1252 these bytes are "¤", "¼" and "½": no word has them inside.
_LATIN9_OE = re.compile(rb"[A-Za-z][\xbc\xbd][A-Za-z]")
_LATIN = frozenset({"cp1252", "latin_1", "iso8859_15"})
_NEWLINES = re.compile(r"\r\n?")
# Non-ASCII characters of French text: accented letters, ligatures, quotes, dashes, spaces.
_FRENCH_NON_ASCII = frozenset(
    "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’‚“”„–—…€£°±×·¹²³º\u00a0\u202f\u2009"
)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


class DecodeError(ValueError):
    """Bytes that are no text: empty, binary or in no charset we can tell."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name: utf_8, utf_8_sig, cp1252, latin_1...


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """The text of a file's bytes and the charset it was written in.

    `declared` is a charset the container names (an HTML <meta charset>); it is trusted
    only when the bytes are not UTF-8 and decode strictly with it. Raises DecodeError for
    empty, binary or undecodable bytes.
    """
    if not data:
        raise DecodeError("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"undecodable: starts with a {codec} BOM but {exc.reason}"
                ) from exc
            return _checked(text, "utf_8_sig" if codec == "utf_8" else codec)
    binary = binary_kind(data)
    if binary:
        raise DecodeError(f"binary file ({binary})")
    try:
        return _checked(data.decode("utf_8"), "utf_8")
    except UnicodeDecodeError:
        pass
    if declared:
        codec = _codec(declared)
        if codec:
            try:
                return _checked(data.decode(codec), codec)
            except (UnicodeDecodeError, DecodeError):
                pass
    western = [
        match
        for match in charset_normalizer.from_bytes(data, cp_isolation=list(WESTERN))
        if not _C1.search(str(match))
    ]
    if western:
        # The reading whose accented letters are those of French ("é", not "Ú" as cp850
        # reads the same byte), then fit to the language (coherence) less oddity (chaos);
        # near ties go to the charset most common in French archives.
        best = max(
            western,
            key=lambda m: (
                round(_french_share(str(m)), 1),
                round(m.coherence - m.chaos, 2),
                -WESTERN.index(m.encoding),
            ),
        )
        codec = _latin_variant(data) if best.encoding in _LATIN else best.encoding
        try:
            return _checked(data.decode(codec), codec)
        except UnicodeDecodeError:
            return _checked(str(best), best.encoding)
    match = charset_normalizer.from_bytes(data).best()
    if match is None or _C1.search(str(match)):
        raise DecodeError("undecodable: not UTF-8, and no charset could be detected")
    return _checked(str(match), _codec(match.encoding) or match.encoding)


def _french_share(text: str) -> float:
    """The share of the text's non-ASCII characters that French writing uses."""
    others = [char for char in text if not char.isascii()]
    if not others:
        return 1.0
    return sum(char in _FRENCH_NON_ASCII for char in others) / len(others)


def _latin_variant(data: bytes) -> str:
    """Windows-1252, Latin-1 and Latin-9 differ only by a few bytes: those tell them apart."""
    if _WINDOWS_ONLY.search(data):  # ’ “ ” … œ € in 0x80-0x9F: Windows-1252 only
        return "cp1252"
    if b"\xa4" in data or _LATIN9_OE.search(data):  # € or "œ" inside a word: Latin-9
        return "iso8859_15"
    return "latin_1"  # then all three read the same: Latin-1 is the plain name


def binary_kind(data: bytes) -> str | None:
    """What a file without a BOM is when its first bytes say it is no text, else None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data[:65536]:
        return "contains NUL bytes"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first kilobytes (<meta charset=...>)."""
    match = _DECLARED.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def normalise_text(text: str) -> str:
    """Newlines as \\n, a leading BOM dropped, Unicode NFC ("é" as one character)."""
    text = _NEWLINES.sub("\n", text.removeprefix("\ufeff"))
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def _checked(text: str, encoding: str) -> Decoded:
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(2, len(text[:65536]) // 1000):
        raise DecodeError("binary file (control characters)")
    return Decoded(text, encoding)
