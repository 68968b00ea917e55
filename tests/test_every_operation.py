"""No operation of the installed model raises NotImplementedOperation.

Passes once every family's branch is merged; until then it fails listing the operations still missing
(nothing is skipped: the lead runs it after merging everything)."""

from __future__ import annotations

import botocore.session

from mock_customer_profiles._handlers import HANDLERS


def test_every_operation_of_the_installed_model_has_a_handler() -> None:
    model = botocore.session.get_session().get_service_model("customer-profiles")
    missing = sorted(name for name in model.operation_names if name not in HANDLERS)
    assert not missing, f"{len(missing)} operation(s) still raise NotImplementedOperation:\n- " + "\n- ".join(missing)
