"""The README's feature sections hold runnable examples: each section's python blocks are run as a
user's test file (with its json block as ``seed.json`` beside it), and every README link that a
message of the mock points at names a heading that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_customer_profiles import _words

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = [
    "Async clients",
    "Seeding",
    "Inspecting calls",
    "Injecting errors",
    "Transport faults and instant retries",
    "Isolation",
    "Coexistence with moto and requests",
    "Teardown checks",
    "Server mode",
]


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _section(heading: str) -> str:
    found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", _text(), re.MULTILINE | re.DOTALL)
    assert found is not None, f"README.md has no section '## {heading}'"
    return found.group(1)


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", section, re.MULTILINE | re.DOTALL)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# What a section's examples import beyond the test extra (they skip where it is not installed).
NEEDS = {"Async clients": ("aioboto3", "aiobotocore", "anyio", "pytest_asyncio")}


@pytest.mark.parametrize("heading", SECTIONS)
def test_the_examples_of_a_section_run(user_project: pytest.Pytester, heading: str) -> None:
    for module in NEEDS.get(heading, ()):
        pytest.importorskip(module, reason=f"the examples of '## {heading}' need {module}")
    section = _section(heading)
    code = "\n\n".join(_blocks(section, "python"))
    tests = len(re.findall(r"^\s*(?:async )?def test_", code, re.MULTILINE))
    assert tests > 0, f"'## {heading}' has no runnable example"
    for seed in _blocks(section, "json"):
        user_project.makefile(".json", seed=seed)
    user_project.makepyfile(**{f"test_readme_{_anchor(heading).replace('-', '_')}": code})
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=tests)


def test_every_readme_link_of_a_message_names_a_heading() -> None:
    anchors = {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", _text(), re.MULTILINE)}
    links = [value for name, value in vars(_words).items() if name.startswith("README_")]
    assert len(links) == 9
    for link in links:
        assert link.split("#")[1] in anchors, link
