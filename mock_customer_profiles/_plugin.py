"""The pytest plugin (entry point ``pytest11``): the ``customer_profiles_mock`` fixture and marker.

At teardown the fixture checks, unless switched off (marker keyword or ini option of the same name):

- ``check_unused_errors``: every error queued with ``add_error`` was used at least once (skipped when
  the test failed anyway: an error it never reached is no news);
- ``check_unimplemented``: no call of an unimplemented operation was swallowed by the code under test
  (its ``NotImplementedOperation`` neither reached pytest nor was caught by ``pytest.raises``);

and always: no ``UnansweredCall`` (a call that tried to leave the process) was swallowed.

It also makes every activation style cover a test's whole set-up and tear-down: the decorator's mock of a
decorated test (function or class) and the fixture's mock start first among the test's function-scoped
fixtures, and a decorated class's class-level set-up runs in a mock of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from mock_customer_profiles import _activation
from mock_customer_profiles._links import README_LEAKS, README_MARKER, README_TEARDOWN
from mock_customer_profiles._words import PREFIX, bullets, call_text, plural

if TYPE_CHECKING:
    from mock_customer_profiles._mock import CustomerProfilesMock

MARKER = "customer_profiles_mock"
CHECKS = ("check_unused_errors", "check_unimplemented")
_INI_HELP = {
    "check_unused_errors": "fail a test at teardown when an error queued with add_error() was never used",
    "check_unimplemented": "fail a test at teardown when the code under test swallowed a NotImplementedOperation",
}
_RAISED = pytest.StashKey[list[BaseException]]()
_FAILED = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    for check in CHECKS:
        parser.addini(f"{MARKER}_{check}", _INI_HELP[check] + " (default: true)", type="bool", default=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): activate the Customer Profiles mock for this test with these options "
        "(the same keywords as mock_customer_profiles(...)), plus seed= (a seed document, a path relative to "
        "the test file) and the teardown switches check_unused_errors= and check_unimplemented=.",
    )


def _marker_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # closest marker wins
        if marker.args:
            raise TypeError(f"{PREFIX} @pytest.mark.{MARKER} takes keyword options only (see {README_MARKER}).")
        settings.update(marker.kwargs)
    from mock_customer_profiles._options import Options

    Options.from_kwargs(settings, also_known=("seed", *CHECKS))  # unknown keywords fail here, all named
    return settings


@pytest.fixture
def customer_profiles_mock(request: pytest.FixtureRequest) -> Iterator[CustomerProfilesMock]:
    """An active mock for this test (options from ``@pytest.mark.customer_profiles_mock(...)``).

    On a test that ``@mock_customer_profiles`` decorates too, it is the decorator's mock (one mock per
    test), unless the marker asks for other options: then the test fails at set-up, naming both."""
    from mock_customer_profiles._mock import CustomerProfilesMock

    template = _template(request)
    try:
        settings = _marker_settings(request)
        checks = {check: settings.pop(check, request.config.getini(f"{MARKER}_{check}")) for check in CHECKS}
        if "seed" in settings:  # a relative path is relative to the test file (it names it), as everywhere
            from mock_customer_profiles import _seed

            settings["seed"] = _seed.read(settings["seed"], str(request.path))
        mock = CustomerProfilesMock(**settings)
        if template is not None:
            _same_mock(template, mock, settings, request)
            mock = template.fresh()
    except (TypeError, ValueError) as error:  # a bad marker or seed: the message says it all
        problem = str(error)
    else:
        problem = ""
    if problem:
        pytest.fail(problem, pytrace=False)
    with _held_for_test(mock):
        yield mock
    problems = teardown_problems(mock, request.node, **checks)
    request.node.stash[_RAISED] = []  # the exceptions (and their frames) are not kept past the test
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def _template(request: pytest.FixtureRequest) -> CustomerProfilesMock | None:
    """The mock ``@mock_customer_profiles`` gives this test (on its function or its class), if any."""
    from mock_customer_profiles._mock import template_of

    return template_of(getattr(request.node, "obj", None), getattr(request.node, "cls", None))


def _same_mock(
    template: CustomerProfilesMock,
    marked: CustomerProfilesMock,
    settings: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    """The decorator and the fixture share one mock; a marker that asks for another one is an error."""
    if not settings or (marked.options == template.options and marked.seed == template.seed):
        return
    raise TypeError(
        f"{PREFIX} {request.node.name} is activated twice, with different options: by @mock_customer_profiles "
        f"and by the customer_profiles_mock fixture of @pytest.mark.{MARKER}(...) (see {README_MARKER}):\n"
        + bullets(
            [
                f"decorator: {_options_text(template)}",
                f"marker: {_options_text(marked)}",
                "keep one: drop the decorator (the marker's options then apply), or drop the marker's options "
                "(the fixture then shares the decorator's mock)",
            ]
        )
    )


def _options_text(mock: CustomerProfilesMock) -> str:
    from dataclasses import asdict

    from mock_customer_profiles._options import Options

    default = asdict(Options())
    words = [f"{name}={value!r}" for name, value in asdict(mock.options).items() if default[name] != value]
    if mock.seed is not None:
        words.append(f"seed={mock.seed.source.strip() or '(a mapping)'}")
    return ", ".join(words) or "the defaults"


@contextlib.contextmanager
def _held_for_test(mock: CustomerProfilesMock) -> Iterator[CustomerProfilesMock]:
    """``mock`` active for the running test, and held, so that a decorated test method, ``setUp`` or
    ``setup_method`` runs inside it rather than starting a second mock."""
    mock.start()
    _activation.hold(_activation.TEST, mock)
    try:
        yield mock
    finally:
        _activation.release(_activation.TEST)
        mock.stop()


@pytest.fixture(autouse=True)
def _customer_profiles_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """The first function-scoped set-up of every test: pytest runs autouse fixtures first within their scope
    (https://docs.pytest.org/en/stable/reference/fixtures.html#autouse-fixtures-are-executed-first-within-their-scope),
    a plugin's before any conftest's or class's (tests/test_leaks.py checks it on the pytest installed):
    a test that the marker or the fixture asks for, or that ``@mock_customer_profiles`` decorates (its
    function or its class), gets its mock here, so that everything the test's set-up and tear-down do
    (``setup_method``, ``setUp``, the class's fixtures, autouse ones included) happens inside it."""
    template = _template(request)
    if request.node.get_closest_marker(MARKER) is not None or (
        template is not None and "customer_profiles_mock" in request.fixturenames
    ):
        request.getfixturevalue("customer_profiles_mock")
        yield
    elif template is not None:
        with _held_for_test(template.fresh()):
            yield
    else:
        yield


@pytest.fixture(scope="class", autouse=True)
def _customer_profiles_class(request: pytest.FixtureRequest) -> Iterator[None]:
    """Class-level set-up and tear-down of a decorated class (``setup_class``, ``setUpClass``,
    class-scoped fixtures) run in a mock of their own: answered, never sent anywhere, and not seen by the
    tests, each of which starts from an empty mock."""
    from mock_customer_profiles._mock import template_of

    cls = getattr(request.node, "cls", None) or getattr(request, "cls", None)
    template = template_of(None, cls)
    if template is None or cls is None:
        yield
        return
    mock = template.fresh().start()
    _activation.hold(cls, mock)
    try:
        yield
    finally:
        _activation.release(cls)
        mock.stop()


def teardown_problems(
    mock: CustomerProfilesMock, item: pytest.Item, check_unused_errors: bool, check_unimplemented: bool
) -> list[str]:
    problems: list[str] = []
    if check_unused_errors and not item.stash.get(_FAILED, False):
        unused = [injected for injected in mock.injected_errors if injected.used == 0]
        if unused:
            problems.append(
                f"{PREFIX} {plural(len(unused), 'injected error was', 'injected errors were')} never used "
                f"(see {README_TEARDOWN}):\n" + bullets(str(injected) for injected in unused)
            )
    raised = item.stash.get(_RAISED, [])

    def swallowed(error: BaseException | None) -> bool:
        return not any(error is seen for seen in raised) and not _caught_by_pytest_raises(error)

    unseen = [error for error in mock.unanswered if swallowed(error)]
    if unseen:  # always checked: the code under test swallowed an attempt to reach AWS
        problems.append(
            f"{PREFIX} the code under test swallowed the UnansweredCall of "
            f"{plural(len(unseen), 'Customer Profiles call')} that the mock could not answer; "
            f"none was sent (see {README_LEAKS}):\n" + bullets(f"{error.method} {error.url}" for error in unseen)
        )
    if check_unimplemented:
        lost = [call for call in mock.unimplemented_calls if swallowed(call.error)]
        if lost:
            problems.append(
                f"{PREFIX} the code under test swallowed the NotImplementedOperation of "
                f"{plural(len(lost), 'call')} to an operation the mock does not implement "
                f"(see {README_TEARDOWN}):\n" + bullets(call_text(call.operation, call.params) for call in lost)
            )
    return problems


def _caught_by_pytest_raises(error: BaseException | None) -> bool:
    """Whether ``pytest.raises`` (or unittest's ``assertRaises``) caught ``error``: the test expected it, so
    nothing swallowed it.

    An exception's traceback starts at the frame that caught it. ``pytest.raises(callable, ...)`` catches in
    pytest's own code; ``with pytest.raises(...):`` in the frame that holds the ``with``, so the innermost
    ``with`` or ``try`` around the line the exception passed there is read from the source. A ``try`` that
    swallows it (in the code under test or in the test itself) does not count."""
    if error is None:
        return False
    traceback = error.__traceback__
    if traceback is None:  # raised, then stripped: unittest's assertRaises keeps the exception "without traceback"
        return True
    frame = traceback.tb_frame
    if str(frame.f_globals.get("__name__", "")).startswith(("_pytest.", "unittest.")):
        return True  # pytest.raises(callable, ...), self.assertRaises(exception, callable, ...)
    return _innermost_handler_is_raises(frame.f_code, traceback.tb_lineno)


def _innermost_handler_is_raises(code: Any, line: int) -> bool:
    import ast
    import inspect
    import textwrap

    try:
        lines, first = inspect.getsourcelines(code)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return False
    line -= max(first, 1) - 1
    innermost: ast.AST | None = None
    for node in ast.walk(tree):
        if (
            isinstance(node, (ast.With, ast.AsyncWith, ast.Try))
            and node.body[0].lineno <= line <= (node.body[-1].end_lineno or node.body[-1].lineno)
            and (innermost is None or node.lineno >= getattr(innermost, "lineno", 0))
        ):
            innermost = node
    return isinstance(innermost, (ast.With, ast.AsyncWith)) and any(
        "raises" in ast.unparse(item.context_expr).lower()
        for item in innermost.items  # also assertRaises
    )


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """``error``, its causes and contexts, and the members of exception groups."""
    seen: set[int] = set()
    stack = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend([current.__cause__, current.__context__])
        stack.extend(getattr(current, "exceptions", ()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Remember what reached pytest in setup and call, for the fixture's teardown checks."""
    outcome: Any = yield
    if call.when in ("setup", "call") and "customer_profiles_mock" in getattr(item, "fixturenames", ()):
        if call.excinfo is not None:
            item.stash.setdefault(_RAISED, []).extend(_chain(call.excinfo.value))
        if outcome.get_result().failed:
            item.stash[_FAILED] = True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test with the marker gets the fixture without asking for it (``_customer_profiles_test`` sets it
    up first among the test's function-scoped fixtures)."""
    for item in items:
        if item.get_closest_marker(MARKER) is not None:
            fixturenames = getattr(item, "fixturenames", None)
            if fixturenames is not None and "customer_profiles_mock" not in fixturenames:
                fixturenames.append("customer_profiles_mock")
