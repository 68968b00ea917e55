"""What the installed botocore's service model lacks: on an older botocore (CI's ``oldest`` and ``aio``
sessions of noxfile.py), a test that uses an operation or member only a newer model has is reported
skipped by ``tests/conftest.py``, with what is missing, instead of failing there."""

from __future__ import annotations


def missing_from_model(error: BaseException) -> str | None:
    """Why ``error`` means the installed model lacks what a test uses (an operation, a client method, an
    input member), or None. On the newest botocore none of these arise unless a test or the mock is
    wrong, and the main job (which does not convert them) fails them."""
    from botocore.exceptions import ClientError, ParamValidationError
    from botocore.model import OperationNotFoundError

    text = str(error)
    if isinstance(error, OperationNotFoundError):
        return text
    if isinstance(error, (ClientError, AssertionError)) and "Member must satisfy enum value set" in text:
        return "the model's enum lacks a value the test sends: " + text.split("detected: ", 1)[-1][:200]
    if type(error).__name__ == "SeedError" and "is not one of" in text:  # a seed entry's enum, the same way
        return "the model's enum lacks a value the seed holds: " + text.splitlines()[-1][:200]
    if isinstance(error, ParamValidationError) and "Unknown parameter in" in text:
        return text.splitlines()[-1].strip()
    if isinstance(error, AttributeError) and "'CustomerProfiles' object has no attribute" in text:
        return text
    return None
