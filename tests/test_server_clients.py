"""Server mode from the outside: ``python -m mock_customer_profiles serve`` as a process, the real AWS CLI,
and the AWS SDK for JavaScript v3 (independent serializers: the proof that the wire format is the real one).
Every process talks to 127.0.0.1 only, with fake credentials."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from mock_customer_profiles import ServerThread
from mock_customer_profiles._handlers import HANDLERS

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "tests" / "node"
TIMEOUT = 60


@pytest.fixture
def fake_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a client process: no real AWS settings, fake credentials, no config files."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NODE_NO_WARNINGS="1",
    )
    return env


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


def http_client(url: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        "customer-profiles",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


# ------------------------------------------------------------------------------------- the serve command


class Served:
    """``python -m mock_customer_profiles serve --port 0 ...`` in a child process, its stdout read by a thread."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_customer_profiles", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._errors: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._read_errors, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _read_errors(self) -> None:  # werkzeug logs every request there: keep the pipe drained
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._errors.append(line)

    def line(self) -> str | None:
        return self.lines.get(timeout=TIMEOUT)

    def until(self, prefix: str) -> list[str]:
        """Lines up to and including the first that starts with ``prefix``."""
        seen: list[str] = []
        while True:
            line = self.line()
            if line is None:
                raise AssertionError(f"the server exited before printing {prefix!r}: {seen}\n{self.stderr()}")
            seen.append(line)
            if line.startswith(prefix):
                return seen

    def stop(self, signum: int) -> tuple[int, list[str]]:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=TIMEOUT)
        rest: list[str] = []
        while (line := self.line()) is not None:
            rest.append(line)
        return code, rest

    def stderr(self) -> str:
        """What the process wrote to stderr (all of it once the process has exited)."""
        if self.process.poll() is not None:
            for reader in self._readers:
                reader.join(timeout=TIMEOUT)
        return "".join(self._errors)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def serve(fake_env: dict[str, str]) -> Iterator[Any]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        started.append(Served(*args, env=fake_env))
        return started[-1]

    yield start
    for served in started:
        served.kill()


ENDPOINT = re.compile(r"at (http://127\.0\.0\.1:(\d+)) ")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_how_to_reach_it_and_stops_cleanly(serve: Any, signum: int) -> None:
    served = serve()
    banner = served.until("- stop:")
    found = ENDPOINT.search(banner[0])
    assert found is not None, banner
    url, port = found.group(1), int(found.group(2))
    assert port != 0
    assert banner == [
        f"mock_customer_profiles: serving Customer Profiles at {url} (region us-east-1, account 123456789012)",
        f"- AWS CLI: AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing aws --region us-east-1 "
        f"--endpoint-url {url} customer-profiles list-domains",
        f'- boto3: boto3.client("customer-profiles", region_name="us-east-1", endpoint_url="{url}")',
        f"- control: POST {url}/_mock/reset, POST {url}/_mock/seed, GET {url}/_mock/calls",
        "- stop: Ctrl-C or SIGTERM",
    ]
    client = http_client(url)
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    assert [item["DomainName"] for item in client.list_domains()["Items"]] == ["acme"]

    code, rest = served.stop(signum)
    assert (code, rest) == (0, ["mock_customer_profiles: server stopped"])


def test_serve_loads_a_seed_file_into_its_region_and_account(serve: Any, tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "domains": [
                    {
                        "DomainName": "acme",
                        "profiles": [
                            {"FirstName": "Ana", "EmailAddress": "ana@example.com"},
                            {"FirstName": "Ben", "EmailAddress": "ben@example.com"},
                        ],
                    }
                ]
            }
        )
    )
    served = serve("--seed", str(seed), "--region", "eu-west-1", "--account-id", "111122223333")
    lines = served.until("- stop:")
    assert lines[0] == f"mock_customer_profiles: seeded {seed}: 1 domains, 2 profiles"
    assert lines[1].endswith(" (region eu-west-1, account 111122223333)")
    found = ENDPOINT.search(lines[1])
    assert found is not None
    client = http_client(found.group(1), region="eu-west-1")
    items = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ben@example.com"])["Items"]
    assert [item["FirstName"] for item in items] == ["Ben"]
    assert http_client(found.group(1), region="us-east-1").list_domains()["Items"] == []
    assert served.stop(signal.SIGTERM)[0] == 0


def test_serve_refuses_a_bad_seed_file(serve: Any, tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"domains": [{"DomainName": "acme", "profiles": [{"Nickname": "A"}]}]}')
    served = serve("--seed", str(seed))
    assert served.process.wait(timeout=TIMEOUT) == 2
    assert served.line() is None
    assert served.stderr() == (
        f"mock_customer_profiles: the seed document {seed} is invalid (see docs/seeding.md#seeding):\n"
        "- domains[0].profiles[0].Nickname: not a member of CreateProfile\n"
    )


def test_serve_refuses_a_missing_seed_file(serve: Any, tmp_path: Path) -> None:
    served = serve("--seed", str(tmp_path / "absent.json"))
    assert served.process.wait(timeout=TIMEOUT) == 2
    assert served.stderr() == (
        f"mock_customer_profiles: the seed document {tmp_path / 'absent.json'} cannot be read: No such file or "
        "directory (see docs/seeding.md#seeding):\n"
        f"- looked for {tmp_path / 'absent.json'}\n"
        "- a relative path is relative to the working directory\n"
    )


def test_serve_on_a_busy_port_exits_with_1(server: ServerThread, fake_env: dict[str, str]) -> None:
    served = Served("--port", str(server.port), env=fake_env)  # the later --port wins
    try:
        assert served.process.wait(timeout=TIMEOUT) == 1
        assert served.stderr().endswith(f"mock_customer_profiles: cannot listen on 127.0.0.1:{server.port}\n")
    finally:
        served.kill()


# ------------------------------------------------------------------------------------------ the AWS CLI


def aws(server: ServerThread, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "awscli", "--endpoint-url", server.endpoint_url, "customer-profiles", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False)


@pytest.fixture
def people(server: ServerThread) -> dict[str, str]:
    client = server.client()
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    make = lambda **fields: str(client.create_profile(DomainName="acme", **fields)["ProfileId"])  # noqa: E731
    ids = {
        "ana": make(FirstName="Ana", EmailAddress="ana@example.com", PhoneNumber="+15550001111"),
        "ana2": make(FirstName="Ana", EmailAddress="ana@example.com", PhoneNumber="+15550009999"),
        "ben": make(FirstName="Ben", EmailAddress="ben@example.com", PhoneNumber="+15550001111"),
    }
    for number in range(5):
        ids[f"acc{number}"] = make(AccountNumber="ACC-1", FirstName=f"P{number}")
    return ids


def test_aws_cli_and_search(server: ServerThread, fake_env: dict[str, str], people: dict[str, str]) -> None:
    result = aws(
        server,
        fake_env,
        "search-profiles",
        "--domain-name",
        "acme",
        "--key-name",
        "_email",
        "--values",
        "ana@example.com",
        "--additional-search-keys",
        "KeyName=_phone,Values=+15550001111",
        "--logical-operator",
        "AND",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "Items": [
            {
                "ProfileId": people["ana"],
                "FirstName": "Ana",
                "EmailAddress": "ana@example.com",
                "PhoneNumber": "+15550001111",
                "FoundByItems": [
                    {"KeyName": "_email", "Values": ["ana@example.com"]},
                    {"KeyName": "_phone", "Values": ["+15550001111"]},
                ],
            }
        ]
    }


def test_aws_cli_or_search_with_several_values(
    server: ServerThread, fake_env: dict[str, str], people: dict[str, str]
) -> None:
    result = aws(
        server,
        fake_env,
        "search-profiles",
        "--domain-name",
        "acme",
        "--key-name",
        "_phone",
        "--values",
        "+15550009999",
        "--additional-search-keys",
        "KeyName=_email,Values=ben@example.com,nobody@example.com",
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["Items"]
    assert [(item["ProfileId"], item["FoundByItems"]) for item in items] == [
        (people["ana2"], [{"KeyName": "_phone", "Values": ["+15550009999"]}]),
        (people["ben"], [{"KeyName": "_email", "Values": ["ben@example.com"]}]),
    ]


def test_aws_cli_reads_two_pages(server: ServerThread, fake_env: dict[str, str], people: dict[str, str]) -> None:
    query = ["search-profiles", "--domain-name", "acme", "--key-name", "_account", "--values", "ACC-1"]
    first = aws(server, fake_env, *query, "--max-results", "3")
    assert first.returncode == 0, first.stderr
    page = json.loads(first.stdout)
    second = aws(server, fake_env, *query, "--max-results", "3", "--next-token", page["NextToken"])
    assert second.returncode == 0, second.stderr
    rest = json.loads(second.stdout)
    assert "NextToken" not in rest
    assert [item["ProfileId"] for item in page["Items"] + rest["Items"]] == [people[f"acc{n}"] for n in range(5)]


def test_aws_cli_shows_modelled_and_mock_errors(
    server: ServerThread, fake_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(HANDLERS, "ListRecommenderRecipes")  # every operation has a handler: pretend one has not
    missing = aws(server, fake_env, "get-domain", "--domain-name", "nowhere")
    assert missing.returncode == 255
    assert missing.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the GetDomain operation: Domain nowhere not found"
    )
    unimplemented = aws(server, fake_env, "list-recommender-recipes")
    assert unimplemented.returncode == 255
    assert unimplemented.stderr.strip() == (
        "An error occurred (NotImplementedOperation) when calling the ListRecommenderRecipes operation: "
        "mock_customer_profiles: ListRecommenderRecipes is not implemented by the mock server.\n"
        "- nothing was sent to AWS\n- implemented operations are listed in docs/coverage.md#operation-coverage"
    )


def test_the_aws_cli_example_of_the_docs_runs(server: ServerThread, fake_env: dict[str, str]) -> None:
    page = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    block = page.split("<!-- server-mode-cli -->\n```bash\n", 1)[1].split("```", 1)[0]
    export, *commands = block.strip().splitlines()
    env = {**fake_env, **dict(pair.split("=", 1) for pair in shlex.split(export)[1:])}
    outputs = []
    for line in commands:
        program, *args = shlex.split(line.replace("http://127.0.0.1:4566", server.endpoint_url))
        assert program == "aws"
        result = subprocess.run(
            [sys.executable, "-m", "awscli", *args], capture_output=True, text=True, env=env, timeout=TIMEOUT
        )
        assert result.returncode == 0, result.stderr
        outputs.append(json.loads(result.stdout))
    profile_id = outputs[1]["ProfileId"]
    assert [item["ProfileId"] for item in outputs[2]["Items"]] == [profile_id]


# ------------------------------------------------------------------------------ the JavaScript SDK v3


def test_javascript_sdk_and_search_and_two_pages(
    server: ServerThread, fake_env: dict[str, str], people: dict[str, str]
) -> None:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@aws-sdk" / "client-customer-profiles").is_dir():
        pytest.fail(
            "mock_customer_profiles: the JavaScript check needs node and its packages\n"
            "- install them with: npm ci --prefix tests/node (.ci/run does)"
        )
    result = subprocess.run(
        [node, str(NODE_DIR / "search.mjs"), server.endpoint_url, "acme"],
        capture_output=True,
        text=True,
        env=fake_env,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["and"] == [
        {
            "ProfileId": people["ana"],
            "FirstName": "Ana",
            "EmailAddress": "ana@example.com",
            "PhoneNumber": "+15550001111",
            "FoundByItems": [
                {"KeyName": "_email", "Values": ["ana@example.com"]},
                {"KeyName": "_phone", "Values": ["+15550001111"]},
            ],
        }
    ]
    assert answer["pages"] == [
        {"ids": [people["acc0"], people["acc1"], people["acc2"]], "hasNextToken": True},
        {"ids": [people["acc3"], people["acc4"]], "hasNextToken": False},
    ]
    assert answer["notFound"] == {
        "name": "ResourceNotFoundException",
        "message": "Domain nowhere not found",
        "status": 404,
    }
    searches = [call for call in server.mock.calls if call.operation == "SearchProfiles"]
    assert [call.params.get("NextToken") is not None for call in searches] == [False, False, True, False]
    assert searches[0].params["LogicalOperator"] == "AND"
