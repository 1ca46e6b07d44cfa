"""Bytes of archive files to text: the charsets of French archives, and what is no text."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from pipeline.batch.decode import DecodeError, declared_charset, decode_bytes, normalise_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

FRENCH = [
    "Société Générale",
    "Le groupe a levé 5 M€ en été.",
    "Prévisions : hausse de 3 % du chiffre d’affaires à 1,2 Md€ pour l’exercice.",
    "Noël à Châteaubriant, où la fête bat son plein.",
    "Ça déçoit : « la levée de fonds » est reportée à l’automne, œuvre d’un consortium.",
]


def _corpus_articles(encoding: str) -> list[str]:
    """Corpus articles that the legacy charset can write (some quote names like "Ē")."""
    out = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            continue
        out.append(text)
    return out


@pytest.mark.parametrize("text", FRENCH)
def test_cp1252_short_french_is_decoded_as_its_utf8_twin(text):
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    if any(char in text for char in "€’œ"):  # bytes 0x80-0x9F: Windows-1252 only
        assert decoded.encoding == "cp1252"
    else:  # the same bytes in Latin-1: both names are right
        assert decoded.encoding in ("cp1252", "latin_1")


@pytest.mark.parametrize("encoding", ["cp1252", "latin_1"])
def test_legacy_copies_of_the_corpus_give_the_text_of_the_utf8_original(encoding):
    articles = _corpus_articles(encoding)
    assert len(articles) >= 5
    for text in articles:
        decoded = decode_bytes(text.encode(encoding))
        assert decoded.text == text
        # Latin-1 bytes of French text are Windows-1252 bytes too: either name is right.
        assert decoded.encoding in ("cp1252", "latin_1", "iso8859_15")


@pytest.mark.parametrize("encoding", ["mac_roman", "iso8859_15"])
def test_rarer_western_charsets_of_whole_articles(encoding):
    for text in _corpus_articles(encoding)[:6]:
        if text.encode(encoding) == text.encode("utf-8"):
            continue
        assert decode_bytes(text.encode(encoding)).text == text


def test_latin9_euro_sign():
    decoded = decode_bytes("Un tour de table de 30 M€ pour la start-up.".encode("iso8859_15"))
    assert decoded.text == "Un tour de table de 30 M€ pour la start-up."
    assert decoded.encoding == "iso8859_15"


def test_utf8_and_utf8_with_bom():
    text = FRENCH[2]
    assert decode_bytes(text.encode("utf-8")) == decode_bytes(text.encode("utf-8"))
    plain = decode_bytes(text.encode("utf-8"))
    with_bom = decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert plain.text == with_bom.text == text
    assert (plain.encoding, with_bom.encoding) == ("utf_8", "utf_8_sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(codec):
    assert decode_bytes(FRENCH[1].encode(codec)).text == FRENCH[1]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"%PDF-1.7\n" + bytes(range(256)), "binary file (PDF document)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file (PNG image)"),
        (b"PK\x03\x04" + bytes(100), "binary file (ZIP"),
        (b"abc\x00def" * 50, "binary file (contains NUL bytes)"),
        (bytes(range(1, 32)) * 40, "binary file (control characters)"),
    ],
)
def test_what_is_no_text_says_why(data, reason):
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data)
    assert str(caught.value).startswith(reason)


def test_random_bytes_are_no_text():
    import random

    noise = random.Random(7).randbytes(5000).replace(b"\x00", b"\x01")
    with pytest.raises(DecodeError):
        decode_bytes(noise)


def test_a_declared_html_charset_is_used_when_the_bytes_are_not_utf8():
    page = '<html><head><meta charset="windows-1252"></head><body>Né à Noël</body></html>'
    data = page.encode("cp1252")
    assert declared_charset(data) == "windows-1252"
    decoded = decode_bytes(data, declared=declared_charset(data))
    assert decoded.text == page
    assert decoded.encoding == "cp1252"


def test_a_wrong_declared_charset_does_not_win_over_utf8():
    page = '<meta charset="iso-8859-1"><p>Société</p>'
    assert decode_bytes(page.encode("utf-8"), declared="iso-8859-1").text == page


def test_normalise_text_newlines_bom_and_nfc():
    decomposed = unicodedata.normalize("NFD", "Société\r\nGénérale\rfin")
    assert normalise_text("\ufeff" + decomposed) == "Société\nGénérale\nfin"


def test_a_windows_1252_text_that_reads_more_coherently_in_cp850_is_still_windows_1252():
    # charset-normalizer rates the cp850 reading of this article ("DÚfense", "dÚcroche")
    # as more coherent than the right one: the French accented letters decide.
    (path,) = (CORPUS / "heldout").glob("32-*.txt")
    text = path.read_text(encoding="utf-8")
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text and decoded.encoding in ("cp1252", "latin_1", "iso8859_15")
