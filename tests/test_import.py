"""What importing the package costs and does: no botocore, no service model, the hook still in place.

Each case runs in a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import subprocess
import sys

ANSWERED = """
from mock_customer_profiles import _model
with mock_customer_profiles() as cp:
    client = boto3.client("customer-profiles", region_name="us-east-1")
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    for _ in range(3):
        client.list_domains()
    print([item["DomainName"] for item in client.list_domains()["Items"]], _model.service_model.cache_info().misses)
"""


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_package_loads_neither_botocore_nor_the_model() -> None:
    code = """
import sys
import mock_customer_profiles
from mock_customer_profiles import mock_customer_profiles as _
from mock_customer_profiles import _model
print(sorted(name for name in ("boto3", "botocore", "botocore.handlers") if name in sys.modules))
print(_model.service_model.cache_info().currsize)
"""
    assert run(code).splitlines() == ["[]", "0"]


def test_botocore_imported_after_the_package_gets_the_hook() -> None:
    code = "from mock_customer_profiles import mock_customer_profiles\nimport boto3\n" + ANSWERED
    assert run(code) == "['acme'] 1"  # answered by the mock; the model loaded once for all calls


def test_boto3_and_its_default_session_made_before_the_package_get_the_hook() -> None:
    code = (
        "import boto3\nboto3.setup_default_session()\n"
        "from mock_customer_profiles import mock_customer_profiles\n" + ANSWERED
    )
    assert run(code) == "['acme'] 1"


def test_importing_the_package_twice_registers_the_hook_once() -> None:
    code = """
import sys
import mock_customer_profiles
from mock_customer_profiles import _hook
_hook.install()
import botocore.handlers
_hook.install()
print(sum(1 for entry in botocore.handlers.BUILTIN_HANDLERS if entry[1] is _hook.before_send))
print(sum(1 for finder in sys.meta_path if isinstance(finder, _hook._OnBotocoreImport)))
"""
    assert run(code).splitlines() == ["1", "1"]


def test_decorating_a_plain_class_does_not_need_unittest() -> None:
    code = """
import sys
from mock_customer_profiles import mock_customer_profiles, _activation

@mock_customer_profiles
class Checks:
    def test_active(self):
        return _activation.current() is not None

print("unittest" in sys.modules, Checks().test_active())
"""
    assert run(code) == "False True"  # (running it may load unittest: the responses library uses unittest.mock)
