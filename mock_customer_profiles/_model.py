"""The botocore service model of Customer Profiles, loaded once and lazily.

Only the codec (and the schema compiler it drives) reads the model; everything else asks them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeAlias

    from botocore.model import OperationModel, ServiceModel

    Shape: TypeAlias = Any
    """A shape of the model. botocore makes each a ``StructureShape``, ``ListShape``, ``MapShape`` or
    ``StringShape`` by its ``type_name``, and the codec and schema compiler dispatch on that name (a
    string test is cheaper than ``isinstance`` on the hot path); botocore-stubs' class hierarchy cannot
    follow a string test, so shapes are typed loosely here, once, rather than cast at every member read."""

SERVICE_NAME = "customer-profiles"


@functools.cache
def service_model() -> ServiceModel:
    """The model botocore ships for ``customer-profiles`` (loaded on first use, then cached)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@functools.cache
def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


@functools.cache
def operation_names() -> tuple[str, ...]:
    return tuple(service_model().operation_names)


@functools.cache
def error_status(code: str) -> int:
    """HTTP status of a modelled error shape (400 for a code the model does not know)."""
    try:
        shape = service_model().shape_for(code)
    except Exception:  # noqa: BLE001 - an unknown shape name is simply not modelled
        return 400
    status = shape.metadata.get("error", {}).get("httpStatusCode", 400)
    return int(status)


@functools.cache
def operation_errors(name: str) -> tuple[str, ...]:
    """The error codes an operation declares, in model order."""
    return tuple(shape.name for shape in operation_model(name).error_shapes)
