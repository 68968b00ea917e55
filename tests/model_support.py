"""What the installed botocore's service model holds: tests of operations or members that only a newer
model has skip on an older botocore (CI's ``oldest`` session of noxfile.py runs botocore 1.34.0) instead
of failing there."""

from __future__ import annotations

import botocore
import pytest

from mock_customer_profiles._model import operation_model, operation_names


def model_has(operation: str, *members: str) -> bool:
    """Whether the model defines ``operation`` and each of its input ``members``."""
    if operation not in operation_names():
        return False
    shape = operation_model(operation).input_shape
    return all(shape is not None and member in shape.members for member in members)


def needs(operation: str, *members: str) -> pytest.MarkDecorator:
    """Skip unless the installed model defines ``operation`` (and its input ``members``)."""
    what = f"{operation}({', '.join(members)})" if members else operation
    return pytest.mark.skipif(
        not model_has(operation, *members), reason=f"botocore {botocore.__version__}'s model has no {what}"
    )
