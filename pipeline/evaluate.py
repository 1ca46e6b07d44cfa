"""Scores predicted facts against gold files, exactly as the contract's Scoring section says.

A prediction matches a gold fact when type, subject and quantity.unit agree and the value
is within 0.1 %; among candidates the one agreeing on counterparty wins; each gold fact
matches at most one prediction. Any gold field may list several acceptable values.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import rules

VALUE_TOLERANCE = 0.001
FIELDS = ("counterparty", "period", "bound", "approx", "status", "attributed_to", "attributes")


def org_key(name: str | None) -> str | None:
    """Case-, accent- and legal-suffix-insensitive: "SoftBank Group Corp" -> "softbank"."""
    if name is None:
        return None
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = text.replace(",", " ").replace(".", " ").split()
    suffixes = {s.casefold() for s in rules.legal_suffixes().suffixes}
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    return " ".join(words)


def options(value: Any) -> list[Any]:
    """A gold field's acceptable values (a list means several)."""
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _same_org(gold: Any, predicted: str | None) -> bool:
    return any(org_key(g) == org_key(predicted) for g in options(gold))


def _close(gold: float, predicted: float | None) -> bool:
    if predicted is None or gold is None:
        return gold is predicted
    if gold == 0:
        return predicted == 0
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold)


def _period(p: Any) -> tuple | None:
    if not p:
        return None
    key = (p.get("start"), p.get("end"))
    return None if key == (None, None) else key


def field_agrees(name: str, gold: dict, predicted: dict) -> bool:
    """Whether one field of a matched pair agrees (attributes: every gold attribute)."""
    if name == "counterparty" or name == "attributed_to":
        return _same_org(gold.get(name), predicted.get(name))
    if name == "period":
        return any(
            _period(g) == _period(predicted.get("period")) for g in options(gold.get("period"))
        )
    if name in ("bound", "approx"):
        return predicted["quantity"].get(name) in options(
            gold["quantity"].get(name, "exact" if name == "bound" else False)
        )
    if name == "status":
        return predicted.get("status") in options(gold.get("status"))
    if name == "attributes":
        got = {k: _attribute_key(v) for k, v in (predicted.get("attributes") or {}).items()}
        return all(
            got.get(k) in [_attribute_key(o) for o in options(v)]
            for k, v in (gold.get("attributes") or {}).items()
        )
    raise ValueError(name)


def _attribute_key(value: Any) -> str | None:
    """Attribute strings compare without case, accents or spaces: "EBITDA" = "ebitda",
    "+12 %" = "+12%"."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return "".join(text.split())


def _candidate(gold: dict, predicted: dict) -> bool:
    return (
        predicted["type"] in options(gold["type"])
        and _same_org(gold["subject"], predicted["subject"])
        and predicted["quantity"]["unit"] in options(gold["quantity"]["unit"])
        and any(
            _close(v, predicted["quantity"]["value"]) for v in options(gold["quantity"]["value"])
        )
    )


@dataclass
class Score:
    """Counts and matched pairs of one comparison (an article, a split, a corpus)."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    fields: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    misses: list[tuple[str, dict]] = field(default_factory=list)
    extras: list[tuple[str, dict]] = field(default_factory=list)
    amounts: Counter = field(default_factory=Counter)  # tp, fp, fn of amount mentions
    by_article: dict[str, Score] = field(default_factory=dict)
    amount_errors: list[tuple[str, str, tuple]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.amounts.update(other.amounts)
        self.amount_errors.extend(other.amount_errors)
        self.tp.update(other.tp)
        self.fp.update(other.fp)
        self.fn.update(other.fn)
        for name, values in other.fields.items():
            self.fields[name].extend(values)
        self.misses.extend(other.misses)
        self.extras.extend(other.extras)

    def prf(self, fact_type: str | None = None) -> tuple[float, float, float]:
        pick = (lambda c: c[fact_type]) if fact_type else (lambda c: sum(c.values()))
        tp, fp, fn = pick(self.tp), pick(self.fp), pick(self.fn)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def amounts_prf(self) -> tuple[float, float, float] | None:
        """Amount mentions (MONEY, QUANTITY, COUNT) as a multiset of (value, unit)."""
        tp, fp, fn = self.amounts["tp"], self.amounts["fp"], self.amounts["fn"]
        if not tp + fp + fn:
            return None
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def accuracy(self, name: str) -> float | None:
        values = self.fields.get(name) or []
        return sum(values) / len(values) if values else None

    def types(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def compare(gold_facts: list[dict], predicted: list[dict], article: str = "") -> Score:
    """Match predictions to gold facts and count; both are contract-shaped dicts."""
    score = Score()
    unmatched = list(range(len(predicted)))
    for gold in gold_facts:
        candidates = [i for i in unmatched if _candidate(gold, predicted[i])]
        gold_type = first(gold["type"])
        if not candidates:
            score.fn[gold_type] += 1
            score.misses.append((article, gold))
            continue
        agreeing = [
            i
            for i in candidates
            if _same_org(gold.get("counterparty"), predicted[i].get("counterparty"))
        ]
        chosen = (agreeing or candidates)[0]
        unmatched.remove(chosen)
        score.tp[gold_type] += 1
        for name in FIELDS:
            score.fields[name].append(field_agrees(name, gold, predicted[chosen]))
    for i in unmatched:
        score.fp[predicted[i]["type"]] += 1
        score.extras.append((article, predicted[i]))
    return score


AMOUNT_LABELS = ("MONEY", "QUANTITY", "COUNT")


def compare_amounts(gold: list[dict], predicted: list[dict], article: str = "") -> Score:
    """Amount mentions as a multiset of (value, unit), values within 0.1 %."""
    score = Score()
    wanted = [
        (e["quantity"]["value"], e["quantity"]["unit"]) for e in gold if e["label"] in AMOUNT_LABELS
    ]
    found = [
        (e["quantity"]["value"], e["quantity"]["unit"])
        for e in predicted
        if e["label"] in AMOUNT_LABELS
    ]
    for value, unit in wanted:
        match = next((f for f in found if f[1] == unit and _close(value, f[0])), None)
        if match is None:
            score.amounts["fn"] += 1
            score.amount_errors.append((article, "miss", (value, unit)))
        else:
            found.remove(match)
            score.amounts["tp"] += 1
    score.amounts["fp"] += len(found)
    score.amount_errors.extend((article, "extra", f) for f in found)
    return score


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def gold_files(corpus: Path) -> dict[str, list[Path]]:
    """Gold files per split: dev/, heldout/ (or the folder itself)."""
    splits = {}
    for split in ("dev", "heldout"):
        files = sorted((corpus / split).glob("*.gold.json"))
        if files:
            splits[split] = files
    if not splits:
        splits[corpus.name] = sorted(corpus.glob("*.gold.json"))
    return splits


# predict(text, published, article_id) -> {"facts": [...], "entities": [...] (optional)}
Predictor = Callable[[str, "str | None", str], dict]


def evaluate_corpus(corpus: Path, predict: Predictor) -> dict[str, Score]:
    """Score `predict(text, published, article_id) -> facts` over every gold file, per split."""
    results = {}
    for split, files in gold_files(corpus).items():
        total = Score()
        for path in files:
            gold = load_gold(path)
            text = path.with_name(path.name.replace(".gold.json", ".txt")).read_text(
                encoding="utf-8"
            )
            article = path.name.removesuffix(".gold.json")
            predicted = predict(text, gold.get("published"), article)
            one = compare(gold["facts"], predicted["facts"], article)
            if "entities" in gold and "entities" in predicted:
                one.add(compare_amounts(gold["entities"], predicted["entities"], article))
            total.add(one)
            total.by_article[article] = one
        results[split] = total
    return results


def preferred(facts: Iterable[dict]) -> list[dict]:
    """A labelling read as predictions: each listed field takes its first (preferred) value."""
    out = []
    for fact in facts:
        fact = {k: first(v) for k, v in fact.items()}
        fact["quantity"] = {k: first(v) for k, v in fact["quantity"].items()}
        fact["attributes"] = {k: first(v) for k, v in (fact.get("attributes") or {}).items()}
        out.append(fact)
    return out


def labelling(folder: Path) -> Predictor:
    """A second labelling (folder/NN-slug.json) as a predictor: agreement with the gold."""

    def predict(text: str, published: str | None, article: str) -> list[dict]:
        path = folder / f"{article}.json"
        return {"facts": preferred(load_gold(path)["facts"]) if path.exists() else []}

    return predict


def missed_thresholds(results: dict[str, Score], wanted: dict[str, dict[str, float]]) -> list[str]:
    """Thresholds not met: {split: {"facts_f1": 0.95, "field_status": 0.9, "f1_revenue": 0.8}}."""
    failures = []
    articles = {k: v for score in results.values() for k, v in score.by_article.items()}
    for split, minimums in wanted.items():
        score = (
            articles.get(split.removeprefix("article:")) if split.startswith("article:") else None
        )
        score = score or results.get(split)
        if score is None:
            failures.append(f"{split}: no such split")
            continue
        for name, minimum in minimums.items():
            if name == "facts_f1":
                value = score.prf()[2]
            elif name.startswith("f1_"):
                value = score.prf(name[3:])[2]
            elif name == "amounts_f1":
                value = (score.amounts_prf() or (0.0, 0.0, 0.0))[2]
            elif name.startswith("field_"):
                value = score.accuracy(name[6:]) or 0.0
            else:
                failures.append(f"{split}: unknown threshold {name}")
                continue
            if value < minimum:
                failures.append(f"{split}: {name} {value:.3f} < {minimum}")
    return failures


def format_report(results: dict[str, Score], show_errors: bool = False) -> str:
    """The table printed by `finfacts evaluate` and `make test`."""
    lines = []
    for split, score in results.items():
        p, r, f = score.prf()
        tp, fp, fn = (sum(c.values()) for c in (score.tp, score.fp, score.fn))
        counts = f"(tp {tp}, fp {fp}, fn {fn})"
        lines.append(f"== {split}: facts P {p:.3f}  R {r:.3f}  F1 {f:.3f}  {counts}")
        lines.append(f"   {'type':15} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for fact_type in score.types():
            p, r, f = score.prf(fact_type)
            lines.append(
                f"   {fact_type:15} {p:6.3f} {r:6.3f} {f:6.3f} {score.tp[fact_type]:4d} "
                f"{score.fp[fact_type]:4d} {score.fn[fact_type]:4d}"
            )
        accuracies = [(n, score.accuracy(n)) for n in FIELDS]
        lines.append(
            "   field accuracy: "
            + ", ".join(f"{n} {a:.2f}" if a is not None else f"{n} -" for n, a in accuracies)
        )
        amounts = score.amounts_prf()
        if amounts is not None:
            a = score.amounts
            lines.append(
                f"   amounts: P {amounts[0]:.3f}  R {amounts[1]:.3f}  F1 {amounts[2]:.3f}  "
                f"(tp {a['tp']}, fp {a['fp']}, fn {a['fn']})"
            )
        if show_errors:
            for article, kind, key in score.amount_errors:
                lines.append(f"   amount {kind:5} {article}: {key[0]:g} {key[1]}")
            for article, fact in score.misses:
                lines.append(f"   miss  {article}: {_brief(fact)}")
            for article, fact in score.extras:
                lines.append(f"   extra {article}: {_brief(fact)}")
    return "\n".join(lines)


def _brief(fact: dict) -> str:
    q = fact["quantity"]
    who = f"{first(fact['subject'])} -> {first(fact.get('counterparty'))}"
    return f"{first(fact['type'])} {who} {first(q['value'])} {first(q['unit'])}"
