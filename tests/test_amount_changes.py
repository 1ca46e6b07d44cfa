"""'de A à B' is a range ("une marge de 3 à 5 %") unless a change word governs it in the same
clause: then it is two amounts, the figure before and the figure after."""

import pytest

from pipeline.components.amounts import default_scanner


def amounts(text: str) -> list[tuple[float, float | None, str]]:
    return [
        (m.quantity.value, m.quantity.value_max, m.quantity.bound)
        for m in default_scanner().scan(text)
    ]


@pytest.mark.parametrize(
    "text",
    ["Le groupe vise une marge de 3 à 5 %.", "Un contrat de 2 à 3 milliards d'euros.",
     "Ils ont porté leur offre, la semaine dernière, à un contrat de 2 à 3 milliards d'euros."],
)  # fmt: skip
def test_de_a_is_a_range(text):
    (found,) = amounts(text)
    assert found[2] == "range" and found[1] > found[0]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Le chiffre d'affaires est passé de 2,1 à 2,6 milliards d'euros.", 2.1e9, 2.6e9),
        ("Les effectifs passeront de 1 200 à 1 800 salariés.", 1200, 1800),
        ("Il veut faire passer la capacité de ses centres de données de 60 MW à 200 MW.",
         60e6, 200e6),
    ],
)  # fmt: skip
def test_after_a_change_word_de_a_gives_two_amounts(text, low, high):
    assert amounts(text) == [(low, None, "exact"), (high, None, "exact")]
