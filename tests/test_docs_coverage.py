"""The docs agree with the code: docs/coverage.md with the handlers (and every implemented operation has a page
that names it), the options table of docs/behaviour.md with the mock's options."""

from __future__ import annotations

import re
import sys
from dataclasses import fields

import pytest

from mock_customer_profiles import _coverage
from mock_customer_profiles._handlers import HANDLERS
from mock_customer_profiles._model import operation_names
from mock_customer_profiles._options import Options

REGENERATE = "regenerate it with: python -m mock_customer_profiles._coverage"


def _page() -> str:
    return _coverage.PAGE.read_text(encoding="utf-8")


def _rows(text: str) -> dict[str, str]:
    """operation -> its 'implemented' cell, from the page's table."""
    return dict(re.findall(r"^\| `(\w+)` \| (yes|-) \|", text, re.MULTILINE))


def test_the_page_is_current() -> None:
    page = _page()
    stated = re.search(r"model in botocore (\S+)\.", page)
    assert stated is not None, f"docs/coverage.md does not name its botocore version; {REGENERATE}"
    if stated[1] == _coverage.botocore_version():
        assert page == _coverage.render(), f"docs/coverage.md is out of date; {REGENERATE}"
    else:  # generated with another botocore: the operations both models have must agree
        rows = _rows(page)
        both = set(rows) & set(operation_names())
        implemented = {name for name in both if rows[name] == "yes"}
        assert implemented == set(HANDLERS) & both, f"docs/coverage.md disagrees with the handlers; {REGENERATE}"


def test_the_page_lists_every_operation_of_the_model_once() -> None:
    rows = re.findall(r"^\| `(\w+)` \|", _page(), re.MULTILINE)
    assert len(rows) == len(set(rows)), f"an operation is listed twice; {REGENERATE}"
    if re.search(r"model in botocore (\S+)\.", _page())[1] == _coverage.botocore_version():  # type: ignore[index]
        assert sorted(rows) == sorted(operation_names())


@pytest.mark.parametrize("operation", sorted(HANDLERS))
def test_an_implemented_operation_has_a_page_that_names_it(operation: str) -> None:
    module = HANDLERS[operation].__module__
    page = _coverage.docs_page(operation)
    assert page is not None, f'{module} declares no DOCS_PAGE = "families/<page>.md" (the page describing {operation})'
    path = _coverage.DOCS / page
    assert path.is_file(), f"{module}.DOCS_PAGE names docs/{page}, which does not exist"
    assert re.search(rf"\b{operation}\b", path.read_text(encoding="utf-8")), f"docs/{page} never names {operation}"


def test_the_command_writes_the_page(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "coverage.md"
    assert _coverage.main([str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert _rows(text) == {name: "yes" if name in HANDLERS else "-" for name in operation_names()}
    # the pages do not exist beside the target, so each implemented operation names its page by path
    assert "| `SearchProfiles` | yes | [families/search.md](families/search.md) |" in text
    assert sys.modules[HANDLERS["SearchProfiles"].__module__].DOCS_PAGE == "families/search.md"  # type: ignore[attr-defined]


def test_every_option_has_a_row_in_the_options_table() -> None:
    page = (_coverage.DOCS / "behaviour.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \|", page, re.MULTILINE))
    missing = [option.name for option in fields(Options) if option.name not in rows]
    assert not missing, f"docs/behaviour.md#options has no row for the option(s) {', '.join(missing)}"


def _a_handler_without_a_page(ctx: object, params: dict[str, object]) -> dict[str, object]:
    return {}


def test_a_handler_module_without_docs_page_shows_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(HANDLERS, "ListRecommenderRecipes", _a_handler_without_a_page)  # type: ignore[arg-type]
    assert _coverage.docs_page("ListRecommenderRecipes") is None
    assert "| `ListRecommenderRecipes` | yes | **no DOCS_PAGE declared** |" in _coverage.render()


def test_a_page_that_describes_operations_shows_them_in_a_runnable_example() -> None:
    pages = {page for operation in HANDLERS if (page := _coverage.docs_page(operation))}
    without = [
        page for page in sorted(pages) if "```python\n" not in (_coverage.DOCS / page).read_text(encoding="utf-8")
    ]
    assert not without, f"pages of implemented operations without a ```python example: {without}"
