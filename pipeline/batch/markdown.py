"""The visible text of a Markdown article: parsed (CommonMark, with tables), rendered to
HTML and read back by the HTML path, so emphasis, links and headings leave their text only.

Headings, paragraphs and list items stay lines of their own, and a line break inside a
paragraph stays a line break, as in a .txt file (the extractor takes a line without final
punctuation for a headline). A link keeps its text, not its URL; an image gives nothing;
a code block is kept as text, line by line; raw HTML goes through the HTML path (scripts
dropped). A YAML front matter block at the top (`---` ... `---`) is no text: its `date`
(or `published`) is the publication date and its `title` the title.

    >>> markdown_to_article("# Titre\\n\\n**OpenAI** lève [110 Md$](https://x.fr).").text
    'Titre\\n\\nOpenAI lève 110 Md$.'
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import yaml
from markdown_it import MarkdownIt

from .html import HtmlArticle, html_to_article

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _code_lines(self, tokens, index, options, env) -> str:
    """A code block as a paragraph whose lines stay lines (HTML's <pre> would join them)."""
    lines = tokens[index].content.rstrip("\n").split("\n")
    return "<p>" + "<br>".join(escape(line) for line in lines) + "</p>\n"


_MARKDOWN = MarkdownIt("commonmark", {"breaks": True}).enable(["table", "strikethrough"])
for _rule in ("fence", "code_block"):
    _MARKDOWN.add_render_rule(_rule, _code_lines)


def markdown_to_article(text: str) -> HtmlArticle:
    """Visible text, title and publication date of a Markdown article (newlines as \\n)."""
    metadata, body = _front_matter(text)
    page = html_to_article(_MARKDOWN.render(body))
    title = metadata.get("title")
    return HtmlArticle(
        text=page.text,
        title=title.strip() if isinstance(title, str) and title.strip() else page.title,
        published=_date(metadata.get("date", metadata.get("published"))),
    )


def _front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        metadata = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return {}, text  # not YAML: a thematic break that opens the text
    if not isinstance(metadata, dict):
        return {}, text
    return metadata, text[match.end() :]


def _date(value: object) -> str | None:
    if isinstance(value, dt.date):  # YAML reads 2026-03-02 as a date (a datetime is one too)
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None
