"""The CI matrix, one command each (``pip install nox``, then ``nox`` runs all three, ``nox -s oldest`` one):

- ``tests``: the newest of everything, the whole suite (what ``.ci/run`` runs in its own environment);
- ``oldest``: the oldest botocore that ``pyproject.toml`` allows (1.34.0), with the aioboto3 and
  aiobotocore releases that pin it (aioboto3 12.3 pins aiobotocore 2.11, which allows botocore up to
  1.34.22): the whole suite on the oldest service model, plus the async door on the oldest aiobotocore;
- ``aio``: the newest aiobotocore, with the older botocore it pins (aioboto3 lags behind it and is left
  out; its tests skip), running the suites an async client changes: every both-doors suite, through
  the hook, the server and the aiobotocore client, and the fault, retry and async tests.

The extra sessions leave out what they cannot run or what holds only for the newest botocore: the SDK
clients of server mode (the AWS CLI pins its own botocore), the fuzzing of ``tests/robust`` (the newest
model is the one with the most operations to fuzz), the codec's property tests against botocore's own
serializer, and the docs (but for the async page). Tests of operations or members that the older model
lacks are reported skipped there, with what is missing (``tests/conftest.py``, ``tests/model_support.py``).
"""

from __future__ import annotations

from pathlib import Path

import nox
import tomllib

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "oldest", "aio"]

PYPROJECT = tomllib.loads(Path(__file__).with_name("pyproject.toml").read_text())
TEST_EXTRA = PYPROJECT["project"]["optional-dependencies"]["test"]

OLDEST = ["botocore==1.34.0", "boto3==1.34.0", "aioboto3==12.3.0"]
NEWEST_AIO = ["aiobotocore"]  # the newest release, which pins its botocore

# Tests of operations or members that the older model lacks skip there (tests/conftest.py).
OLDER = {"MOCK_CUSTOMER_PROFILES_OLDER_BOTOCORE": "1"}
# Suites left out of the older sessions (see the module docstring): the SDK clients of server mode, the fuzzing,
# the codec's property tests against botocore's own serializer (an older one drops a timestamp's microseconds
# and sends a boolean header as "False": its requests, not the mock, differ) and the docs, checked against the
# newest (but for the async page, whose examples need aioboto3: run apart below).
NEWEST_ONLY = [
    "--ignore=tests/test_server_clients.py",
    "--ignore=tests/robust",
    "--ignore=tests/test_codec_roundtrip.py",
    "--ignore=tests/test_codec_synthetic.py",
    "--ignore=tests/test_docs_examples.py",
    "--ignore=tests/test_docs_coverage.py",
]
ASYNC_PAGE = ["tests/test_docs_examples.py", "-k", "async"]
# The suites an async client changes (the aio session).
ASYNC_SUITES = [
    "tests/test_async.py",
    "tests/test_faults.py",
    "tests/test_retries.py",
    "tests/test_calls.py",
    "tests/test_search.py",
    "tests/test_profiles.py",
    "tests/test_objects.py",
    "tests/test_dataplane_outputs.py",
    "tests/test_keys.py",
    "tests/test_merge.py",
    "tests/test_domains.py",
]


def _test_dependencies() -> list[str]:
    """The test extra without the AWS CLI, which pins the newest botocore (its tests are left out)."""
    return [requirement for requirement in TEST_EXTRA if not requirement.startswith("awscli")]


@nox.session
def tests(session: nox.Session) -> None:
    """The newest of everything: the whole suite."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-n", "auto", *session.posargs)


@nox.session
def oldest(session: nox.Session) -> None:
    """botocore 1.34.0, aiobotocore 2.11, aioboto3 12.3: the whole suite but the version-independent parts."""
    session.install("-e", ".", *_test_dependencies(), *OLDEST)
    session.run(
        "python",
        "-m",
        "pytest",
        "-n",
        "auto",
        "-p",
        "no:randomly",
        *NEWEST_ONLY,
        *session.posargs,
        env=OLDER,
    )
    session.run("python", "-m", "pytest", "-p", "no:randomly", *ASYNC_PAGE, *session.posargs, env=OLDER)


@nox.session
def aio(session: nox.Session) -> None:
    """The newest aiobotocore and the botocore it pins: the suites an async client changes."""
    session.install("-e", ".", *_test_dependencies(), *NEWEST_AIO)
    session.run("python", "-m", "pytest", "-n", "auto", "-p", "no:randomly", *ASYNC_SUITES, *session.posargs, env=OLDER)
