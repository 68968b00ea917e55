"""Upload jobs with the mock's ``lifecycle="manual"``: a job runs until the test settles it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from test_upload_jobs import CSV, create_job, find, upload

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
