"""What the installed botocore's service model lacks: on an older botocore (CI's ``oldest`` and ``aio``
sessions of noxfile.py), a test that uses an operation or member only a newer model has is reported
skipped by ``tests/conftest.py``, with what is missing, instead of failing there."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import pytest


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
    # A seed list of a family newer than the model, raised or shown by pytest.raises(..., match=...).
    if type(error).__name__ in ("SeedError", "AssertionError"):
        lacking = re.search(
            r"domains\[\d+\]\.\w+\[\d+\]: botocore \S+ has no \w+ in its service model: [^\\'\n]*", text
        )
        if lacking is not None:
            return lacking.group()
    if isinstance(error, ParamValidationError) and "Unknown parameter in" in text:
        return text.splitlines()[-1].strip()
    if isinstance(error, AttributeError) and "'CustomerProfiles' object has no attribute" in text:
        return text
    return None


# The helpers below let a test say, before it runs, what of the newest model it uses: a newer member it can
# leave out on an older model (``modelled``), one it cannot do without (``needs``), or a value an older model's
# constraints refuse before the mock's own check is reached (``unless_model_accepts``).


@functools.cache
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("customer-profiles")


def _model_shape(operation: str, path: tuple[str, ...], output: bool) -> Any:
    """The shape at ``path`` (member names; a list or map steps into its items) of the operation's input
    (or output) in the installed model, or None where the model lacks the operation or a member on the way."""
    model = _service_model()
    if operation not in model.operation_names:
        return None
    operation_model = model.operation_model(operation)
    shape = operation_model.output_shape if output else operation_model.input_shape
    for name in path:
        while shape is not None and shape.type_name in ("list", "map"):
            shape = shape.member if shape.type_name == "list" else shape.value
        if shape is None or shape.type_name != "structure" or name not in shape.members:
            return None
        shape = shape.members[name]
    return shape


def model_has(operation: str, *path: str, output: bool = False) -> bool:
    """Whether the installed model has ``operation`` and the member at ``path`` of its input (or output)."""
    return _model_shape(operation, path, output) is not None


def modelled(operation: str, values: Mapping[str, Any], *, output: bool = False) -> dict[str, Any]:
    """``values`` without the members the installed model's input (or output) of ``operation`` lacks: what a
    test sends, or expects back, on a model that has not every member of the newest (botocore leaves out of
    a response a member its model lacks)."""
    return {name: value for name, value in values.items() if model_has(operation, name, output=output)}


def needs(operation: str, *path: str, output: bool = False) -> pytest.MarkDecorator:
    """Skip the test (or case) where the installed model lacks ``operation`` or the member at ``path``."""
    import botocore

    where = f"{operation} {'output' if output else 'input'} member {'.'.join(path)}" if path else operation
    return pytest.mark.skipif(
        not model_has(operation, *path, output=output), reason=f"botocore {botocore.__version__}'s model has no {where}"
    )


def model_refuses(operation: str, path: str, value: Any) -> str | None:
    """Which constraint of the installed model ``value``, sent as ``operation``'s input member ``path``
    (dotted), breaks (a member it lacks or requires, a length, a bound, an enum), or None."""
    steps = tuple(path.split("."))
    shape = _model_shape(operation, steps, output=False)
    if shape is None:
        return f"has no {operation} input member {path}"
    return _refusal(shape, value, path)


def _refusal(shape: Any, value: Any, where: str) -> str | None:
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        for name, item in value.items():
            if name not in shape.members:
                return f"has no member {where}.{name}"
            found = _refusal(shape.members[name], item, f"{where}.{name}")
            if found is not None:
                return found
        for name in shape.required_members:
            if name not in value:
                return f"requires {where}.{name}"
        return None
    if kind in ("list", "map", "string"):
        size = len(value)
        if size < meta.get("min", 0) or size > meta.get("max", size):
            return f"takes {meta.get('min', 0)} to {meta.get('max')} at {where}, not {size}"
        if kind == "string" and shape.enum and value not in shape.enum:
            return f"has no {value!r} in the enum of {where}"
        items = value if kind == "list" else value.values() if kind == "map" else ()
        member = shape.member if kind == "list" else shape.value if kind == "map" else None
        for item in items:
            found = _refusal(member, item, f"{where}[]")
            if found is not None:
                return found
        return None
    if kind in ("integer", "long", "double", "float") and not meta.get("min", value) <= value <= meta.get("max", value):
        return f"takes {meta.get('min')} to {meta.get('max')} at {where}, not {value}"
    return None


def unless_model_accepts(operation: str, path: str, value: Any) -> pytest.MarkDecorator:
    """Skip the test (or case) where the installed model's own constraints refuse ``value`` as ``operation``'s
    input member ``path``: an older model, stricter than the newest, answers with its validation message (or
    botocore refuses the call) before the mock's own check, which the test is about, is reached."""
    import botocore

    refusal = model_refuses(operation, path, value)
    return pytest.mark.skipif(
        refusal is not None,
        reason=f"botocore {botocore.__version__}'s model {refusal} ({operation}): refused before the mock's check",
    )
