"""The README's demo command (its quickstart example runs in tests/test_docs_examples.py, as every example does)."""

from __future__ import annotations

import pytest


def test_demo_runs_and_finds_what_it_prints() -> None:
    from mock_customer_profiles._demo import run

    lines: list[str] = []
    counts = run(lines.append)
    assert counts == {"or": 7, "and": 1, "paginated": 8, "pages": 2}
    assert lines[0].startswith("Seeded domain 'demo-contact-centre' with 37 profiles")


def test_demo_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from mock_customer_profiles.__main__ import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "2. AND search: _fullName = Ana Silva" in out
    assert out.rstrip().endswith("8 profiles in 2 pages. No request left the process.")
