"""8. Calculated attributes: GetCalculatedAttributeForProfile against a plain SearchProfiles call, both
through boto3, on a profile holding 1 000 objects and on a domain of 100 000 profiles.

A value is computed from the profile's own objects at each read (what each object contributes is cached
per object version), so its cost follows the profile's objects, never the domain's size. The definition is
AWS's sample shape: a SUM over a 366-day range dated by a field of the object, with a filter."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import boto3

from benchmarks import scale
from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Calculated attributes"
REGION = "us-east-1"
OBJECTS = 1000
PROFILES, QUICK_PROFILES = 100_000, 30_000

ORDER_TYPE = {
    "ObjectTypeName": "Order",
    "Description": "Orders, attached to their customer's profile by email address",
    "AllowProfileCreation": False,
    "Fields": {
        "orderNo": {"Source": "_source.orderNo"},
        "email": {"Source": "_source.email"},
        "price": {"Source": "_source.price"},
        "status": {"Source": "_source.status"},
    },
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}
DEFINITION = {
    "CalculatedAttributeName": "spend",
    "AttributeDetails": {"Attributes": [{"Name": "price"}], "Expression": "{Order.price}"},
    "Statistic": "SUM",
    "Conditions": {
        "Range": {"Unit": "DAYS", "ValueRange": {"Start": 366, "End": 0}, "TimestampSource": "{Order.placed}"}
    },
    "Filter": {
        "Include": "ALL",
        "Groups": [
            {"Type": "ALL", "Dimensions": [{"Attributes": {"status": {"DimensionType": "EXCLUSIVE", "Values": ["X"]}}}]}
        ],
    },
}


def _orders(service: Any, domain: str, email: str, count: int, start: int = 0) -> None:
    today = dt.date.today()
    for i in range(start, start + count):
        order = {
            "orderNo": f"O-{domain}-{i}",
            "email": email,
            "price": i % 97 + 0.5,
            "status": "X" if i % 10 == 0 else "PAID",
            "placed": (today - dt.timedelta(days=i % 500)).isoformat(),
        }
        service.call("PutProfileObject", {"DomainName": domain, "ObjectTypeName": "Order", "Object": json.dumps(order)})


def _prepare(service: Any, domain: str) -> None:
    service.call("PutProfileObjectType", {"DomainName": domain, **ORDER_TYPE})
    service.call("CreateCalculatedAttributeDefinition", {"DomainName": domain, **DEFINITION})


def run(quick: bool) -> Results:
    number, rounds = (100, 5) if quick else (300, 11)
    profiles = QUICK_PROFILES if quick else PROFILES
    results = Results()
    with mock_customer_profiles(lifecycle="instant") as cp:
        service = cp.service
        client = boto3.client("customer-profiles", region_name=REGION)

        # A profile with 1 000 objects (the per-profile limit), in a small domain.
        scale.seed(service, "heavy", 10)
        _prepare(service, "heavy")
        heavy_email = scale._email("heavy", 3)
        _orders(service, "heavy", heavy_email, OBJECTS)
        heavy = client.search_profiles(DomainName="heavy", KeyName="_email", Values=[heavy_email])["Items"][0]

        # A domain of 100 000 profiles; the one read holds 20 objects.
        scale.seed(service, "big", profiles)
        _prepare(service, "big")
        big_email = scale._email("big", profiles // 2)
        _orders(service, "big", big_email, 20)
        big = client.search_profiles(DomainName="big", KeyName="_email", Values=[big_email])["Items"][0]

        def search_heavy() -> object:
            return client.search_profiles(DomainName="heavy", KeyName="_email", Values=[heavy_email])

        def value_heavy() -> object:
            return client.get_calculated_attribute_for_profile(
                DomainName="heavy", ProfileId=heavy["ProfileId"], CalculatedAttributeName="spend"
            )

        def search_big() -> object:
            return client.search_profiles(DomainName="big", KeyName="_email", Values=[big_email])

        def value_big() -> object:
            return client.get_calculated_attribute_for_profile(
                DomainName="big", ProfileId=big["ProfileId"], CalculatedAttributeName="spend"
            )

        replaced = itertools.count()

        def rewrite() -> None:  # replace one of the profile's orders: the next read recomputes
            i = next(replaced) % OBJECTS
            order = {
                "orderNo": f"O-heavy-{i}",
                "email": heavy_email,
                "price": 1,
                "status": "PAID",
                "placed": "2026-01-01",
            }
            params = {"DomainName": "heavy", "ObjectTypeName": "Order", "Object": json.dumps(order)}
            service.call("PutProfileObject", params)

        def write_search() -> object:
            rewrite()
            return search_heavy()

        def write_value() -> object:
            rewrite()
            return value_heavy()

        contenders = {"search_heavy": search_heavy, "value_heavy": value_heavy}
        contenders.update(write_search=write_search, write_value=write_value)
        contenders.update(search_big=search_big, value_big=value_big)
        times = compare(contenders, number=number, rounds=rounds)
        for read in (value_heavy, value_big):  # the timed reads computed a value
            assert "Value" in read()  # type: ignore[operator]

    us = {name: times[name] * 1e6 for name in times.samples}
    results.figures += [
        Figure(SECTION, "SearchProfiles, one profile of 1 000 objects", us["search_heavy"], "µs/call"),
        Figure(SECTION, f"GetCalculatedAttributeForProfile, {OBJECTS} objects", us["value_heavy"], "µs/call"),
        Figure(SECTION, "a write, then SearchProfiles", us["write_search"], "µs/call"),
        Figure(
            SECTION, f"a write, then GetCalculatedAttributeForProfile ({OBJECTS} objects)", us["write_value"], "µs/call"
        ),
        Figure(SECTION, f"SearchProfiles, {profiles} profiles", us["search_big"], "µs/call"),
        Figure(SECTION, f"GetCalculatedAttributeForProfile, {profiles} profiles", us["value_big"], "µs/call"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            f"GetCalculatedAttributeForProfile time ÷ SearchProfiles time, a profile of {OBJECTS} objects",
            times.ratio("value_heavy", "search_heavy"),
            target=3.0,
            higher_is_better=False,
            label=f"{OBJECTS} objects",
        ),
        Ratio(
            SECTION,
            f"a write then GetCalculatedAttributeForProfile ÷ a write then SearchProfiles, {OBJECTS} objects",
            times.ratio("write_value", "write_search"),
            target=3.0,
            higher_is_better=False,
            label=f"after a write, {OBJECTS} objects",
        ),
        Ratio(
            SECTION,
            f"GetCalculatedAttributeForProfile time ÷ SearchProfiles time, a domain of {profiles} profiles",
            times.ratio("value_big", "search_big"),
            target=1.5,
            higher_is_better=False,
            label=f"{profiles} profiles",
        ),
    ]
    return results
