"""``python -m mock_customer_profiles demo``: seed a domain and run multi-key searches through boto3."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

FIRST = ["Ana", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam"]
LAST = ["Silva", "Okafor", "Müller", "Tanaka", "Dubois", "Khan"]
CITIES = ["Lisbon", "Lagos", "Berlin", "Osaka", "Lyon", "Karachi"]


def demo_profiles() -> list[dict[str, Any]]:
    """37 profiles: people with the same last name share a household phone, and Ana Silva has two."""
    profiles = []
    for n, (first, last) in enumerate(itertools.product(FIRST[:6], LAST)):
        profiles.append(
            {
                "FirstName": first,
                "LastName": last,
                "EmailAddress": f"{first.lower()}.{last.lower()}@example.com".replace("ü", "ue"),
                "PhoneNumber": f"+1555010{n % 6:04d}",
                "AccountNumber": f"ACC-{1000 + n}",
                "Address": {"City": CITIES[n % 6], "Country": "US"},
                "Attributes": {"tier": ["gold", "silver", "bronze"][n % 3]},
            }
        )
    profiles.append({**profiles[0], "EmailAddress": "ana.s@example.org", "AccountNumber": "ACC-2000"})
    return profiles


def _table(items: Iterable[Mapping[str, Any]], out: Callable[[str], None]) -> None:
    out(f"  {'ProfileId':<34}{'Name':<16}{'Email':<28}{'Phone':<14}FoundByItems")
    for item in items:
        name = f"{item.get('FirstName', '')} {item.get('LastName', '')}"
        found = "; ".join(f"{f['KeyName']}={','.join(f['Values'])}" for f in item.get("FoundByItems", []))
        out(
            f"  {item['ProfileId']:<34}{name:<16}{item.get('EmailAddress', ''):<28}"
            f"{item.get('PhoneNumber', ''):<14}{found}"
        )


def run(out: Callable[[str], None] = print) -> dict[str, int]:
    """Run the demo; returns how many profiles each search found (the tests check these)."""
    import boto3

    from mock_customer_profiles import mock_customer_profiles

    counts: dict[str, int] = {}
    with mock_customer_profiles():
        client = boto3.client("customer-profiles", region_name="us-east-1")
        client.create_domain(DomainName="demo-contact-centre", DefaultExpirationDays=365)
        for fields in demo_profiles():
            client.create_profile(DomainName="demo-contact-centre", **fields)
        out("Seeded domain 'demo-contact-centre' with 37 profiles through boto3.\n")

        out("1. OR search: _email = emma.khan@example.com OR _phone = +15550100002")
        found = client.search_profiles(
            DomainName="demo-contact-centre",
            KeyName="_email",
            Values=["emma.khan@example.com"],
            AdditionalSearchKeys=[{"KeyName": "_phone", "Values": ["+15550100002"]}],
            LogicalOperator="OR",
        )["Items"]
        _table(found, out)
        counts["or"] = len(found)

        out("\n2. AND search: _fullName = Ana Silva AND _email in [ana.s@example.org, nobody@example.com]")
        found = client.search_profiles(
            DomainName="demo-contact-centre",
            KeyName="_fullName",
            Values=["Ana Silva"],
            AdditionalSearchKeys=[{"KeyName": "_email", "Values": ["ana.s@example.org", "nobody@example.com"]}],
            LogicalOperator="AND",
        )["Items"]
        _table(found, out)
        counts["and"] = len(found)

        out("\n3. Paginated OR search, 4 per page: _phone = +15550100000 OR _account = ACC-1001")
        paginator_args: dict[str, Any] = {
            "DomainName": "demo-contact-centre",
            "KeyName": "_phone",
            "Values": ["+15550100000"],
            "AdditionalSearchKeys": [{"KeyName": "_account", "Values": ["ACC-1001"]}],
            "MaxResults": 4,
        }
        total = 0
        for page_number in itertools.count(1):
            page = client.search_profiles(**paginator_args)
            out(f" page {page_number}: {len(page['Items'])} profile(s)")
            _table(page["Items"], out)
            total += len(page["Items"])
            if "NextToken" not in page:
                break
            paginator_args["NextToken"] = page["NextToken"]
        counts["paginated"] = total
        counts["pages"] = page_number
        out(f"\n{total} profiles in {page_number} pages. No request left the process.")
    return counts
