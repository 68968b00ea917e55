"""Upload jobs outside the two doors: the mock's ``lifecycle="manual"``, and the server reached as a proxy."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from test_upload_jobs import CSV, create_job, find, sse_headers, upload

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles


@pytest.fixture
def manual() -> Iterator[Any]:
    with mock_customer_profiles(lifecycle="manual") as cp:
        cp.create_domain("acme")
        yield cp


def test_with_manual_lifecycle_a_job_runs_until_settled(manual: CustomerProfilesMock) -> None:
    client = boto3.client("customer-profiles", region_name="us-east-1")
    job_id = create_job(client)
    upload(client, job_id, CSV)
    client.start_upload_job(DomainName="acme", JobId=job_id)
    for _ in range(3):
        assert client.get_upload_job(DomainName="acme", JobId=job_id)["Status"] == "IN_PROGRESS"
    assert manual.settle("UploadJob") == 1
    assert client.get_upload_job(DomainName="acme", JobId=job_id)["Status"] == "SUCCEEDED"
    assert len(find(client, "customer_id", "C-1")) == 1


def test_the_server_answers_the_upload_host_as_a_proxy_would(mock: CustomerProfilesMock, server_thread: Any) -> None:
    """A client that sends the in-process upload URL to the server as its proxy (Host header of the mock's
    upload host) reaches the same upload."""
    server_thread.mock = mock
    mock.create_domain("acme")
    client = boto3.client("customer-profiles", region_name="us-east-1")  # in process: the mock's own host
    job_id = create_job(client)
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    url = path["Url"]
    assert url.startswith("https://customer-profiles-uploads.us-east-1.mock/123456789012/acme/")
    host, _, rest = url.removeprefix("https://").partition("/")
    response = requests.put(
        f"{server_thread.endpoint_url}/{rest}",
        data=CSV,
        headers={**sse_headers(path["ClientToken"]), "Host": host},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    assert mock.effects("Upload")[0].job_id == job_id
    client.start_upload_job(DomainName="acme", JobId=job_id)
    mock.settle("UploadJob")
    assert len(find(client, "customer_id", "C-2")) == 1


def test_with_expire_profiles_off_a_job_s_profiles_stay() -> None:
    import datetime as dt

    import time_machine

    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock, mock_customer_profiles(expire_profiles=False) as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles", region_name="us-east-1")
        job_id = create_job(client, DataExpiry=1)
        upload(client, job_id, CSV)
        client.start_upload_job(DomainName="acme", JobId=job_id)
        cp.settle("UploadJob")
        clock.shift(dt.timedelta(days=30))
        assert len(find(client, "customer_id", "C-1")) == 1


def test_the_server_refuses_an_upload_over_5_gb_as_s3_does(mock: CustomerProfilesMock, server_thread: Any) -> None:
    """A PUT whose Content-Length is over S3's single-PUT limit is answered before any of it is read."""
    server_thread.mock = mock
    mock.create_domain("acme")
    client = boto3.client("customer-profiles", region_name="us-east-1", endpoint_url=server_thread.endpoint_url)
    job_id = create_job(client)
    path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
    target = path["Url"].removeprefix(server_thread.endpoint_url)
    connection = http.client.HTTPConnection("127.0.0.1", server_thread.port, timeout=30)
    connection.putrequest("PUT", target)
    for name, value in sse_headers(path["ClientToken"]).items():
        connection.putheader(name, value)
    connection.putheader("Content-Length", str(5 * 1024**3 + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 400
    assert b"<Code>EntityTooLarge</Code>" in response.read()
    connection.close()
    assert mock.effects("Upload") == []
