"""Exceptions: modelled service errors (raised by handlers) and the one for unimplemented operations."""

from __future__ import annotations

from mock_customer_profiles._links import README_IMPLEMENTED


class ServiceError(Exception):
    """A modelled error of the service; the codec turns it into the error response AWS would send."""

    code = "BadRequestException"
    status: int | None = None  # None: the status of the error shape in the model

    def __init__(self, message: str, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class BadRequest(ServiceError):
    code = "BadRequestException"


class NotFound(ServiceError):
    code = "ResourceNotFoundException"


class NotImplementedOperation(NotImplementedError):
    """Raised for an operation the mock does not implement.

    A ``NotImplementedError`` and never a ``ClientError``, so that ``except ClientError`` in the code
    under test cannot swallow it.
    """

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(
            f"mock_customer_profiles: {operation} is not implemented by the mock.\n"
            f"- the call never left the process: nothing was sent to AWS\n"
            f"- implemented operations are listed in {README_IMPLEMENTED}"
        )
