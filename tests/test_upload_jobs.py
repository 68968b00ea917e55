"""Upload jobs: a CSV file PUT to the URL of GetUploadJobPath becomes profiles when the job completes, with
ResultsSummary counts and the statuses of the one lifecycle (reference notes §6.1)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import time_machine
from botocore.exceptions import ClientError
from dataplane_helpers import not_found

from mock_customer_profiles import CustomerProfilesMock

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

FIELDS = {
    "customer_id": {"Source": "_source.customer_id", "ContentType": "STRING"},
    "first": {"Source": "_source.first", "Target": "_profile.FirstName", "ContentType": "NAME"},
    "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
    "tier": {"Source": "_source.tier", "Target": "_profile.Attributes.tier", "ContentType": "STRING"},
}
CSV = "customer_id,first,email,tier\nC-1,Ana,ana@example.com,gold\nC-2,Bo,bo@example.com,silver\n"


@contextlib.contextmanager
def bad_request(fragment: str) -> Iterator[None]:
    """The block fails with BadRequestException, its message holding ``fragment``."""
    with pytest.raises(ClientError) as info:
        yield
    assert info.value.response["Error"]["Code"] == "BadRequestException"
    assert fragment in info.value.response["Error"]["Message"]


def sse_headers(token: str) -> dict[str, str]:
    """The SSE-C headers S3 wants with the ClientToken (as a real client sends them)."""
    md5 = base64.b64encode(hashlib.md5(base64.b64decode(token)).digest()).decode()
    return {
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": token,
        "x-amz-server-side-encryption-customer-key-MD5": md5,
    }


def create_job(client: Any, fields: dict[str, Any] | None = None, **params: Any) -> str:
    params.setdefault("UniqueKey", "customer_id")
    job = client.create_upload_job(DomainName="acme", DisplayName="customers.csv", Fields=fields or FIELDS, **params)
    return str(job["JobId"])


def upload(client: Any, job_id: str, text: str | bytes) -> requests.Response:
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    body = text.encode() if isinstance(text, str) else text
    return requests.put(path["Url"], data=body, headers=sse_headers(path["ClientToken"]), timeout=5)


def run_job(client: Any, text: str | bytes, **params: Any) -> dict[str, Any]:
    job_id = create_job(client, **params)
    assert upload(client, job_id, text).status_code == 200
    client.start_upload_job(DomainName="acme", JobId=job_id)
    while (job := client.get_upload_job(DomainName="acme", JobId=job_id))["Status"] == "IN_PROGRESS":
        pass
    return dict(job)


def find(client: Any, key: str, value: str) -> list[dict[str, Any]]:
    return list(client.search_profiles(DomainName="acme", KeyName=key, Values=[value])["Items"])


def test_a_job_goes_from_created_through_in_progress_to_succeeded_and_creates_profiles(
    client: Any, domain: str, mock: CustomerProfilesMock
) -> None:
    job_id = create_job(client)
    job = client.get_upload_job(DomainName="acme", JobId=job_id)
    assert job["Status"] == "CREATED"
    assert job["DataExpiry"] == 14  # "the system default of 2 weeks"
    assert job["Fields"] == FIELDS
    assert job["UniqueKey"] == "customer_id"
    assert "ResultsSummary" not in job
    assert "CompletedAt" not in job

    response = upload(client, job_id, CSV)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"' + hashlib.md5(CSV.encode()).hexdigest() + '"'
    [uploaded] = mock.effects("Upload")
    assert (uploaded.domain, uploaded.job_id, uploaded.text) == ("acme", job_id, CSV)
    assert find(client, "_email", "ana@example.com") == []  # nothing happens before the job runs

    client.start_upload_job(DomainName="acme", JobId=job_id)
    running = client.get_upload_job(DomainName="acme", JobId=job_id)
    assert running["Status"] == "IN_PROGRESS"
    done = client.get_upload_job(DomainName="acme", JobId=job_id)
    assert done["Status"] == "SUCCEEDED"
    assert done["ResultsSummary"] == {"CreatedRecords": 2, "UpdatedRecords": 0, "FailedRecords": 0}
    assert done["CompletedAt"] >= done["CreatedAt"]

    [ana] = find(client, "customer_id", "C-1")  # the unique key finds the profile it made
    assert (ana["FirstName"], ana["EmailAddress"], ana["Attributes"]) == ("Ana", "ana@example.com", {"tier": "gold"})
    assert find(client, "_email", "bo@example.com")[0]["FirstName"] == "Bo"
    [listed] = client.list_upload_jobs(DomainName="acme")["Items"]
    assert listed["JobId"] == job_id
    assert listed["Status"] == "SUCCEEDED"
    assert listed["DisplayName"] == "customers.csv"


def test_a_second_job_updates_the_profiles_its_unique_key_finds(client: Any, domain: str) -> None:
    run_job(client, CSV)
    job = run_job(client, "customer_id,first,email,tier\nC-1,Ana,ana@example.com,platinum\nC-3,Cy,cy@example.com,\n")
    assert job["ResultsSummary"] == {"CreatedRecords": 1, "UpdatedRecords": 1, "FailedRecords": 0}
    [ana] = find(client, "customer_id", "C-1")
    assert ana["Attributes"] == {"tier": "platinum"}
    assert len(client.search_profiles(DomainName="acme", KeyName="_email", Values=["cy@example.com"])["Items"]) == 1


def test_a_unique_key_that_targets_the_email_finds_a_profile_made_by_create_profile(client: Any, domain: str) -> None:
    pid = client.create_profile(DomainName="acme", EmailAddress="ana@example.com", FirstName="Anna")["ProfileId"]
    job = run_job(client, CSV, UniqueKey="email")
    assert job["ResultsSummary"] == {"CreatedRecords": 1, "UpdatedRecords": 1, "FailedRecords": 0}
    [ana] = find(client, "_email", "ana@example.com")
    assert ana["ProfileId"] == pid
    assert ana["FirstName"] == "Anna"  # set through the API: an upload never overwrites it
    assert ana["Attributes"] == {"tier": "gold"}  # an empty field is filled


def test_a_unique_key_value_two_profiles_hold_is_a_failed_record(client: Any, domain: str) -> None:
    for _ in range(2):
        client.create_profile(DomainName="acme", EmailAddress="ana@example.com")
    job = run_job(client, CSV, UniqueKey="email")
    assert job["Status"] == "PARTIALLY_SUCCEEDED"
    assert job["ResultsSummary"] == {"CreatedRecords": 1, "UpdatedRecords": 0, "FailedRecords": 1}


def test_malformed_rows_fail_alone_and_the_job_partially_succeeds(client: Any, domain: str) -> None:
    text = "customer_id,first,email,tier\nC-1,Ana,ana@example.com,gold\n,NoKey,x@example.com,\nC-2,Bo\n\n"
    job = run_job(client, text)
    assert job["Status"] == "PARTIALLY_SUCCEEDED"
    assert "StatusReason" not in job
    assert job["ResultsSummary"] == {"CreatedRecords": 1, "UpdatedRecords": 0, "FailedRecords": 2}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(None, id="no file"),
        pytest.param("customer_id,first\nC-1,Ana\n", id="a column the fields read is missing"),
        pytest.param(b"customer_id,first,email,tier\n\xff\xfe,x,y,z\n", id="not UTF-8"),
        pytest.param("", id="no header"),
        pytest.param(
            "customer_id,first,email,tier\nC-1," + "A" * 140_000 + ",a@example.com,\n", id="a cell over 128 KB"
        ),
        pytest.param("customer_id,customer_id,email,tier\nC-1,C-1,a@example.com,\n", id="a column twice"),
        pytest.param("customer_id,first,email,tier\n,Ana,a@example.com,\n", id="no row has its unique key"),
    ],
)
def test_a_file_with_nothing_to_ingest_fails_the_job_with_a_validation_failure(
    client: Any, domain: str, text: str | bytes | None
) -> None:
    job_id = create_job(client)
    if text is not None:
        assert upload(client, job_id, text).status_code == 200
    client.start_upload_job(DomainName="acme", JobId=job_id)
    client.get_upload_job(DomainName="acme", JobId=job_id)
    job = client.get_upload_job(DomainName="acme", JobId=job_id)
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "VALIDATION_FAILURE")
    assert job["ResultsSummary"]["CreatedRecords"] == 0
    assert client.search_profiles(DomainName="acme", KeyName="customer_id", Values=["C-1"])["Items"] == []


def test_fail_next_ends_the_job_in_an_internal_failure_without_ingesting(
    client: Any, domain: str, mock: CustomerProfilesMock
) -> None:
    mock.fail_next("UploadJob")
    job = run_job(client, CSV)
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "INTERNAL_FAILURE")
    assert find(client, "customer_id", "C-1") == []


def test_stop_ends_a_created_or_running_job_and_nothing_is_ingested(client: Any, domain: str) -> None:
    created = create_job(client)
    client.stop_upload_job(DomainName="acme", JobId=created)
    assert client.get_upload_job(DomainName="acme", JobId=created)["Status"] == "STOPPED"
    with bad_request("is STOPPED: only a CREATED job can be started"):
        client.start_upload_job(DomainName="acme", JobId=created)

    running = create_job(client)
    upload(client, running, CSV)
    client.start_upload_job(DomainName="acme", JobId=running)
    assert client.get_upload_job(DomainName="acme", JobId=running)["Status"] == "IN_PROGRESS"
    client.stop_upload_job(DomainName="acme", JobId=running)
    job = client.get_upload_job(DomainName="acme", JobId=running)
    assert job["Status"] == "STOPPED"
    assert "CompletedAt" in job
    assert find(client, "customer_id", "C-1") == []
    with bad_request("is STOPPED: only a CREATED or IN_PROGRESS job can be stopped"):
        client.stop_upload_job(DomainName="acme", JobId=running)


def test_a_finished_job_can_be_neither_started_nor_stopped_nor_uploaded_to(client: Any, domain: str) -> None:
    job_id = run_job(client, CSV)["JobId"]
    with bad_request("is SUCCEEDED: only a CREATED job can be started"):
        client.start_upload_job(DomainName="acme", JobId=job_id)
    with bad_request("is SUCCEEDED: only a CREATED or IN_PROGRESS job can be stopped"):
        client.stop_upload_job(DomainName="acme", JobId=job_id)
    with bad_request("has already started"):
        client.get_upload_job_path(DomainName="acme", JobId=job_id)


def test_a_url_handed_out_before_the_start_takes_no_file_after_it(client: Any, domain: str) -> None:
    job_id = create_job(client)
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    client.start_upload_job(DomainName="acme", JobId=job_id)
    response = requests.put(path["Url"], data=CSV, headers=sse_headers(path["ClientToken"]), timeout=5)
    assert response.status_code == 403
    assert "<Code>AccessDenied</Code>" in response.text


def test_the_upload_url_checks_what_s3_would(client: Any, domain: str) -> None:
    job_id = create_job(client)
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    url, token = path["Url"], path["ClientToken"]
    assert path["ValidUntil"] > dt.datetime.now(dt.timezone.utc)
    other = client.get_upload_job_path(DomainName="acme", JobId=job_id)["ClientToken"]

    def put(target: str = url, **headers: str) -> requests.Response:
        return requests.put(target, data=CSV, headers=headers, timeout=5)

    assert put().status_code == 400  # no SSE-C headers
    wrong_md5 = {**sse_headers(token), "x-amz-server-side-encryption-customer-key-MD5": "AAAA"}
    assert put(**wrong_md5).status_code == 400
    assert (
        put(**{**sse_headers(token), "x-amz-server-side-encryption-customer-algorithm": "aws:kms"}).status_code == 400
    )
    assert put(**sse_headers(base64.b64encode(b"k" * 32).decode())).status_code == 403  # not a ClientToken
    tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert "SignatureDoesNotMatch" in put(tampered, **sse_headers(token)).text
    assert requests.get(url, timeout=5).status_code == 405
    unsigned = url.replace("X-Mock-Expires=", "X-Mock-Expires=x")
    assert "SignatureDoesNotMatch" in put(unsigned, **sse_headers(token)).text
    assert put(url.replace(".csv?", ".txt?"), **sse_headers(token)).status_code == 404
    unknown = url.replace(job_id, "0" * 32)
    assert put(unknown, **sse_headers(token)).status_code == 404
    assert put(**sse_headers(other)).status_code == 200  # every ClientToken handed out for the job works


def test_an_upload_url_expires_after_an_hour(client: Any, domain: str) -> None:
    job_id = create_job(client)
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, minutes=1)):
        response = requests.put(path["Url"], data=CSV, headers=sse_headers(path["ClientToken"]), timeout=5)
    assert response.status_code == 403
    assert "Request has expired" in response.text


def test_profiles_from_a_job_live_data_expiry_days(client: Any, domain: str) -> None:
    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        run_job(client, CSV, DataExpiry=3)
        clock.shift(dt.timedelta(days=2, hours=23))
        assert len(find(client, "customer_id", "C-1")) == 1
        clock.shift(dt.timedelta(hours=2))
        assert find(client, "customer_id", "C-1") == []


def test_the_mapping_is_checked_when_the_job_is_created(client: Any, domain: str) -> None:
    with bad_request("Source must be _source.<column>"):
        create_job(client, {"customer_id": {"Source": "customer_id"}})
    with bad_request("has no Source"):
        create_job(client, {"customer_id": {"Target": "_profile.FirstName"}})
    with bad_request("Target _profile.Nickname is not a standard profile field"):
        create_job(client, {"customer_id": {"Source": "_source.customer_id", "Target": "_profile.Nickname"}})
    with bad_request("UniqueKey nope is neither a field of Fields nor a column"):
        create_job(client, UniqueKey="nope")
    with bad_request("UniqueKey _id cannot name a profile key"):
        create_job(client, {"_id": {"Source": "_source._id"}}, UniqueKey="_id")
    assert client.list_upload_jobs(DomainName="acme")["Items"] == []


def test_the_unique_key_may_name_the_column_a_field_reads(client: Any, domain: str) -> None:
    fields = {"cid": {"Source": "_source.customer_id"}, **{k: v for k, v in FIELDS.items() if k != "customer_id"}}
    job = run_job(client, CSV, fields=fields)
    assert job["ResultsSummary"]["CreatedRecords"] == 2
    assert len(find(client, "customer_id", "C-2")) == 1


def test_unknown_jobs_and_domains_are_not_found(client: Any, domain: str) -> None:
    for call in (client.get_upload_job, client.start_upload_job, client.stop_upload_job, client.get_upload_job_path):
        with not_found(f"Upload job {'0' * 32} not found in domain acme"):
            call(DomainName="acme", JobId="0" * 32)
    with not_found("Domain nope not found"):
        client.list_upload_jobs(DomainName="nope")


def test_list_upload_jobs_pages_in_creation_order(client: Any, domain: str) -> None:
    ids = [create_job(client) for _ in range(5)]
    first = client.list_upload_jobs(DomainName="acme", MaxResults=3)
    rest = client.list_upload_jobs(DomainName="acme", MaxResults=3, NextToken=first["NextToken"])
    assert [item["JobId"] for item in first["Items"] + rest["Items"]] == ids
    assert "NextToken" not in rest


def test_a_value_the_field_cannot_hold_goes_to_a_mapping_note(
    client: Any, domain: str, mock: CustomerProfilesMock
) -> None:
    fields = {**FIELDS, "gender": {"Source": "_source.gender", "Target": "_profile.Gender"}}
    job = run_job(client, "customer_id,first,email,tier,gender\nC-1,Ana,a@example.com,,F\n", fields=fields)
    assert job["Status"] == "SUCCEEDED"
    [note] = mock.mapping_notes
    assert (note.object_type, note.target, note.value, note.stored_in) == (
        f"UploadJob {job['JobId']}",
        "_profile.Gender",
        "F",
        "GenderString",
    )
    assert find(client, "customer_id", "C-1")[0]["GenderString"] == "F"


def test_a_file_larger_than_an_api_body_uploads(client: Any, domain: str) -> None:
    """A CSV file over 1 MB (the server's limit for an API body) goes to the upload URL whole, in process and
    through the server alike: S3 takes up to 5 GB in one PUT."""
    rows = [f"C-{index},Ana,a{index}@example.com,gold,{'x' * 1000}" for index in range(1100)]
    text = "customer_id,first,email,tier,note\n" + "\n".join(rows) + "\n"
    assert len(text.encode()) > 1024 * 1024
    job = run_job(client, text)
    assert job["Status"] == "SUCCEEDED"
    assert job["ResultsSummary"]["CreatedRecords"] == 1100
    assert find(client, "customer_id", "C-1099")[0]["EmailAddress"] == "a1099@example.com"
