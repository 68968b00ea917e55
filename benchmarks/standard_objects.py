"""7. Standard objects: PutProfileObject of a booking row that fills the profile, an ``_airBooking`` and an
``_airSegment`` (AWS's travel-and-hospitality mapping shape), against a plain PutProfileObject of the same row
whose mapping targets the profile only. Both through boto3, on a domain of 1 000 profiles."""

from __future__ import annotations

import itertools
import json
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Standard objects"
REGION = "us-east-1"
PROFILES = 1000

_PROFILE_FIELDS = {
    "LoyaltyId": ("LoyaltyId", "_profile.Attributes.LoyaltyId"),
    "FirstName": ("FirstName", "_profile.FirstName"),
    "LastName": ("LastName", "_profile.LastName"),
    "BookingId": ("BookingId", None),
    "SegmentId": ("SegmentId", None),
}
_STANDARD_FIELDS = {
    "BookingRef": ("BookingId", "_airBooking.Attributes.BookingId"),
    "Price": ("Price", "_airBooking.Price.TotalPrice"),
    "Channel": ("Channel", "_airBooking.Channel.Method"),
    "SegmentRef": ("SegmentId", "_airSegment.Attributes.SegmentId"),
    "PNR": ("PNR", "_airSegment.BookingRef"),
    "From": ("From", "_airSegment.Origin"),
    "To": ("To", "_airSegment.Dest"),
    "DepartureDate": ("DepartureDate", "_airSegment.Departure.Date"),
    "SeatNbr": ("SeatNbr", "_airSegment.Seat.SeatNumber"),
    "SeatPrice": ("SeatPrice", "_airSegment.Seat.Price"),
}
# The plain type reads the same sources but maps them to profile attributes.
_PLAIN_FIELDS = {name: (source, f"_profile.Attributes.{name}") for name, (source, _) in _STANDARD_FIELDS.items()}


def _fields(spec: dict[str, tuple[str, str | None]]) -> dict[str, dict[str, str]]:
    out = {}
    for name, (source, target) in spec.items():
        out[name] = {"Source": f"_source.{source}"} | ({"Target": target} if target else {})
    return out


def _put_type(client: Any, name: str, fields: dict[str, tuple[str, str | None]], standard: bool) -> None:
    keys: dict[str, list[dict[str, Any]]] = {
        "LoyaltyId": [{"FieldNames": ["LoyaltyId"], "StandardIdentifiers": ["PROFILE"]}],
        "ObjectId": [{"FieldNames": ["BookingId"], "StandardIdentifiers": ["UNIQUE"] + (["AIR_BOOKING"] * standard)}],
    }
    if standard:
        keys["SegmentId"] = [{"FieldNames": ["SegmentId"], "StandardIdentifiers": ["AIR_SEGMENT"]}]
    client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName=name,
        Description=name,
        AllowProfileCreation=True,
        Fields=_fields({**_PROFILE_FIELDS, **fields}),
        Keys=keys,
    )


def _row(i: int) -> str:
    member = i % PROFILES
    return json.dumps(
        {
            "LoyaltyId": f"L-{member}",
            "FirstName": f"First{member}",
            "LastName": f"Last{member}",
            "BookingId": f"B-{i}",
            "SegmentId": f"S-{i}",
            "PNR": f"PNR{i}",
            "Price": 449.5,
            "Channel": "web",
            "From": "LIS",
            "To": "JFK",
            "DepartureDate": "2026-07-01",
            "SeatNbr": "12A",
            "SeatPrice": "35",
        }
    )


def run(quick: bool) -> Results:
    number, rounds = (100, 5) if quick else (300, 11)
    results = Results()
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles", region_name=REGION)
        _put_type(client, "Plain", _PLAIN_FIELDS, standard=False)
        _put_type(client, "Booking", _STANDARD_FIELDS, standard=True)
        for i in range(PROFILES):  # every member has a profile: the timed calls attach, never create
            client.put_profile_object(DomainName="acme", ObjectTypeName="Plain", Object=_row(i))
        counters = {"plain": itertools.count(PROFILES), "standard": itertools.count(PROFILES)}

        def plain() -> object:
            return client.put_profile_object(
                DomainName="acme", ObjectTypeName="Plain", Object=_row(next(counters["plain"]))
            )

        def standard() -> object:
            row = _row(next(counters["standard"]))
            return client.put_profile_object(DomainName="acme", ObjectTypeName="Booking", Object=row)

        times = compare({"plain": plain, "standard": standard}, number=number, rounds=rounds)
        profile_id = client.search_profiles(DomainName="acme", KeyName="LoyaltyId", Values=["L-7"])["Items"][0][
            "ProfileId"
        ]
        segments = client.list_profile_objects(DomainName="acme", ObjectTypeName="_airSegment", ProfileId=profile_id)
        assert segments["Items"], "the standard contender must fill _airSegment"

    us = {name: times[name] * 1e6 for name in times.samples}
    results.figures += [
        Figure(SECTION, "PutProfileObject, profile targets only", us["plain"], "µs/call"),
        Figure(SECTION, "PutProfileObject filling _airBooking and _airSegment", us["standard"], "µs/call"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            "plain PutProfileObject time ÷ time of one that fills two standard objects",
            times.ratio("plain", "standard"),
            target=0.6,
            label="plain ÷ standard",
        )
    ]
    return results
