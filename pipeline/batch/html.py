"""The visible text of a news page, its title and publication date, with selectolax (lexbor).

The article body is the largest <article> (else <main>, else <body>), without what a
reader does not see (scripts, styles, hidden elements) nor the page furniture around
the story (navigation, asides, forms). Block elements become paragraphs, inline ones
(<b>, <a>, <span>) stay inside their sentence: "OpenAI a levé <b>110 milliards</b> de
dollars" reads as one sentence, as on screen.

    >>> html_to_article("<p>Kovalt a levé <b>30 M€</b>.</p><p>Fin.</p>").text
    'Kovalt a levé 30 M€.\\n\\nFin.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

_INVISIBLE = frozenset(
    {
        "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
        "embed", "canvas", "video", "audio", "map", "button", "select", "input", "textarea",
    }
)  # fmt: skip
_FURNITURE = frozenset({"nav", "aside", "form", "dialog"})
_PAGE_FURNITURE = frozenset({"header", "footer"})  # outside the article only: a story has bylines
_PARAGRAPH = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4",
        "h5", "h6", "blockquote", "pre", "figure", "figcaption", "table", "ul", "ol", "dl",
        "address", "details", "summary", "fieldset", "hr", "center",
    }
)  # fmt: skip
_LINE = frozenset({"br", "li", "dt", "dd", "tr", "caption", "option"})
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\n\r\f]+")
_PUBLISHED = (
    'meta[property="article:published_time"]',
    'meta[property="og:article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
    'meta[name="publish-date"]',
    'meta[name="dc.date"]',
    'meta[name="DC.date.issued"]',
    'time[itemprop="datePublished"]',
    "time[pubdate]",
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    text: str
    title: str | None
    published: str | None  # YYYY-MM-DD from the page's metadata, if it gives one


def html_to_article(html: str) -> HtmlArticle:
    """Visible article text, title and publication date of an HTML page."""
    tree = LexborHTMLParser(html)
    root = _article_root(tree)
    text = _visible_text(root, inside_article=root.tag in ("article", "main")) if root else ""
    return HtmlArticle(text=text, title=_title(tree, root), published=_published(tree))


def _article_root(tree: LexborHTMLParser) -> LexborNode | None:
    articles = [node for node in tree.css("article") if not _hidden(node)]
    if articles:
        # A page with related stories has several <article>: the story is the longest.
        return max(articles, key=lambda node: len(node.text(deep=True) or ""))
    return tree.css_first("main") or tree.css_first('[role="main"]') or tree.body or tree.root


def _hidden(node: LexborNode) -> bool:
    attributes = node.attributes
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    style = (attributes.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _visible_text(root: LexborNode, *, inside_article: bool) -> str:
    """Text of the visible nodes under root: paragraphs split by blank lines."""
    parts: list[str | int] = []  # text, or a break: 1 a new line, 2 a new paragraph
    # An explicit stack, as deeply nested pages exist; ints are breaks to emit on leaving.
    stack: list[LexborNode | int] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            parts.append(item)
            continue
        tag = item.tag
        if tag == "-text":
            parts.append(_SPACES.sub(" ", item.text_content or ""))
            continue
        if tag.startswith("-") and tag != "-document":  # comments, doctype
            continue
        if tag in _INVISIBLE or tag in _FURNITURE or (item is not root and _hidden(item)):
            continue
        if tag in _PAGE_FURNITURE and not inside_article and item is not root:
            continue
        if tag in _CELL:
            parts.append(" ")  # cells of a row stay on its line
        elif tag in _PARAGRAPH or tag in _LINE:
            level = 2 if tag in _PARAGRAPH else 1
            parts.append(level)
            stack.append(level)
        children = []
        child = item.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    return _join(parts)


def _join(parts: list[str | int]) -> str:
    """Text pieces and breaks to text: runs of breaks count once, at their strongest."""
    out: list[str] = []
    pending = 0
    for part in parts:
        if isinstance(part, int):
            pending = max(pending, part)
        elif part.strip():
            if pending and out:
                out.append("\n" * pending)
            pending = 0
            out.append(part)
        elif part and not pending:
            out.append(" ")
    text = re.sub(r" {2,}", " ", "".join(out))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _title(tree: LexborHTMLParser, root: LexborNode | None) -> str | None:
    for node in (root.css_first("h1") if root else None, tree.css_first("title")):
        if node is not None:
            title = _SPACES.sub(" ", node.text(deep=True) or "").strip()
            if title:
                return title
    meta = tree.css_first('meta[property="og:title"]')
    content = (meta.attributes.get("content") or "").strip() if meta else ""
    return content or None


def _published(tree: LexborHTMLParser) -> str | None:
    for selector in _PUBLISHED:
        node = tree.css_first(selector)
        if node is None:
            continue
        attributes = node.attributes
        value = attributes.get("content") or attributes.get("datetime") or node.text() or ""
        match = _ISO_DATE.match(value.strip())
        if match:
            return match.group(0)
    return None
