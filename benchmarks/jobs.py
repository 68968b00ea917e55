"""8. Jobs: an upload job of 10 000 rows against one of 100 (create, GetUploadJobPath, the PUT of the file
through ``requests``, StartUploadJob, GetUploadJob until done), as the time per row; and
GetObjectTypeAttributeStatistics / ListObjectTypeAttributeValues over an object type of 10 000 objects against
one of 100. Both through boto3; the lifecycle is "instant", so a job is done when it starts."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from typing import Any

import boto3
import requests

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Jobs"
REGION = "us-east-1"
FIELDS = {
    "customer_id": {"Source": "_source.customer_id"},
    "first": {"Source": "_source.first", "Target": "_profile.FirstName", "ContentType": "NAME"},
    "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
}


def _csv(rows: int, batch: int) -> str:
    lines = ["customer_id,first,email"]
    lines += [f"B{batch}-{i},First{i},c{batch}-{i}@example.com" for i in range(rows)]
    return "\n".join(lines) + "\n"


def _upload_job(client: Any, text: str) -> dict[str, Any]:
    job_id = client.create_upload_job(DomainName="acme", DisplayName="c.csv", Fields=FIELDS, UniqueKey="customer_id")[
        "JobId"
    ]
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    token = path["ClientToken"]
    headers = {
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": token,
        "x-amz-server-side-encryption-customer-key-MD5": base64.b64encode(
            hashlib.md5(base64.b64decode(token)).digest()
        ).decode(),
    }
    requests.put(path["Url"], data=text, headers=headers, timeout=30)
    client.start_upload_job(DomainName="acme", JobId=job_id)
    return dict(client.get_upload_job(DomainName="acme", JobId=job_id))


def _orders(client: Any, name: str, count: int) -> None:
    client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName=name,
        Description=name,
        AllowProfileCreation=True,
        Fields={"id": {"Source": "_source.id"}, "amount": {"Source": "_source.amount", "ContentType": "NUMBER"}},
        Keys={f"{name}Id": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
    )
    for i in range(count):
        order = {"id": f"{name}-{i}", "amount": (i * 37) % 1000}
        client.put_profile_object(DomainName="acme", ObjectTypeName=name, Object=json.dumps(order))


def run(quick: bool) -> Results:
    big, small = (2000, 20) if quick else (10_000, 100)
    rounds = 3 if quick else 5
    results = Results()
    with mock_customer_profiles(lifecycle="instant"):
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_domain(DomainName="acme", DefaultExpirationDays=365, DataStore={"Enabled": True})
        batches = itertools.count()

        def job(rows: int) -> object:
            done = _upload_job(client, _csv(rows, next(batches)))
            assert done["ResultsSummary"]["CreatedRecords"] == rows, done
            return done

        jobs = compare({"big": lambda: job(big), "small": lambda: job(small)}, number=1, rounds=rounds)

        _orders(client, "Big", big)
        _orders(client, "Small", small)

        def statistics(name: str) -> object:
            return client.get_object_type_attribute_statistics(
                DomainName="acme", ObjectTypeName=name, AttributeName="amount"
            )

        def values(name: str) -> object:
            return client.list_object_type_attribute_values(
                DomainName="acme", ObjectTypeName=name, AttributeName="id", MaxResults=small
            )

        reads = compare(
            {
                "stats big": lambda: statistics("Big"),
                "stats small": lambda: statistics("Small"),
                "values big": lambda: values("Big"),
                "values small": lambda: values("Small"),
            },
            number=50 if quick else 200,
            rounds=rounds,
        )

    per_row = {name: jobs[name] / rows * 1e6 for name, rows in (("big", big), ("small", small))}
    results.figures += [
        Figure(SECTION, f"upload job of {big} rows, per row", per_row["big"], "µs/row"),
        Figure(SECTION, f"upload job of {small} rows, per row", per_row["small"], "µs/row"),
        Figure(SECTION, f"GetObjectTypeAttributeStatistics over {big} objects", reads["stats big"] * 1e6, "µs/call"),
        Figure(SECTION, f"ListObjectTypeAttributeValues over {big} objects", reads["values big"] * 1e6, "µs/call"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            f"upload job time per row: {small} rows ÷ {big} rows (linear or better: ≥ 1)",
            jobs.ratio("small", "big") * big / small,
            target=1.0,
            label="per row, small ÷ big",
        ),
        Ratio(
            SECTION,
            f"GetObjectTypeAttributeStatistics over {small} objects ÷ over {big} (kept aggregates: about 1)",
            reads.ratio("stats small", "stats big"),
            target=0.8,
            label="statistics, small ÷ big",
        ),
        Ratio(
            SECTION,
            f"ListObjectTypeAttributeValues (a page of {small}) over {small} objects ÷ over {big}",
            reads.ratio("values small", "values big"),
            target=0.8,
            label="values, small ÷ big",
        ),
    ]
    return results
