"""A cheap language hint: which of a few languages' commonest words the text uses most.

Only a hint for the output record (an English article slipped into a French archive gives
few entities, and the record says why); never a reason to skip or fail an article.

    >>> language_hint("OpenAI a annoncé une levée de fonds de 110 milliards de dollars.")
    'fr'
    >>> language_hint("OpenAI announced that it raised 110 billion dollars from investors.")
    'en'
"""

from __future__ import annotations

import re

# Short, frequent function words of each language (a shared one counts for both).
_STOPWORDS = {
    code: frozenset(words.split())
    for code, words in {
        "fr": """le la les de des du en une est et dans pour sur au aux avec qui que par ont sont
            pas ce cette ses leur été avait plus mais ou son sa elle il nous vous""",
        "en": """the and of to is are was were in that for with on by from has have this its
            which will would it at be as an not but their they""",
        "de": """der die das und ist nicht mit ein eine für auf sich dem den von zu im wird
            auch sind werden hat""",
        "es": """el los las del y en por con una para es se su al lo como más pero sus fue
            ha""",
        "it": """gli della delle che di per è sono non nel alla dei anche più come questo""",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 20_000  # the start of a long text says enough


def language_hint(text: str) -> str | None:
    """ISO 639-1 code of the likeliest language, or None when the text gives no clue."""
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if not words:
        return None
    scores = {code: sum(w in stop for w in words) for code, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    if scores[best] < 3 and scores[best] < len(words) * 0.1:
        return None
    return best
