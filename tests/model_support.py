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


def missing_from_model(error: BaseException) -> str | None:
    """Why ``error`` means the installed model lacks what a test uses (an operation, a client method, an
    input member), or None. On an older botocore such a test is skipped, not failed (``tests/conftest.py``);
    on the newest none of these arise unless a test or the mock is wrong, and the main job fails them."""
    from botocore.exceptions import ParamValidationError
    from botocore.model import OperationNotFoundError

    text = str(error)
    if isinstance(error, OperationNotFoundError):
        return text
    if isinstance(error, ParamValidationError) and "Unknown parameter in" in text:
        return text.splitlines()[-1].strip()
    if isinstance(error, AttributeError) and "'CustomerProfiles' object has no attribute" in text:
        return text
    return None
