"""Recorded calls: ``calls``, ``get_calls``, ``assert_called``, ``assert_not_called``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import Call, CallList, CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.async_door  # again through an aiobotocore client where it is installed


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def test_a_call_is_recorded_as_the_client_sent_and_saw_it(mock: CustomerProfilesMock, client: Any) -> None:
    created = client.create_domain(DomainName="acme", DefaultExpirationDays=30)
    found = client.search_profiles(DomainName="acme", KeyName="_email", Values=["a@x.com"])

    assert [call.operation for call in mock.calls] == ["CreateDomain", "SearchProfiles"]
    first, last = mock.calls
    assert first.params == {"DomainName": "acme", "DefaultExpirationDays": 30}
    assert first.response == _without_metadata(created)
    assert isinstance(first.response["CreatedAt"], dt.datetime)
    assert first.error is None
    assert mock.calls.last is last
    assert last.params == {"DomainName": "acme", "KeyName": "_email", "Values": ["a@x.com"]}
    assert last.response == _without_metadata(found) == {"Items": []}


def test_params_list_uri_members_first_whatever_the_order_sent(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    client.search_profiles(Values=["a@x.com"], KeyName="_email", MaxResults=5, DomainName="acme")

    assert list(mock.calls.last.params) == ["DomainName", "Values", "KeyName", "MaxResults"]
    assert (
        str(mock.calls.last) == "SearchProfiles(DomainName='acme', Values=['a@x.com'], KeyName='_email', MaxResults=5)"
    )


def test_a_failed_call_holds_the_client_error_the_client_raised(mock: CustomerProfilesMock, client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        client.get_domain(DomainName="nowhere")

    call = mock.calls.last
    assert call.response is None
    assert isinstance(call.error, ClientError)
    assert call.error.response["Error"] == raised.value.response["Error"]
    assert call.error.response["Error"] == {"Code": "ResourceNotFoundException", "Message": "Domain nowhere not found"}
    assert call.error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert call.error.operation_name == "GetDomain"
    assert str(call) == "GetDomain(DomainName='nowhere') -> ResourceNotFoundException"


def test_a_call_that_fails_validation_is_recorded_with_what_was_sent(
    mock: CustomerProfilesMock, raw_client: Any
) -> None:
    with pytest.raises(raw_client.exceptions.BadRequestException):
        raw_client.create_domain(DomainName="acme", DefaultExpirationDays="soon")

    assert (
        str(mock.calls.last) == "CreateDomain(DomainName='acme', DefaultExpirationDays='soon') -> BadRequestException"
    )


def test_the_record_shares_nothing_with_the_service(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    client.create_profile(DomainName="acme", FirstName="Ana", Address={"City": "Lisbon"})
    mock.calls.last.params["Address"]["City"] = "Porto"
    profile_id = mock.calls.last.response["ProfileId"]

    found = client.search_profiles(DomainName="acme", KeyName="_profileId", Values=[profile_id])
    assert found["Items"][0]["Address"] == {"City": "Lisbon"}
    mock.calls.last.response["Items"].clear()
    assert mock.calls.last.response == {"Items": []}
    assert client.search_profiles(DomainName="acme", KeyName="_profileId", Values=[profile_id])["Items"]


def test_repr_shows_the_plain_data(mock: CustomerProfilesMock, client: Any) -> None:
    client.list_domains(MaxResults=3)
    assert repr(mock.calls.last) == (
        "Call(operation='ListDomains', params={'MaxResults': 3}, response={'Items': []}, error=None)"
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.search_profiles(DomainName="acme", KeyName="_email", Values=["a@x.com"])
    assert repr(mock.calls.last) == (
        "Call(operation='SearchProfiles', params={'DomainName': 'acme', 'KeyName': '_email', 'Values': ['a@x.com']}, "
        "response=None, error=ClientError('An error occurred (ResourceNotFoundException) when calling the "
        "SearchProfiles operation: Domain acme not found'))"
    )


def test_a_call_built_by_hand_is_plain_data() -> None:
    call = Call("GetDomain", {"DomainName": "acme"}, response={"DomainName": "acme"})
    assert (call.operation, call.params, call.response, call.error) == (
        "GetDomain",
        {"DomainName": "acme"},
        {"DomainName": "acme"},
        None,
    )
    match call:
        case Call("GetDomain", {"DomainName": name}):
            assert name == "acme"
        case _:
            pytest.fail("Call should match its own fields")


def test_seeding_is_not_a_call_of_the_code_under_test(mock: CustomerProfilesMock) -> None:
    mock.create_domain("acme")
    mock.create_profile("acme", FirstName="Ana")
    assert mock.calls == []
    with pytest.raises(IndexError):
        _ = mock.calls.last


def test_calls_stay_readable_after_stop_and_a_new_activation_starts_empty() -> None:
    cp = mock_customer_profiles()
    with cp:
        cp.client().list_domains()
    assert [call.operation for call in cp.calls] == ["ListDomains"]
    with cp:
        assert cp.calls == []


def test_get_calls_filters_by_operation_and_params(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    client.search_profiles(DomainName="acme", KeyName="_email", Values=["a@x.com"])
    client.search_profiles(DomainName="acme", KeyName="_phone", Values=["+15550001111"])

    assert isinstance(mock.get_calls("SearchProfiles"), CallList)
    assert [str(c) for c in mock.get_calls("SearchProfiles", KeyName="_phone")] == [
        "SearchProfiles(DomainName='acme', KeyName='_phone', Values=['+15550001111'])"
    ]
    assert len(mock.get_calls("search_profiles", DomainName="acme")) == 2
    assert mock.get_calls("SearchProfiles", Values=["a@x.com"]).last.params["KeyName"] == "_email"
    assert mock.get_calls("SearchProfiles", LogicalOperator="OR") == []
    assert mock.get_calls("DeleteDomain") == []


def test_an_unknown_operation_is_refused_with_the_closest_name(mock: CustomerProfilesMock) -> None:
    with pytest.raises(ValueError, match="mock_customer_profiles:") as raised:
        mock.get_calls("SearchProfile")
    assert str(raised.value) == (
        "mock_customer_profiles: 'SearchProfile' is not a Customer Profiles operation "
        "(did you mean SearchProfiles?) (see docs/calls.md#inspecting-calls)."
    )
    with pytest.raises(ValueError, match="mock_customer_profiles:") as raised:
        mock.assert_called("Frobnicate")
    assert str(raised.value) == (
        "mock_customer_profiles: 'Frobnicate' is not a Customer Profiles operation "
        "(see docs/calls.md#inspecting-calls)."
    )


def test_an_unknown_parameter_is_refused_not_silently_unmatched(mock: CustomerProfilesMock) -> None:
    with pytest.raises(TypeError, match="mock_customer_profiles:") as raised:
        mock.get_calls("SearchProfiles", Keyname="_email")
    assert str(raised.value) == (
        "mock_customer_profiles: SearchProfiles has no parameter Keyname (see docs/calls.md#inspecting-calls):\n"
        "- did you mean KeyName?\n"
        "- parameters of SearchProfiles: NextToken, MaxResults, DomainName, KeyName, Values, "
        "AdditionalSearchKeys, LogicalOperator"
    )
    with pytest.raises(TypeError, match="mock_customer_profiles:") as raised:
        mock.assert_not_called("ListDomains", Zzz=1)
    assert str(raised.value) == (
        "mock_customer_profiles: ListDomains has no parameter Zzz (see docs/calls.md#inspecting-calls):\n"
        "- parameters of ListDomains: NextToken, MaxResults"
    )


def test_assert_called_returns_the_matching_calls(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    found = mock.assert_called("CreateDomain", DomainName="acme")
    assert [call.params for call in found] == [{"DomainName": "acme", "DefaultExpirationDays": 1}]
    assert mock.assert_called("create_domain") == found


def test_assert_called_with_no_call_of_that_operation(mock: CustomerProfilesMock, client: Any) -> None:
    client.list_domains()
    with pytest.raises(AssertionError) as raised:
        mock.assert_called("SearchProfiles")
    assert str(raised.value) == (
        "mock_customer_profiles: expected a SearchProfiles call, but none was made "
        "(see docs/calls.md#inspecting-calls)."
    )
    with pytest.raises(AssertionError) as raised:
        mock.assert_called("SearchProfiles", KeyName="_email")
    assert str(raised.value) == (
        "mock_customer_profiles: expected a call matching SearchProfiles(KeyName='_email'), "
        "but no SearchProfiles call was made (see docs/calls.md#inspecting-calls)."
    )


def test_assert_called_lists_the_calls_of_that_operation(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    client.search_profiles(DomainName="acme", KeyName="_email", Values=["b@x.com"])
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.search_profiles(DomainName="other", KeyName="_email", Values=["a@x.com"])

    with pytest.raises(AssertionError) as raised:
        mock.assert_called("SearchProfiles", DomainName="acme", Values=["a@x.com"])
    assert str(raised.value) == (
        "mock_customer_profiles: expected a call matching SearchProfiles(DomainName='acme', Values=['a@x.com']), "
        "but none of the SearchProfiles calls made matched (see docs/calls.md#inspecting-calls):\n"
        "- SearchProfiles(DomainName='acme', KeyName='_email', Values=['b@x.com'])\n"
        "- SearchProfiles(DomainName='other', KeyName='_email', Values=['a@x.com']) -> ResourceNotFoundException"
    )


def test_assert_not_called(mock: CustomerProfilesMock, client: Any) -> None:
    mock.assert_not_called("DeleteDomain")
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    client.create_domain(DomainName="beta", DefaultExpirationDays=1)
    mock.assert_not_called("CreateDomain", DomainName="gamma")

    with pytest.raises(AssertionError) as raised:
        mock.assert_not_called("CreateDomain")
    assert str(raised.value) == (
        "mock_customer_profiles: expected no CreateDomain call, but 2 calls were made "
        "(see docs/calls.md#inspecting-calls):\n"
        "- CreateDomain(DomainName='acme', DefaultExpirationDays=1)\n"
        "- CreateDomain(DomainName='beta', DefaultExpirationDays=1)"
    )
    with pytest.raises(AssertionError) as raised:
        mock.assert_not_called("create_domain", DomainName="beta")
    assert str(raised.value) == (
        "mock_customer_profiles: expected no call matching CreateDomain(DomainName='beta'), but 1 call was made "
        "(see docs/calls.md#inspecting-calls):\n"
        "- CreateDomain(DomainName='beta', DefaultExpirationDays=1)"
    )


def test_unimplemented_calls_are_kept_apart_with_their_params(
    mock: CustomerProfilesMock, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mock_customer_profiles._handlers import HANDLERS

    monkeypatch.delitem(HANDLERS, "GetMatches")  # every operation has a handler: pretend one has not
    from mock_customer_profiles import NotImplementedOperation

    with pytest.raises(NotImplementedOperation) as raised:
        client.get_matches(DomainName="acme", MaxResults=5)

    assert mock.calls == []
    (call,) = mock.unimplemented_calls
    assert (call.operation, call.params, call.error) == (
        "GetMatches",
        {"DomainName": "acme", "MaxResults": 5},
        raised.value,
    )
