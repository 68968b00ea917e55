"""Async clients in process: aiobotocore and aioboto3 answered like boto3 (issue 12).

The suites written for boto3 also run through an aiobotocore client (the ``[async]`` door of
``tests/conftest.py``); these tests cover what only an async caller meets: every activation on
``async def`` tests (pytest-asyncio and anyio's plugin), awaited errors, retries and transport faults
that never block the event loop, many calls in flight on one client, paginators, and server mode.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, ParamValidationError, ReadTimeoutError

from mock_customer_profiles import CustomerProfilesMock, ServerThread, mock_customer_profiles

aiobotocore_session = pytest.importorskip("aiobotocore.session", reason="aiobotocore is not installed")
pytest.importorskip("pytest_asyncio", reason="pytest-asyncio is not installed")

REGION = "us-east-1"
SEARCH = {"DomainName": "acme", "KeyName": "_email", "Values": ["ana@example.com"]}


def new_client(**kwargs: Any) -> Any:
    """An aiobotocore client (an async context manager), as users make one."""
    return aiobotocore_session.get_session().create_client("customer-profiles", region_name=REGION, **kwargs)


async def seeded(client: Any) -> str:
    await client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    created = await client.create_profile(DomainName="acme", FirstName="Ana", EmailAddress="ana@example.com")
    return str(created["ProfileId"])


# -------------------------------------------------------------------------------------------- activation


@pytest.mark.asyncio
@mock_customer_profiles
async def test_the_decorator_answers_an_async_test() -> None:
    async with new_client() as client:
        profile_id = await seeded(client)
        found = await client.search_profiles(**SEARCH)
    assert [item["ProfileId"] for item in found["Items"]] == [profile_id]
    assert found["Items"][0]["FoundByItems"] == [{"KeyName": "_email", "Values": ["ana@example.com"]}]


@pytest.mark.asyncio
async def test_the_context_manager_and_start_stop() -> None:
    with mock_customer_profiles() as cp:
        async with new_client() as client:
            await seeded(client)
        assert [call.operation for call in cp.calls] == ["CreateDomain", "CreateProfile"]
    cp = mock_customer_profiles()
    cp.start()
    try:
        async with new_client() as client:
            assert (await client.list_domains())["Items"] == []  # a fresh backend each activation
    finally:
        cp.stop()


@pytest.mark.asyncio
async def test_a_client_made_before_activation_is_answered_during_it() -> None:
    async with new_client(aws_access_key_id="x", aws_secret_access_key="y") as client:
        with mock_customer_profiles() as cp:
            cp.create_domain("acme")
            assert [domain["DomainName"] for domain in (await client.list_domains())["Items"]] == ["acme"]
        with mock_customer_profiles():
            assert (await client.list_domains())["Items"] == []


@pytest.mark.asyncio
async def test_the_fixture_and_its_seeding_helpers(customer_profiles_mock: CustomerProfilesMock) -> None:
    customer_profiles_mock.create_domain("acme")
    profile_id = customer_profiles_mock.create_profile("acme", EmailAddress="ana@example.com")
    async with new_client() as client:
        found = await client.search_profiles(**SEARCH)
    assert [item["ProfileId"] for item in found["Items"]] == [profile_id]
    customer_profiles_mock.assert_called("SearchProfiles", KeyName="_email")


@pytest.mark.asyncio
@pytest.mark.customer_profiles_mock(
    region="eu-west-2", seed={"domains": [{"DomainName": "acme", "profiles": [{"EmailAddress": "ana@example.com"}]}]}
)
async def test_the_marker_with_options_and_a_seed() -> None:
    async with aiobotocore_session.get_session().create_client("customer-profiles", region_name="eu-west-2") as client:
        found = await client.search_profiles(**SEARCH)
    assert len(found["Items"]) == 1


@pytest.mark.anyio
@mock_customer_profiles
async def test_anyio_runs_the_same_client() -> None:
    async with new_client() as client:
        await seeded(client)
        assert len((await client.search_profiles(**SEARCH))["Items"]) == 1


@pytest.mark.asyncio
async def test_aioboto3_clients_are_answered(customer_profiles_mock: CustomerProfilesMock) -> None:
    aioboto3 = pytest.importorskip("aioboto3", reason="aioboto3 is not installed")
    async with aioboto3.Session().client("customer-profiles", region_name=REGION) as client:
        profile_id = await seeded(client)
        found = await client.search_profiles(**SEARCH)
    assert [item["ProfileId"] for item in found["Items"]] == [profile_id]
    assert str(customer_profiles_mock.calls.last) == (
        "SearchProfiles(DomainName='acme', KeyName='_email', Values=['ana@example.com'])"
    )


# ---------------------------------------------------------------------------------- errors and validation


@pytest.mark.asyncio
async def test_modelled_errors_come_out_as_client_exceptions(customer_profiles_mock: CustomerProfilesMock) -> None:
    async with new_client() as client:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
            await client.get_domain(DomainName="nowhere")
    error = raised.value.response["Error"]
    assert error == {"Code": "ResourceNotFoundException", "Message": "Domain nowhere not found"}
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert customer_profiles_mock.calls.last.error is not None


@pytest.mark.asyncio
async def test_validation_is_botocores_then_the_mocks(customer_profiles_mock: CustomerProfilesMock) -> None:
    async with new_client() as client:
        with pytest.raises(ParamValidationError):
            await client.create_domain(DomainName="acme")
    async with new_client(config=Config(parameter_validation=False)) as raw:
        with pytest.raises(raw.exceptions.BadRequestException) as raised:
            await raw.create_domain(DomainName="acme")
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'defaultExpirationDays' failed to satisfy constraint: "
        "Member must not be null"
    )


# ------------------------------------------------------------------------------- retries and transport faults


@pytest.mark.asyncio
async def test_a_throttled_call_is_retried_at_once(customer_profiles_mock: CustomerProfilesMock) -> None:
    customer_profiles_mock.create_domain("acme")
    injected = customer_profiles_mock.add_error("SearchProfiles", "ThrottlingException", times=2)
    async with new_client(config=Config(retries={"mode": "standard"})) as client:
        started = time.perf_counter()
        found = await client.search_profiles(**SEARCH)
        elapsed = time.perf_counter() - started
    assert found["ResponseMetadata"]["RetryAttempts"] == 2
    assert injected.used == 2
    assert elapsed < 0.5  # botocore's back-off for two throttled attempts is 1.3 to 1.9 s


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
async def test_retry_modes_keep_their_attempt_counts(customer_profiles_mock: CustomerProfilesMock, mode: str) -> None:
    customer_profiles_mock.create_domain("acme")
    customer_profiles_mock.add_error("GetDomain", "InternalServerException", times=9)
    async with new_client(config=Config(retries={"mode": mode, "total_max_attempts": 4})) as client:
        with pytest.raises(client.exceptions.InternalServerException) as raised:
            await client.get_domain(DomainName="acme")
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 3
    assert len(customer_profiles_mock.get_calls("GetDomain")) == 4


@pytest.mark.asyncio
async def test_transport_faults_raise_botocores_exceptions(customer_profiles_mock: CustomerProfilesMock) -> None:
    customer_profiles_mock.create_domain("acme")
    customer_profiles_mock.add_fault("GetDomain", "timeout")
    customer_profiles_mock.add_fault("GetDomain", "connection")
    async with new_client(config=Config(retries={"total_max_attempts": 1})) as client:
        with pytest.raises(ReadTimeoutError):
            await client.get_domain(DomainName="acme")
        with pytest.raises(EndpointConnectionError):
            await client.get_domain(DomainName="acme")
        assert (await client.get_domain(DomainName="acme"))["DomainName"] == "acme"
    assert [str(call).rsplit(" -> ", 1)[-1] for call in customer_profiles_mock.calls] == [
        "ReadTimeoutError",
        "EndpointConnectionError",
        "GetDomain(DomainName='acme')",
    ]


@pytest.mark.asyncio
async def test_a_slow_answer_does_not_block_the_event_loop(customer_profiles_mock: CustomerProfilesMock) -> None:
    customer_profiles_mock.create_domain("acme")
    customer_profiles_mock.add_fault("GetDomain", "slow", latency=1)  # ample, even on a loaded machine
    async with new_client() as client:
        slow = asyncio.ensure_future(client.get_domain(DomainName="acme"))
        listed = await client.list_domains()  # answered while the slow call still waits
        assert not slow.done()
        assert (await slow)["DomainName"] == "acme"
    assert [item["DomainName"] for item in listed["Items"]] == ["acme"]


@pytest.mark.asyncio
async def test_an_answer_later_than_read_timeout_times_out_at_once(
    customer_profiles_mock: CustomerProfilesMock,
) -> None:
    customer_profiles_mock.create_domain("acme")
    customer_profiles_mock.add_fault("CreateProfile", "slow", latency=30)
    config = Config(read_timeout=2, retries={"total_max_attempts": 1})
    async with new_client(config=config) as client:
        started = time.perf_counter()
        with pytest.raises(ReadTimeoutError):
            await client.create_profile(DomainName="acme", EmailAddress="ana@example.com")
        assert time.perf_counter() - started < 1
        assert len((await client.search_profiles(**SEARCH))["Items"]) == 1  # the write happened all the same


# ------------------------------------------------------------------------------------------- concurrency


@pytest.mark.asyncio
async def test_many_searches_and_writes_in_flight_on_one_client(customer_profiles_mock: CustomerProfilesMock) -> None:
    customer_profiles_mock.create_domain("acme")
    emails = [f"user{number}@example.com" for number in range(40)]
    async with new_client() as client:
        created = await asyncio.gather(
            *(client.create_profile(DomainName="acme", EmailAddress=email) for email in emails)
        )
        ids = [made["ProfileId"] for made in created]
        found = await asyncio.gather(
            *(client.search_profiles(DomainName="acme", KeyName="_email", Values=[email]) for email in emails),
            *(client.update_profile(DomainName="acme", ProfileId=profile_id, AccountNumber="1") for profile_id in ids),
        )
    searches = found[: len(emails)]
    assert [search["Items"][0]["EmailAddress"] for search in searches] == emails
    assert [search["Items"][0]["ProfileId"] for search in searches] == [made["ProfileId"] for made in created]
    assert len(customer_profiles_mock.get_calls("UpdateProfile")) == len(emails)
    assert len(customer_profiles_mock.calls) == 3 * len(emails)


# ------------------------------------------------------------------------------------------- paginators


def _pageable_domain_operation() -> str | None:
    """An implemented operation with a paginator that needs only ``DomainName`` (newer botocore and more
    families bring more)."""
    import botocore.session

    from mock_customer_profiles._handlers import HANDLERS

    session = botocore.session.get_session()
    model = session.get_service_model("customer-profiles")
    try:
        pageable = session.get_paginator_model("customer-profiles")._paginator_config
    except Exception:  # noqa: BLE001 - a botocore without paginators for the service
        return None
    for operation in sorted(pageable):
        shape = model.operation_model(operation).input_shape
        if operation in HANDLERS and shape is not None and set(shape.required_members) == {"DomainName"}:
            return operation
    return None


@pytest.mark.asyncio
async def test_paginators_work_where_the_model_defines_them(customer_profiles_mock: CustomerProfilesMock) -> None:
    operation = _pageable_domain_operation()
    if operation is None:
        pytest.skip("no implemented operation with a paginator that needs only DomainName in this botocore")
    customer_profiles_mock.create_domain("acme")
    async with new_client() as client:
        name = next(py for py, op in client.meta.method_to_api_mapping.items() if op == operation)
        pages = [page async for page in client.get_paginator(name).paginate(DomainName="acme")]
    assert pages
    assert all(page["ResponseMetadata"]["HTTPStatusCode"] == 200 for page in pages)
    customer_profiles_mock.assert_called(operation, DomainName="acme")


@pytest.mark.asyncio
async def test_a_paginator_sends_its_pages_to_the_mock() -> None:
    """ListEventStreams pages through the mock: its pages where the mock implements it, else the
    ``NotImplementedOperation`` that names it, through aiobotocore's paginator either way."""
    from mock_customer_profiles import NotImplementedOperation
    from mock_customer_profiles._handlers import HANDLERS

    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        async with new_client() as client:
            pages = client.get_paginator("list_event_streams").paginate(DomainName="acme")
            if "ListEventStreams" in HANDLERS:
                assert [page["Items"] async for page in pages] == [[]]
            else:
                with pytest.raises(NotImplementedOperation, match="ListEventStreams"):
                    [page async for page in pages]
        assert [call.operation for call in [*cp.calls, *cp.unimplemented_calls]] == ["ListEventStreams"]


# ----------------------------------------------------------------------------------------- server mode


@pytest.mark.asyncio
async def test_server_mode_answers_async_clients_with_an_endpoint_url() -> None:
    with ServerThread() as server:
        async with new_client(
            endpoint_url=server.endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing"
        ) as client:
            await seeded(client)
            found = await client.search_profiles(**SEARCH)
        assert len(found["Items"]) == 1
        assert [call.operation for call in server.mock.calls] == ["CreateDomain", "CreateProfile", "SearchProfiles"]


# ----------------------------------------------------------------------------------- no cost to sync users


def test_the_sync_path_never_imports_aiobotocore(tmp_path: Path) -> None:
    script = tmp_path / "sync_user.py"
    script.write_text(
        "import sys, boto3\n"
        "from mock_customer_profiles import mock_customer_profiles\n"
        "with mock_customer_profiles() as cp:\n"
        "    client = boto3.client('customer-profiles', region_name='us-east-1')\n"
        "    client.create_domain(DomainName='acme', DefaultExpirationDays=1)\n"
        "    cp.add_error('GetDomain', 'ThrottlingException')\n"
        "    client.get_domain(DomainName='acme')\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.startswith('aio'))))\n".replace(
            "import sys", "import json, sys"
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == []
