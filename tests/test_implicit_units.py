"""A bare magnitude takes the unit of the amount it continues ("dont 15 milliards"), unless
the noun after it says it measures something else ("40 millions de barils")."""

import pytest

from pipeline.components.amounts import default_scanner


def amounts(text: str) -> list[tuple[str, float, str]]:
    return [(m.label, m.quantity.value, m.quantity.unit) for m in default_scanner().scan(text)]


def test_a_bare_magnitude_continues_the_currency_before_it():
    found = amounts("Le groupe investira 15 milliards d'euros, dont 5 milliards d'ici 2027.")
    assert found == [("MONEY", 15e9, "EUR"), ("MONEY", 5e9, "EUR")]


def test_a_magnitude_of_money_nouns_still_inherits():
    found = amounts("Un coût de 1,8 milliard d'euros, dont 800 millions de subventions.")
    assert found == [("MONEY", 1.8e9, "EUR"), ("MONEY", 8e8, "EUR")]


@pytest.mark.parametrize(
    "measure",
    ["2,4 millions de barils par jour", "3 millions de litres", "12 millions de visiteurs",
     "2 millions d'habitants"],
)  # fmt: skip
def test_a_magnitude_of_something_else_takes_no_currency(measure):
    text = f"Le groupe a vendu pour 15 milliards d'euros de gaz. Il a aussi annoncé {measure}."
    assert amounts(text) == [("MONEY", 15e9, "EUR")]


def test_tonnes_are_a_unit_of_their_own():
    text = "Le coût atteint 1,8 milliard d'euros. L'usine produira 2 millions de tonnes d'acier."
    assert amounts(text) == [("MONEY", 1.8e9, "EUR"), ("QUANTITY", 2e6, "t")]
