"""The botocore door: every customer-profiles client gets its own (``creating-client-class``), and the
shared handler still answers a client whose class was made without it."""

from __future__ import annotations

import boto3
import botocore.session
import pytest

from mock_customer_profiles import CustomerProfilesMock, UnansweredCall, _hook


def _client(session: botocore.session.Session) -> object:
    return boto3.Session(botocore_session=session, region_name="us-east-1").client(
        "customer-profiles", aws_access_key_id="x", aws_secret_access_key="y"
    )


def test_a_client_made_without_its_own_door_is_answered_by_the_shared_handler(mock: CustomerProfilesMock) -> None:
    session = botocore.session.get_session()
    session.unregister(_hook.CLASS_EVENT, _hook.on_client_class)
    client = _client(session)
    assert not isinstance(client, _hook.DoorMixin)

    client.create_domain(DomainName="acme", DefaultExpirationDays=1)  # type: ignore[attr-defined]

    assert [call.operation for call in mock.calls] == ["CreateDomain"]


def test_the_door_of_one_client_comes_off_by_its_unique_id(mock: CustomerProfilesMock) -> None:
    session = botocore.session.get_session()
    closed, other = _client(session), _client(session)
    assert isinstance(closed, _hook.DoorMixin)
    closed.meta.events.unregister(_hook.SEND_EVENT, unique_id=_hook.DOOR_ID)  # type: ignore[attr-defined]

    with pytest.raises(UnansweredCall):  # stopped in botocore's HTTP layer, never sent
        closed.list_domains()  # type: ignore[attr-defined]
    assert other.list_domains()["Items"] == []  # type: ignore[attr-defined]
    assert [call.operation for call in mock.calls] == ["ListDomains"]
