"""Markdown articles: their visible text, and the facts of their plain-text twin."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.batch.markdown import markdown_to_article
from pipeline.cli import main

# The same article, in Markdown and as plain text (paragraphs apart, list items on lines).
MARKDOWN = """date 2026-03-02
# OpenAI lève 110 milliards de dollars

**OpenAI** a annoncé *vendredi* une levée de fonds de [110 milliards de dollars](https://example.com/openai-110), le plus grand tour de financement jamais réalisé.

## Les investisseurs

À sa tête, __Amazon__ s'engage à hauteur de **50 milliards de dollars** :

- Nvidia apporte 30 milliards de dollars ;
- SoftBank Group apporte 30 milliards de dollars.

La start-up `Kovalt` a par ailleurs levé 30 millions d'euros auprès de [Partech](https://partech.example).
"""  # noqa: E501
PLAIN = """date 2026-03-02

OpenAI lève 110 milliards de dollars

OpenAI a annoncé vendredi une levée de fonds de 110 milliards de dollars, le plus grand tour de financement jamais réalisé.

Les investisseurs

À sa tête, Amazon s'engage à hauteur de 50 milliards de dollars :

Nvidia apporte 30 milliards de dollars ;
SoftBank Group apporte 30 milliards de dollars.

La start-up Kovalt a par ailleurs levé 30 millions d'euros auprès de Partech.
"""  # noqa: E501


def test_markup_goes_and_lines_stay():
    page = markdown_to_article(
        "# Titre\n"
        "Chapeau sans point\n"  # a soft break stays a line break, as in a .txt
        "suite du chapeau.\n\n"
        "Texte *en italique*, ~~barré~~ et [un lien](https://x.fr/a_(b)).\n\n![logo](l.png)\n\n"
        "1. premier\n2. second\n\n"
        "> Une citation.\n\n"
        "| Société | Montant |\n|---|---|\n| Kovalt | 30 M€ |\n\n"
        "```\nligne 1\nligne <2>\n```\n\n"
        "<script>alert(1)</script>\n\n"
        "Fin &amp; \\*pas d'italique\\*."
    )
    assert page.text == (
        "Titre\n\nChapeau sans point\nsuite du chapeau.\n\n"
        "Texte en italique, barré et un lien.\n\n"
        "premier\nsecond\n\nUne citation.\n\n"
        "Société Montant\nKovalt 30 M€\n\nligne 1\nligne <2>\n\n"
        "Fin & *pas d'italique*."
    )
    assert page.title == "Titre" and page.published is None


def test_front_matter_gives_the_date_and_title_and_no_text():
    page = markdown_to_article(
        "---\ntitle: Kovalt lève 30 M€\ndate: 2026-03-02\ntags: [levée]\n---\nKovalt lève 30 M€.\n"
    )
    assert (page.text, page.title, page.published) == (
        "Kovalt lève 30 M€.",
        "Kovalt lève 30 M€",
        "2026-03-02",
    )
    # A thematic break around text that is no YAML mapping is no front matter.
    page = markdown_to_article("---\nUn texte, pas des métadonnées.\n---\nSuite.\n")
    assert "Un texte, pas des métadonnées." in page.text and page.published is None


def test_a_markdown_article_gives_the_facts_of_its_plain_text_twin(nlp, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "article.md").write_text(MARKDOWN, encoding="utf-8")
    (inputs / "article.txt").write_text(PLAIN, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["extract", str(inputs), "-o", str(out), "--include-text"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    records = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        records[rec["id"]] = rec
    md, txt = records["article.md"], records["article.txt"]
    for mark in ("*", "#", "](", "`", "__", "https://"):
        assert mark not in md["text"], mark
    assert md["text"] == txt["text"].rstrip("\n")
    assert md["title"] == "OpenAI lève 110 milliards de dollars"

    def facts(rec):
        return [(f["type"], f["subject"], f["quantity"]["value"]) for f in rec["facts"]]

    assert facts(md) == facts(txt)
    assert ("funding_round", "OpenAI", 110e9) in facts(md)
    assert md["entities"] == txt["entities"]  # offsets included: the texts are the same
    assert md["facts"] == txt["facts"] and md["published"] == txt["published"] == "2026-03-02"
