"""Every example of the documentation runs, and every link into it lands.

Convention (docs/index.md, "Writing the docs"): each ```` ```python ```` block of README.md and of a page under
docs/ is a complete pytest file of its own and must pass as-is; a ```` ```json title="NAME" ```` block of the same
page is written beside it as the file NAME; blocks fenced ```` ```text ```` (and the other languages) never run.

The blocks of a page run together, one file per block, in one in-process pytest run in a fresh directory,
and the outcome is judged file by file, so a failure names the page and line of its block.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

import mock_customer_profiles
from mock_customer_profiles import _links

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
# Fenced blocks may sit indented inside a list item; the closing fence has the opening one's indent.
FENCE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.MULTILINE | re.DOTALL
)
RUN = {"python", "json"}
NEVER_RUN = {"text", "bash", "toml", "js", "yaml", "ini"}
TEST_FUNCTION = re.compile(r"^\s*(?:async\s+)?def test_", re.MULTILINE)
MOVED = (
    "README.md's sections are now docs/activation.md (activation, pytest fixture and marker, isolation, "
    "coexistence, teardown checks), docs/seeding.md, docs/calls.md, docs/faults.md, docs/server.md, "
    "docs/behaviour.md (options, validation, what the mock simplifies), docs/families/*.md (the operations), "
    "docs/performance.md, docs/guarantees.md, docs/architecture.md; a heading keeps its anchor there, "
    "e.g. README.md#seeding is docs/seeding.md#seeding"
)


@dataclass(frozen=True)
class Block:
    page: str  # relative to the repository root
    line: int  # of the opening fence
    language: str
    title: str | None
    code: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        info = match["info"].strip()
        language, _, rest = info.partition(" ")
        title = re.search(r'title="([^"]+)"', rest)
        indent = len(match["indent"])
        code = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(_rel(path), line, language, title[1] if title else None, code))
    return found


ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]
PAGES_WITH_EXAMPLES = sorted({block.page for block in ALL_BLOCKS if block.language == "python"})


def test_the_collector_finds_the_examples() -> None:
    assert "README.md" in PAGES_WITH_EXAMPLES
    assert any(block.language == "json" and block.title == "seed.json" for block in ALL_BLOCKS)
    assert any(block.language == "text" and block.line > 0 and block.page.startswith("docs/") for block in ALL_BLOCKS)


def test_every_block_names_its_language() -> None:
    unknown = [f"{block}: ```{block.language}" for block in ALL_BLOCKS if block.language not in RUN | NEVER_RUN]
    assert not unknown, (
        "blocks must be fenced ```python (runs), ```json (a file beside the examples, with title=...) or one of "
        f"{sorted(NEVER_RUN)} (never runs):\n" + "\n".join(unknown)
    )


def test_every_python_block_is_a_test_file() -> None:
    without = [
        str(block) for block in ALL_BLOCKS if block.language == "python" and not TEST_FUNCTION.search(block.code)
    ]
    assert not without, (
        "each ```python block is a pytest file with at least one test function (fence fragments as ```text):\n"
        + "\n".join(without)
    )


def test_json_files_of_a_page_have_distinct_titles() -> None:
    seen: dict[tuple[str, str], Block] = {}
    for block in ALL_BLOCKS:
        if block.language == "json" and block.title is not None:
            first = seen.setdefault((block.page, block.title), block)
            assert first is block, f"{block}: {block.title} is already written by the block at {first}"


def _file_stem(block: Block) -> str:
    return "test_" + re.sub(r"\W+", "_", block.page.removesuffix(".md")).strip("_").lower() + f"_line{block.line}"


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_the_examples_of_a_page_run(user_project: pytest.Pytester, page: str) -> None:
    here = user_project.path / re.sub(r"\W+", "_", page)
    here.mkdir()
    mine = [block for block in ALL_BLOCKS if block.page == page]
    for block in mine:
        if block.language == "json" and block.title is not None:
            (here / block.title).write_text(block.code, encoding="utf-8")
    files = {}
    for block in mine:
        if block.language == "python":
            stem = _file_stem(block)
            (here / f"{stem}.py").write_text(block.code, encoding="utf-8")
            files[stem] = block

    # One block that does not import must not stop the others: each is judged on its own.
    recorder = user_project.inline_run(
        "-p", "no:randomly", "-p", "no:cacheprovider", "--continue-on-collection-errors", str(here)
    )
    outcomes: dict[str, dict[str, list[str]]] = {stem: {"passed": [], "skipped": [], "failed": []} for stem in files}
    problems = []
    for report in recorder.getreports("pytest_collectreport"):
        if report.failed:
            stem = Path(report.nodeid.split("::")[0]).stem
            outcomes[stem]["failed"].append(f"does not import or collect:\n{report.longreprtext}")
    for report in recorder.getreports("pytest_runtest_logreport"):
        stem = Path(report.nodeid.split("::")[0]).stem
        if report.failed:
            outcomes[stem]["failed"].append(f"{report.nodeid} ({report.when}):\n{report.longreprtext}")
        elif report.when == "call" or report.skipped:
            outcomes[stem]["passed" if report.passed else "skipped"].append(report.nodeid)
    for stem, block in files.items():
        outcome = outcomes[stem]
        problems += [f"{block}: {failure}" for failure in outcome["failed"]]
        if not outcome["passed"] and not outcome["skipped"] and not outcome["failed"]:
            problems.append(f"{block}: no test ran")
    assert not problems, "examples that do not pass as-is:\n\n" + "\n\n".join(problems)


# ------------------------------------------------------------------------------------------------- links


def slug(heading: str) -> str:
    """The anchor MkDocs gives a heading (Python-Markdown's toc slugify on the heading's text)."""
    explicit = re.search(r"\{\s*#([\w-]+)[^}]*\}\s*$", heading)
    if explicit:
        return explicit[1]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(heading) for heading in re.findall(r"^#{1,6} (.+?)\s*#*$", text, re.MULTILINE)}


def check_link(target: str, source: Path) -> str | None:
    """None when ``target`` (``page.md``, ``page.md#anchor`` or ``#anchor``), a link of the file ``source``, lands;
    else why not."""
    page, _, anchor = target.partition("#")
    path = (source.parent / page).resolve() if page else source
    if not path.is_file():
        return f"{target}: no file {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
    if anchor and anchor not in anchors(path):
        return f"{target}: {_rel(path)} has no heading with the anchor #{anchor}"
    return None


MESSAGE_MODULES = [_links]


def message_links() -> dict[str, str]:
    return {
        f"{module.__name__}.{name}": value
        for module in MESSAGE_MODULES
        for name, value in vars(module).items()
        if name.startswith(("README_", "DOCS_")) and isinstance(value, str)
    }


def test_every_link_of_a_message_names_a_page_and_an_anchor_that_exist() -> None:
    links = message_links()
    assert links
    broken = [
        f"{name} = {link!r}: {why}" for name, link in links.items() if (why := check_link(link, ROOT / "README.md"))
    ]  # messages name paths from the root
    assert not broken, "\n".join(broken) + f"\n({MOVED})"
    for link in links.values():
        assert re.fullmatch(r"docs/[\w/-]+\.md#[\w-]+", link), f"{link}: messages point at docs/<page>.md#<anchor>"
        # Readers follow these on GitHub too, whose anchors differ from MkDocs' for some headings.
        page, anchor = link.split("#")
        text = FENCE.sub("", (ROOT / page).read_text(encoding="utf-8"))
        github = {github_slug(heading) for heading in re.findall(r"^#{1,6} (.+?)\s*$", text, re.MULTILINE)}
        assert anchor in github, f"{link}: GitHub gives this heading another anchor"


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but hyphens dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_every_link_constant_is_used() -> None:
    package = Path(mock_customer_profiles.__file__).parent
    sources = {path: path.read_text(encoding="utf-8") for path in package.rglob("*.py")}
    for qualified in message_links():
        module, name = qualified.rsplit(".", 1)
        defined_in = package / (module.split(".")[-1] + ".py")
        users = [path for path, text in sources.items() if re.search(rf"\b{name}\b", text) and path != defined_in]
        own = len(re.findall(rf"\b{name}\b", sources[defined_in]))
        assert users or own > 1, f"{qualified} is used by no message"


LINK = re.compile(r"\]\((?!https?://|mailto:)([^)\s]+?)\)")


@pytest.mark.parametrize("page", [_rel(page) for page in PAGES])
def test_every_relative_link_of_a_page_lands(page: str) -> None:
    path = ROOT / page
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    broken = [why for target in LINK.findall(text) if (why := check_link(target, path))]
    assert not broken, f"{page}:\n" + "\n".join(broken)


def test_every_docs_path_the_package_names_lands() -> None:
    """Paths to the docs written into the package's code (messages, docstrings, the seed schema), constants
    or not: each names a page, and an anchor of it, that exist."""
    package = Path(mock_customer_profiles.__file__).parent
    broken = []
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json")]):
        for target in re.findall(
            r"\b((?:docs/[\w/.-]+?\.md|README\.md)(?:#[\w-]+)?)", path.read_text(encoding="utf-8")
        ):
            if why := check_link(target, ROOT / "README.md"):
                broken.append(f"{_rel(path)}: {why}")
    assert not broken, "\n".join(broken) + f"\n(the manual moved from README.md to docs/: {MOVED})"


def test_the_readme_stays_the_front_door() -> None:
    """What it is, the quickstart, the four ways to activate it, the map of the docs, the development
    commands: a new feature gets a page under docs/ (and a line in the map), not a README section."""
    text = FENCE.sub("", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert re.findall(r"^#{2,6} (.+)$", text, re.MULTILINE) == [
        "Quickstart",
        "Four ways to activate it",
        "Documentation",
        "Development",
    ], f"the README keeps its four sections; move other sections to their page under docs/ ({MOVED})"
    linked = set(re.findall(r"\]\(docs/([\w/-]+\.md)", text))
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert pages <= linked, f"the README's map of the docs leaves out {sorted(pages - linked)}"
