"""Shared fixtures: the scanners built from rules/, the full pipeline built once."""

from __future__ import annotations

import pytest

from pipeline import nlp as nlp_module
from pipeline.components.amounts import default_scanner as amount_scanner
from pipeline.components.dates import default_scanner as date_scanner


@pytest.fixture(scope="session")
def amounts():
    return amount_scanner()


@pytest.fixture(scope="session")
def dates():
    return date_scanner()


@pytest.fixture(scope="session")
def nlp():
    return nlp_module.shared()


_PEER_RESULTS: dict[str, list[bool]] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "peers: other projects' cases run against our normaliser")


def pytest_runtest_logreport(report):
    """Count peer cases per source and group (xfails count as failures)."""
    if (
        report.when != "call"
        or "test_peers.py::test_peer_" not in report.nodeid
        or "[" not in report.nodeid
    ):
        return
    group = report.nodeid.split("::test_peer_")[1].split("[")[0]
    source = report.nodeid.split("[")[1].split(":")[0]
    passed = report.passed and not hasattr(report, "wasxfail")
    _PEER_RESULTS.setdefault(f"{group} ({source})", []).append(passed)


def pytest_terminal_summary(terminalreporter):
    if not _PEER_RESULTS:
        return
    terminalreporter.section("peer cases (other projects' tests of French amounts)")
    for key in sorted(_PEER_RESULTS):
        results = _PEER_RESULTS[key]
        rate = sum(results) / len(results)
        line = f"{key:32} {sum(results):4d}/{len(results):<4d} pass  {rate:6.1%}"
        terminalreporter.write_line(line)
