"""Dates beyond rules/dates/examples.yaml: undated articles, other publication dates, how
dateparser is called (and what it cannot do), the lexicon's validation, the component."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import rules
from pipeline.components import add_record
from pipeline.components.dates import DateRuler, set_published
from pipeline.errors import RulesError
from pipeline.normalise import dates as module
from pipeline.normalise.dates import dateparser_reading

D = dt.date


def _one(scanner, text, published):
    found = scanner.scan(text, published)
    assert len(found) == 1, f"{text!r} gave {found}"
    return found[0]


def _period(mention):
    return mention.period_start, mention.period_end


# --- undated articles: what the text fixes resolves, what hangs on the date gives None -----


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("12 mars 2025", (D(2025, 3, 12), D(2025, 3, 12))),
        ("03/04/2025", (D(2025, 4, 3), D(2025, 4, 3))),
        ("novembre 2025", (D(2025, 11, 1), D(2025, 11, 30))),
        ("en 2030", (D(2030, 1, 1), D(2030, 12, 31))),
        ("fin 2026", (D(2026, 10, 1), D(2026, 12, 31))),
        ("T3 2025", (D(2025, 7, 1), D(2025, 9, 30))),
        ("d'ici 2030", (None, D(2030, 12, 31))),
        ("entre 2026 et 2029", (D(2026, 1, 1), D(2029, 12, 31))),
        ("entre juillet et septembre 2025", (D(2025, 7, 1), D(2025, 9, 30))),
        ("l'exercice 2024/25", (D(2024, 4, 1), D(2025, 3, 31))),
        ("les neuf premiers mois de 2025", (D(2025, 1, 1), D(2025, 9, 30))),
        ("dès 2027", (D(2027, 1, 1), None)),
        ("depuis 2021", (D(2021, 1, 1), None)),  # since 2021, up to an unknown date
    ],
)
def test_undated_article_resolves_what_the_text_fixes(dates, text, period):
    assert _period(_one(dates, text, None)) == period


@pytest.mark.parametrize(
    "text",
    [
        "hier",
        "vendredi",
        "vendredi prochain",
        "l'an dernier",
        "cette année",
        "12 mars",
        "novembre dernier",
        "premier semestre",
        "T3",
        "la semaine dernière",
        "il y a deux semaines",
        "les douze derniers mois",
        "fin de l'année",
        "d'ici la fin de l'année",
        "depuis le début de l'année",
        "mi-octobre",
    ],
)
def test_undated_article_gives_a_mention_without_period(dates, text):
    mention = _one(dates, text, None)
    assert _period(mention) == (None, None) and mention.kind == "date"
    assert (mention.start, mention.end) == (0, len(text))


# --- another publication date: Friday 2025-11-14, and a leap year --------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("vendredi", (D(2025, 11, 14), D(2025, 11, 14))),
        ("vendredi dernier", (D(2025, 11, 7), D(2025, 11, 7))),
        ("lundi", (D(2025, 11, 10), D(2025, 11, 10))),
        ("hier", (D(2025, 11, 13), D(2025, 11, 13))),
        ("le 12 mars", (D(2025, 3, 12), D(2025, 3, 12))),
        ("le 24 novembre", (D(2025, 11, 24), D(2025, 11, 24))),  # ten days ahead
        ("au premier semestre", (D(2025, 1, 1), D(2025, 6, 30))),
        ("au second semestre", (D(2025, 7, 1), D(2025, 12, 31))),
        ("T4", (D(2025, 10, 1), D(2025, 12, 31))),
        ("le mois dernier", (D(2025, 10, 1), D(2025, 10, 31))),
        ("la semaine dernière", (D(2025, 11, 3), D(2025, 11, 9))),
        ("l'an prochain", (D(2026, 1, 1), D(2026, 12, 31))),
        ("mars prochain", (D(2026, 3, 1), D(2026, 3, 31))),
        ("les douze derniers mois", (D(2024, 11, 15), D(2025, 11, 14))),
        ("depuis le début de l'année", (D(2025, 1, 1), D(2025, 11, 14))),
        ("d'ici la fin de l'année", (None, D(2025, 12, 31))),
        ("d'ici la fin de la décennie", (None, D(2029, 12, 31))),
    ],
)
def test_second_publication_date(dates, text, period):
    assert _period(_one(dates, text, D(2025, 11, 14))) == period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("le mois dernier", (D(2024, 2, 1), D(2024, 2, 29))),
        ("fin février", (D(2024, 2, 1), D(2024, 2, 29))),
        ("d'ici fin février", (None, D(2024, 2, 29))),
        ("les trois derniers mois", (D(2024, 1, 1), D(2024, 3, 31))),
        ("il y a un mois", (D(2024, 2, 1), D(2024, 2, 29))),
    ],
)
def test_leap_year_and_short_months(dates, text, period):
    assert _period(_one(dates, text, D(2024, 3, 31))) == period


def test_a_day_just_ahead_is_read_forward_only_within_the_window(dates):
    # "La souscription s'achèvera le 24 juin" in an article of 11 June 2025.
    assert _period(_one(dates, "le 24 juin", D(2025, 6, 11)))[0] == D(2025, 6, 24)
    # Two months ahead is past the window: the last 24 August before publication.
    assert _period(_one(dates, "le 24 août", D(2025, 6, 11)))[0] == D(2024, 8, 24)


# --- dateparser: settings on each call, candidate spans only, imported late ----------------


@pytest.fixture
def dateparser_calls(monkeypatch):
    """Records every DateDataParser built by our code, with its arguments and phrases."""
    import dateparser.date

    real = dateparser.date.DateDataParser
    calls: list[dict] = []

    class Spy(real):
        def __init__(self, *args, **kwargs):
            calls.append({"kwargs": kwargs, "phrases": []})
            super().__init__(*args, **kwargs)

        def get_date_data(self, phrase, *args, **kwargs):
            calls[-1]["phrases"].append(phrase)
            return super().get_date_data(phrase, *args, **kwargs)

    monkeypatch.setattr(dateparser.date, "DateDataParser", Spy)
    return calls


def test_numeric_dates_are_read_day_first(dates, dateparser_calls):
    # dateparser's own default order is month first: "03/04/2025" would be 4 March.
    assert _period(_one(dates, "le 03/04/2025", D(2026, 3, 2))) == (D(2025, 4, 3), D(2025, 4, 3))
    assert dateparser_reading("03/04/2025", D(2026, 3, 2)) == (D(2025, 4, 3), "day")
    assert dateparser_calls and all(
        call["kwargs"]["settings"]["DATE_ORDER"] == "DMY" for call in dateparser_calls
    )


def test_every_call_gets_every_setting(dates, dateparser_calls):
    text = "Vendredi 13 mars, puis le 12 mars 2025 et il y a deux semaines, le mois dernier."
    dates.scan(text, D(2026, 3, 2))
    dates.scan("le 12 mars", D(2025, 11, 14))
    assert len(dateparser_calls) >= 5
    bases = set()
    for call in dateparser_calls:
        kwargs = call["kwargs"]
        assert kwargs["languages"] == ["fr"]
        settings = kwargs["settings"]
        assert settings["DATE_ORDER"] == "DMY"
        assert settings["PREFER_DATES_FROM"] in ("past", "future")
        assert isinstance(settings["RELATIVE_BASE"], dt.datetime)
        bases.add(settings["RELATIVE_BASE"].date())
    # The publication date of each scan, nothing kept from one call to the next.
    assert bases == {D(2026, 3, 2), D(2025, 11, 14)}


def test_settings_are_fresh_for_each_call():
    first = module.dateparser_settings(D(2026, 3, 2))
    first["DATE_ORDER"] = "MDY"
    assert module.dateparser_settings(D(2026, 3, 2))["DATE_ORDER"] == "DMY"


def test_dateparser_sees_candidate_spans_only(dates, dateparser_calls):
    filler = "Le groupe a publié ses comptes et confirmé ses perspectives. " * 300
    text = filler + "Il a levé 15 M€ le 12 mars 2025. " + filler
    found = dates.scan(text, D(2026, 3, 2))
    assert [text[m.start : m.end] for m in found] == ["12 mars 2025"]
    phrases = [p for call in dateparser_calls for p in call["phrases"]]
    assert phrases == ["12 mars 2025"]


def test_no_candidate_no_dateparser_call(dates, dateparser_calls):
    assert dates.scan("Qonto a levé 15 M€ auprès de Tencent. " * 50, D(2026, 3, 2)) == []
    assert dateparser_calls == []


def test_importing_the_scanner_does_not_import_dateparser():
    code = "import sys, pipeline.normalise.dates; print('dateparser' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "False"


# What dateparser returns for the forms our own rules resolve: the reasons they are ours.
# Should a dateparser release read one of them, its line turns red; then reconsider.
@pytest.mark.parametrize(
    ("phrase", "reading"),
    [
        ("T3 2025", (D(2025, 3, 1), "month")),  # read as March 2025, not a quarter
        ("troisième trimestre 2025", None),
        ("premier semestre", None),
        ("fin 2026", None),
        ("début 2027", None),
        ("mi-octobre", None),
        ("l'an dernier", None),
        ("l'an prochain", None),
        ("novembre dernier", None),
        ("vendredi prochain", None),
        ("le 31 décembre dernier", None),
        ("la semaine passée", None),
        ("il y a quinze jours", None),
        ("depuis le début de l'année", None),
        ("2023-2028", None),
        ("lundi", (D(2026, 2, 23), "day")),  # on Monday 2026-03-02: the Monday before
    ],
)
def test_what_dateparser_does_not_read(phrase, reading):
    assert dateparser_reading(phrase, D(2026, 3, 2)) == reading


# The forms dateparser reads as written give what our scanner gives for them.
@pytest.mark.parametrize(
    "phrase",
    [
        "la semaine dernière",
        "la semaine prochaine",
        "le mois dernier",
        "le mois prochain",
        "il y a deux semaines",
        "il y a trois mois",
        "dans trois mois",
        "le 12 mars 2025",
        "1er avril 2025",
        "novembre",
        "hier",
        "avant-hier",
        "demain",
    ],
)
def test_scanner_agrees_with_dateparser_where_it_reads(dates, phrase):
    when, grain = dateparser_reading(phrase, D(2026, 3, 2))
    assert _period(_one(dates, phrase, D(2026, 3, 2))) == module.grain_span(when, grain)


# --- offsets and kinds ---------------------------------------------------------------------


def test_offsets_and_surface_forms(dates):
    text = (
        "Qonto a levé 15 M€ vendredi, contre 4 M€ l'an dernier ; ses revenus ont crû de 12 % "
        "en glissement annuel et il vise 1 Md€ d'ici fin 2027, entre 2026 et 2029."
    )
    found = dates.scan(text, D(2026, 3, 2))
    assert [text[m.start : m.end] for m in found] == [
        "vendredi",
        "l'an dernier",
        "en glissement annuel",
        "d'ici fin 2027",
        "entre 2026 et 2029",
    ]
    assert [m.kind for m in found] == ["date", "date", "comparison", "date", "date"]


def test_scan_takes_the_tokens_of_a_caller_that_has_them(dates, monkeypatch):
    from pipeline.normalise.lexer import tokenize

    text = "Qonto a levé 15 M€ vendredi, contre 4 M€ l'an dernier, et vise 2030."
    tokens = tokenize(text)
    expected = dates.scan(text, D(2026, 3, 2))
    monkeypatch.setattr(module, "tokenize", lambda text: pytest.fail("tokenised again"))
    assert dates.scan(text, D(2026, 3, 2), tokens=tokens) == expected
    assert len(expected) == 3


# --- any text: no error, offsets hold, periods run forward ------------------------------------

# Words of the lexicon and their neighbours, one space apart.
_VOCABULARY = (
    "le la l' de du d' en au entre et à - / , . 1er 3e T3 H2 S1 Q4 mi fin début courant d'ici "
    "depuis dès avant il y a dans les des derniers prochaines premiers mois semaine ans année "
    "trimestre semestre exercice clos dernier prochain vendredi lundi mars mai sept octobre "
    "hier demain 2024 2025 2026 2030 25 12 31 0 99 2026-03-02 03/04/2025 sur un glissant "
    "glissement annuel cette ce l'an l'année 1 000 salariés MW"
)
_WORDS = tuple(_VOCABULARY.split())


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=14),
    published=st.one_of(st.none(), st.dates(D(1990, 1, 1), D(2090, 12, 31))),
)
def test_any_date_words_scan_cleanly(dates, words, published):
    text = " ".join(words)
    previous_end = 0
    for mention in dates.scan(text, published):
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == text[mention.start : mention.end].strip()
        previous_end = mention.end
        if mention.period_start and mention.period_end:
            assert mention.period_start <= mention.period_end, (text, mention)
        assert mention.kind in ("date", "comparison")


# --- the component ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blank_xx():
    return spacy.blank("xx")  # the component works on characters; blank "fr" takes 10 s to build


def test_component_records(blank_xx, dates):
    text = "Hier, Qonto a levé 15 M€ ; fin 2026 ; sur un an."
    doc = set_published(blank_xx.make_doc(text), None)
    DateRuler(dates)(doc)
    records = doc.user_data["finfacts"]
    assert [(text[r["start"] : r["end"]], r["period"], r["kind"]) for r in records] == [
        ("Hier", {"start": None, "end": None}, "date"),  # a date, unknown when undated
        ("fin 2026", {"start": "2026-10-01", "end": "2026-12-31"}, "date"),
        ("sur un an", None, "comparison"),  # dates nothing: no period
    ]
    assert [span.label_ for span in doc.spans["finfacts"]] == ["DATE"] * 3


def test_component_leaves_out_dates_inside_amounts(blank_xx, dates):
    doc = set_published(blank_xx.make_doc("Elle compte 2000 salariés en 2026."), D(2026, 3, 2))
    add_record(doc, {"label": "COUNT", "start": 12, "end": 25})
    DateRuler(dates)(doc)
    found = [doc.text[r["start"] : r["end"]] for r in doc.user_data["finfacts"]]
    assert found == ["2000 salariés", "2026"]


# --- the lexicon is validated: a malformed file stops with file and line ----------------------


@pytest.fixture
def broken_rules(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    return copy


@pytest.mark.parametrize(
    ("old", "new", "fault"),
    [
        ("  mars: 3\n", "  mars: 13\n", "months"),
        ("  semaine: week\n", "  semaine: fortnight\n", "units"),
        ("  fin: [10, 12]\n", "  fin: [12, 10]\n", "year_parts"),
        ("split_fiscal_year_start_month: 4\n", "split_fiscal_year_start_month: 14\n", "split"),
        ("cued_months: [mai]\n", "cued_months: [maï]\n", "cued_months"),
    ],
)
def test_a_malformed_lexicon_names_file_and_line(broken_rules, old, new, fault):
    path = broken_rules / "dates" / "lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    with pytest.raises(RulesError) as error:
        rules.load_yaml("dates/lexicon.yaml", rules.DateLexicon, base=broken_rules)
    assert "lexicon.yaml" in str(error.value) and fault in error.value.problem
    assert error.value.line in (line, line + 1)  # the key's line, or its value's


def test_a_missing_lexicon_key_is_named(broken_rules):
    path = broken_rules / "dates" / "lexicon.yaml"
    text = path.read_text(encoding="utf-8").replace("near_future_days: 31\n", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match="near_future_days"):
        rules.load_yaml("dates/lexicon.yaml", rules.DateLexicon, base=broken_rules)
