"""Pure functions and scanners, no spaCy: numbers, money, units, counts, dates."""
