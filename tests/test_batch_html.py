"""HTML pages to the visible text of their article."""

from __future__ import annotations

from pipeline.batch.html import html_to_article

PAGE = """<!doctype html>
<html><head>
  <title>OpenAI lève 110 milliards - Le Journal</title>
  <meta property="article:published_time" content="2026-03-02T08:00:00+01:00">
  <style>p { color: red }</style>
  <script>var tracking = "Amazon 50 milliards";</script>
</head>
<body>
  <header>Le Journal — Économie</header>
  <nav><a href="/">Accueil</a> | <a href="/tech">Tech</a></nav>
  <article>
    <h1>OpenAI lève 110&nbsp;milliards de dollars</h1>
    <p>OpenAI a annoncé <b>vendredi</b> une levée de <a href="#">110 milliards</a> de dollars.</p>
    <p>Amazon s’engage<br>à hauteur de 50 milliards.</p>
    <ul><li>Nvidia : 30 milliards</li><li>SoftBank : 30 milliards</li></ul>
    <div style="display: none">Texte caché de 99 milliards</div>
    <p hidden>Encore caché</p>
    <aside>Lire aussi : Mistral lève 2 milliards</aside>
    <!-- commentaire 12 milliards -->
  </article>
  <article><p>Autre article court.</p></article>
  <footer>© Le Journal</footer>
</body></html>
"""


def test_visible_article_text_only():
    text = html_to_article(PAGE).text
    assert text == (
        "OpenAI lève 110\u00a0milliards de dollars\n\n"
        "OpenAI a annoncé vendredi une levée de 110 milliards de dollars.\n\n"
        "Amazon s’engage\nà hauteur de 50 milliards.\n\n"
        "Nvidia : 30 milliards\nSoftBank : 30 milliards"
    )


def test_title_and_publication_date_from_the_page():
    page = html_to_article(PAGE)
    assert page.title == "OpenAI lève 110\u00a0milliards de dollars"
    assert page.published == "2026-03-02"


def test_a_page_without_article_keeps_its_body_without_furniture():
    page = html_to_article(
        "<html><body><header>Menu</header><div>Kovalt lève <i>30 M€</i>.</div>"
        "<div>Deuxième paragraphe.</div><footer>Contact</footer></body></html>"
    )
    assert page.text == "Kovalt lève 30 M€.\n\nDeuxième paragraphe."
    assert page.published is None


def test_table_cells_stay_on_their_row():
    page = html_to_article(
        "<table><tr><th>Société</th><th>Montant</th></tr>"
        "<tr><td>Kovalt</td><td>30 M€</td></tr></table>"
    )
    assert page.text == "Société Montant\nKovalt 30 M€"


def test_empty_and_script_only_pages_give_no_text():
    assert html_to_article("").text == ""
    assert html_to_article("<html><head><script>x()</script></head><body></body></html>").text == ""


def test_a_deeply_nested_page_does_not_overflow():
    page = "<div>" * 5000 + "Texte profond." + "</div>" * 5000
    assert html_to_article(page).text == "Texte profond."
