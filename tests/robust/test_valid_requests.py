"""Requests generated from the input shapes (hypothesis-jsonschema over the compiled JSON Schemas) are never
rejected as invalid, and every answer fits the output shape: the mock cannot drift from the model.

The requests go through a boto3 client with botocore's own validation on, so a request the schema
allows but botocore refuses shows up too (the compiled schema would be looser than the model).
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from mock_customer_profiles import mock_customer_profiles
from mock_customer_profiles._handlers import HANDLERS

from .support import WireClient, as_params, check_outcome, seed, snapshot, split, sweep_settings, valid_request

OPERATIONS = sorted(HANDLERS)


@pytest.fixture(scope="module")
def wire() -> WireClient:
    return WireClient(validate=True)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_requests_pass_validation_and_answers_fit_the_output_shape(wire: WireClient, operation: str) -> None:
    endings: Counter[str] = Counter()

    @sweep_settings()
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        with mock_customer_profiles() as mock:
            pools = seed(mock)
            params, body = split(operation, data.draw(valid_request(operation, pools), label="request"))
            as_botocore = as_params(operation, body)
            assert as_botocore is not None
            before = snapshot(mock)
            outcome = wire.call(operation, {**params, **as_botocore})
            assert outcome.delivered, f"botocore refused a request the input schema allows\n- {outcome.describe()}"
            check_outcome(outcome, before, snapshot(mock))  # includes: no validation error, output fits
            endings[outcome.code or "success"] += 1
            event(outcome.code or "success")

    run()
    assert endings["success"] > 0, f"no generated request of {operation} succeeded: {dict(endings)}"
