"""The documented ingestion rules of issue 11, through boto3: dead letters, ambiguous keys, no overwrite
of fields set through the API, source priority and source timestamps, inferred profiles, metering and
the merge limit. Each test cites the AWS page the rule comes from."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import field, key, objects_of, put_object, put_type, search

from mock_customer_profiles import CustomerProfilesMock, DeadLetter, ServerThread

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)


def profile_of(client: Any, pid: str) -> dict[str, Any]:
    (found,) = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"]
    return {k: v for k, v in found.items() if k != "ProfileId"}


def stats(client: Any) -> dict[str, int]:
    return dict(client.get_domain(DomainName="acme")["Stats"])


def put_ticket_type(client: Any, allow: bool = False, **extra: Any) -> None:
    """Tickets: a UNIQUE id, a primary PROFILE account, a primary PROFILE e-mail, a SECONDARY phone."""
    put_type(
        client,
        "Ticket",
        {
            "id": field("id"),
            "account": field("account"),
            "mail": field("mail", None, "EMAIL_ADDRESS"),
            "phone": field("phone", None, "PHONE_NUMBER"),
            "subject": field("subject", "Attributes.lastTicket"),
        },
        {
            "ticketId": key("id", ids=("UNIQUE",)),
            "_account": key("account", ids=("PROFILE",)),
            "_email": key("mail", ids=("PROFILE",)),
            "_phone": key("phone", ids=("PROFILE", "SECONDARY")),
        },
        allow=allow,
        **extra,
    )


# --------------------------------------------------------------------------------------- dead letters


def test_an_object_no_profile_takes_is_accepted_and_dead_lettered(
    mock: CustomerProfilesMock, client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # "If it is not true then the ingested object is created and written to the domain dead-letter queue"
    # (admin guide, "Additional properties of object types")
    make_profile(AccountNumber="A-1")
    put_ticket_type(client)
    text = json.dumps({"id": "T-1", "account": "A-404", "mail": "nobody@example.com"})
    answer = client.put_profile_object(DomainName="acme", ObjectTypeName="Ticket", Object=text)
    assert len(answer["ProfileObjectUniqueKey"]) == 32
    (letter,) = mock.dead_letters
    assert isinstance(letter, DeadLetter)
    assert (letter.domain, letter.object_type, letter.object, letter.queue_url) == ("acme", "Ticket", text, None)
    assert letter.profile_object_unique_key == answer["ProfileObjectUniqueKey"]
    assert letter.reason == (
        "No single profile matches the object (_account: no profile; _email: no profile), and object type "
        "Ticket does not allow profile creation (AllowProfileCreation is false)"
    )
    # nothing is stored against a profile
    assert search(client, "ticketId", "T-1") == []
    assert stats(client) == {"ProfileCount": 1, "MeteringProfileCount": 1, "ObjectCount": 0, "TotalSize": 0}
    # the same object again is a new dead letter, not a replacement
    put_object(client, "Ticket", text)
    assert [letter.object for letter in mock.dead_letters] == [text, text]


def test_dead_letters_name_the_domains_queue_and_are_served_over_http(mock: CustomerProfilesMock, client: Any) -> None:
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/profiles-dlq"
    client.create_domain(DomainName="acme", DefaultExpirationDays=365, DeadLetterQueueUrl=queue)
    put_ticket_type(client)
    put_object(client, "Ticket", {"id": "T-1"})
    (letter,) = mock.dead_letters
    assert letter.queue_url == queue
    assert "the object has no profile key value" in letter.reason
    with (
        ServerThread(mock) as server,
        urllib.request.urlopen(f"{server.endpoint_url}/_mock/effects?kind=DeadLetter") as answer,
    ):
        (served,) = json.loads(answer.read())["DeadLetter"]
    assert (served["object_type"], served["object"], served["queue_url"]) == ("Ticket", '{"id": "T-1"}', queue)


def test_a_batch_item_no_profile_takes_is_successful_and_dead_lettered(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    put_ticket_type(client)
    answer = client.batch_put_profile_object(
        DomainName="acme", ObjectTypeName="Ticket", Items=[{"Id": "a", "Object": '{"id": "T-1", "account": "A-9"}'}]
    )
    (item,) = answer["Successful"]
    assert answer["Failed"] == []
    assert mock.dead_letters[0].profile_object_unique_key == item["ProfileObjectUniqueKey"]


# ----------------------------------------------------------------------------------------- matching


def test_an_ambiguous_key_is_discarded_and_the_next_key_tried(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # "If more than one profile matches, the match is ambiguous - that key is discarded and the next is
    # tried" (admin guide, "Profile matching and inferred profiles")
    make_profile(AccountNumber="A-1", FirstName="Ana")
    make_profile(AccountNumber="A-1", FirstName="Ana's twin")
    bo = make_profile(EmailAddress="bo@example.com")
    put_ticket_type(client)
    put_object(client, "Ticket", {"id": "T-1", "account": "A-1", "mail": "bo@example.com"})
    assert search(client, "ticketId", "T-1") == [bo]


def test_secondary_keys_are_tried_after_every_primary_key_found_nothing_single(
    mock: CustomerProfilesMock, client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # "If no primary PROFILE key produces an unambiguous match, Customer Profiles repeats the process with
    # any secondary keys"
    make_profile(EmailAddress="ana@example.com")
    make_profile(PersonalEmailAddress="ana@example.com")
    carl = make_profile(PhoneNumber="+15550100003")
    make_profile(PhoneNumber="+15550100009")
    make_profile(MobilePhoneNumber="+15550100009")
    put_ticket_type(client)
    put_object(client, "Ticket", {"id": "T-1", "mail": "ana@example.com", "phone": "+15550100003"})
    assert search(client, "ticketId", "T-1") == [carl]
    # every key ambiguous or empty: the dead-letter queue (AllowProfileCreation is false); T-1 left its
    # _email value on Carl, so three profiles hold it now
    put_object(client, "Ticket", {"id": "T-2", "mail": "ana@example.com", "phone": "+15550100009"})
    assert search(client, "ticketId", "T-2") == []
    assert mock.dead_letters[0].reason.startswith(
        "No single profile matches the object (_email: ambiguous, 3 profiles; _phone: ambiguous, 2 profiles)"
    )


# ---------------------------------------------------------------------------------------- inferred


def test_a_profile_ingestion_creates_gets_the_first_email_and_phone_even_without_targets(
    client: Any, domain: str
) -> None:
    # "If there is any field defined with the content type of EMAIL_ADDRESS in the ingested object then this
    # value will be populated into the EmailAddress field ... even if the fields do not have a target
    # defined" (admin guide, "Inferred profiles")
    put_ticket_type(client, allow=True)
    put_object(client, "Ticket", {"id": "T-1", "mail": "ana@example.com", "phone": "+15550100001"})
    (pid,) = search(client, "ticketId", "T-1")
    assert profile_of(client, pid) == {"EmailAddress": "ana@example.com", "PhoneNumber": "+15550100001"}
    # only when ingestion creates the profile: a later object does not fill them
    client.update_profile(DomainName="acme", ProfileId=pid, EmailAddress="")
    put_object(client, "Ticket", {"id": "T-2", "phone": "+15550100001", "mail": "other@example.com"})
    assert search(client, "ticketId", "T-2") == [pid]
    assert "EmailAddress" not in profile_of(client, pid)


def test_a_mapped_target_wins_over_the_inferred_contact(client: Any, domain: str) -> None:
    put_type(
        client,
        "Lead",
        {
            "id": field("id"),
            "work": field("work", None, "EMAIL_ADDRESS"),
            "home": field("home", "EmailAddress", "EMAIL_ADDRESS"),
        },
        {"leadId": key("id", ids=("UNIQUE", "PROFILE"))},
    )
    put_object(client, "Lead", {"id": "L-1", "work": "ana@work.example", "home": "ana@home.example"})
    (pid,) = search(client, "leadId", "L-1")
    assert profile_of(client, pid) == {"EmailAddress": "ana@home.example"}


# --------------------------------------------------------------------------------- who wins a field


def _tiering(client: Any, name: str, **extra: Any) -> None:
    put_type(
        client,
        name,
        {
            "id": field("id"),
            "phone": field("phone", None, "PHONE_NUMBER"),
            "tier": field("tier", "Attributes.tier"),
            "city": field("city", "Address.City"),
            "sourceLastUpdatedTimestamp": field("updated"),
        },
        {f"{name}Id": key("id", ids=("UNIQUE",)), "_phone": key("phone", ids=("PROFILE",))},
        **extra,
    )


def test_source_priority_decides_between_object_types(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # SourcePriority: "Lower values take priority. Object types without a specified source priority default
    # to the lowest priority" (PutProfileObjectType)
    pid = make_profile(PhoneNumber="+15550100001")
    _tiering(client, "Crm", SourcePriority=1)
    _tiering(client, "Web", SourcePriority=5)
    _tiering(client, "Csv")  # no priority: the lowest
    put_object(client, "Web", {"id": "W-1", "phone": "+15550100001", "tier": "web", "city": "Porto"})
    put_object(client, "Crm", {"id": "C-1", "phone": "+15550100001", "tier": "crm"})
    put_object(client, "Web", {"id": "W-2", "phone": "+15550100001", "tier": "web again", "city": "Braga"})
    put_object(client, "Csv", {"id": "V-1", "phone": "+15550100001", "tier": "csv", "city": "Faro"})
    assert profile_of(client, pid)["Attributes"] == {"tier": "crm"}
    assert profile_of(client, pid)["Address"] == {"City": "Braga"}  # Csv has no priority: it yields to Web
    put_object(client, "Crm", {"id": "C-2", "phone": "+15550100001", "city": "Lisbon"})
    assert profile_of(client, pid)["Address"] == {"City": "Lisbon"}


def test_the_newer_source_timestamp_wins_at_equal_priority(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(PhoneNumber="+15550100001")
    _tiering(client, "Crm", SourceLastUpdatedTimestampFormat="yyyy-MM-dd'T'HH:mm:ssZ")
    put_object(client, "Crm", {"id": "C-1", "phone": "+15550100001", "tier": "gold", "updated": "2024-05-01T10:00:00Z"})
    put_object(client, "Crm", {"id": "C-2", "phone": "+15550100001", "tier": "old", "updated": "2024-01-01T10:00:00Z"})
    assert profile_of(client, pid)["Attributes"] == {"tier": "gold"}  # an older record arriving late
    put_object(client, "Crm", {"id": "C-3", "phone": "+15550100001", "tier": "new", "updated": 1735689600})
    assert profile_of(client, pid)["Attributes"] == {"tier": "new"}  # epoch seconds: 2025-01-01
    put_object(client, "Crm", {"id": "C-4", "phone": "+15550100001", "tier": "ms", "updated": 1767225600000})
    assert profile_of(client, pid)["Attributes"] == {"tier": "ms"}  # epoch milliseconds: 2026-01-01
    put_object(client, "Crm", {"id": "C-5", "phone": "+15550100001", "tier": "no date"})
    assert profile_of(client, pid)["Attributes"] == {"tier": "no date"}  # no timestamp: the later object
    put_object(client, "Crm", {"id": "C-6", "phone": "+15550100001", "tier": "odd", "updated": "last week"})
    assert profile_of(client, pid)["Attributes"] == {"tier": "odd"}  # unreadable: as without one
    put_object(client, "Crm", {"id": "C-7", "phone": "+15550100001", "tier": "far", "updated": 1e300})
    assert profile_of(client, pid)["Attributes"] == {"tier": "far"}  # out of range: as without one


def test_a_merge_keeps_where_each_field_came_from(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    main = make_profile(PhoneNumber="+15550100001", Attributes={"team": "blue"})
    other = make_profile(PhoneNumber="+15550100002", FirstName="Bo")
    _tiering(client, "Crm")
    put_object(client, "Crm", {"id": "C-1", "phone": "+15550100002", "tier": "gold", "city": "Porto"})
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    assert profile_of(client, main)["Attributes"] == {"team": "blue", "tier": "gold"}
    # the values the other profile's object wrote stay the objects'; its API-set FirstName stays the API's
    put_type(
        client,
        "Names",
        {"id": field("id"), "phone": field("phone", None, "PHONE_NUMBER"), "first": field("first", "FirstName")},
        {"nameId": key("id", ids=("UNIQUE",)), "_phone": key("phone", ids=("PROFILE",))},
    )
    put_object(client, "Crm", {"id": "C-2", "phone": "+15550100001", "tier": "platinum", "city": "Faro"})
    put_object(client, "Names", {"id": "N-1", "phone": "+15550100001", "first": "Robert"})
    assert profile_of(client, main) == {
        "PhoneNumber": "+15550100001",
        "FirstName": "Bo",
        "Attributes": {"team": "blue", "tier": "platinum"},
        "Address": {"City": "Faro"},
    }


def test_a_field_a_merge_takes_from_another_profile_takes_its_provenance_too(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(PhoneNumber="+15550100001")
    other = make_profile(PhoneNumber="+15550100002", Attributes={"tier": "typed by hand"})
    _tiering(client, "Crm")
    put_object(client, "Crm", {"id": "C-1", "phone": "+15550100001", "tier": "from an object"})
    client.merge_profiles(
        DomainName="acme",
        MainProfileId=main,
        ProfileIdsToBeMerged=[other],
        FieldSourceProfileIds={"Attributes": {"tier": other}},
    )
    put_object(client, "Crm", {"id": "C-2", "phone": "+15550100001", "tier": "a later object"})
    assert profile_of(client, main)["Attributes"] == {"tier": "typed by hand"}


def test_changing_an_object_type_re_maps_nothing_stored(client: Any, domain: str) -> None:
    _tiering(client, "Crm", AllowProfileCreation=True)
    put_object(client, "Crm", {"id": "C-1", "phone": "+15550100001", "tier": "gold"})
    (pid,) = search(client, "CrmId", "C-1")
    put_type(
        client,
        "Crm",
        {"id": field("id"), "phone": field("phone", None, "PHONE_NUMBER"), "tier": field("tier", "LastName")},
        {"CrmId": key("id", ids=("UNIQUE",)), "crmPhone": key("phone", ids=("PROFILE",))},
    )
    assert profile_of(client, pid) == {"PhoneNumber": "+15550100001", "Attributes": {"tier": "gold"}}
    assert search(client, "_phone", "+15550100001") == [pid]  # the stored object keeps its key values
    assert search(client, "crmPhone", "+15550100001") == []
    assert objects_of(client, "Crm", pid) == [{"id": "C-1", "phone": "+15550100001", "tier": "gold"}]


# ---------------------------------------------------------------------------------- counts and limits


def test_a_profile_with_more_than_100_objects_is_metered_as_two(client: Any, domain: str) -> None:
    # "MeteringProfileCount: ... A profile with more than 100 objects counts as two" (DomainStats)
    _tiering(client, "Crm", AllowProfileCreation=True)
    for n in range(100):
        put_object(client, "Crm", {"id": f"C-{n}", "phone": "+15550100001"})
    assert stats(client)["MeteringProfileCount"] == 1
    last = put_object(client, "Crm", {"id": "C-100", "phone": "+15550100001"})
    assert (stats(client)["ProfileCount"], stats(client)["MeteringProfileCount"]) == (1, 2)
    for n in range(101, 201):
        put_object(client, "Crm", {"id": f"C-{n}", "phone": "+15550100001"})
    assert stats(client)["MeteringProfileCount"] == 3
    (pid,) = search(client, "CrmId", "C-0")
    for unique_key in (last,):
        client.delete_profile_object(
            DomainName="acme", ProfileId=pid, ObjectTypeName="Crm", ProfileObjectUniqueKey=unique_key
        )
    assert stats(client)["MeteringProfileCount"] == 2
    client.delete_profile(DomainName="acme", ProfileId=pid)
    assert stats(client) == {"ProfileCount": 0, "MeteringProfileCount": 0, "ObjectCount": 0, "TotalSize": 0}


def test_a_merge_may_not_exceed_1000_objects_on_the_main_profile(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(PhoneNumber="+15550100001")
    other = make_profile(PhoneNumber="+15550100002")
    _tiering(client, "Crm")
    for phone, count in (("+15550100001", 600), ("+15550100002", 401)):
        items = [{"Id": f"i{n}", "Object": json.dumps({"id": f"{phone}-{n}", "phone": phone})} for n in range(count)]
        for start in range(0, count, 10):
            answer = client.batch_put_profile_object(
                DomainName="acme", ObjectTypeName="Crm", Items=items[start : start + 10]
            )
            assert answer["Failed"] == []
    with pytest.raises(client.exceptions.BadRequestException) as raised:
        client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    assert raised.value.response["Error"]["Message"] == (
        "The merged profile would hold 1001 objects; a profile holds at most 1000"
    )
    assert stats(client)["ProfileCount"] == 2
