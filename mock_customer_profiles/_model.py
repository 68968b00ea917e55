"""The botocore service model of Customer Profiles, loaded once and lazily.

Only the codec (and the schema compiler it drives) reads the model; everything else asks them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

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
