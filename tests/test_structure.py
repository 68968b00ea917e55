"""One home for each shared bit of the package, so that a change lands everywhere at once: the docs links
that messages print, the "did you mean" of a near-miss name, the tag limit, the ARN format of the service's
resources and the default list page."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mock_customer_profiles"


def _sources() -> dict[str, str]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}


def _homes(pattern: str) -> list[str]:
    found = re.compile(pattern, re.MULTILINE)
    return sorted(name for name, text in _sources().items() if found.search(text))


def test_docs_links_live_in_one_module() -> None:
    assert _homes(r"^README_\w+ = ") == ["_links.py"]


def test_one_did_you_mean() -> None:
    assert _homes(r"get_close_matches") == ["_words.py"]


def test_one_tag_limit_and_one_default_page() -> None:
    assert _homes(r"^MAX_TAGS = ") == ["_tags.py"]
    assert _homes(r"tags; at most") == ["_tags.py"]
    assert _homes(r"^LIST_DEFAULT_PAGE = ") == ["_paging.py"]


def test_one_arn_format_for_the_services_resources() -> None:
    """Every ``arn:...:profile:...`` the mock answers (and TagResource resolves) is built in ``_tags``."""
    assert _homes(r":profile:") == ["_tags.py"]
