"""``mock_customer_profiles``: one object that is decorator, context manager and start/stop switch."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from mock_customer_profiles import _activation
from mock_customer_profiles._errors import ServiceError
from mock_customer_profiles._model import operation_errors, operation_names
from mock_customer_profiles._options import Options
from mock_customer_profiles._service import CallList, InjectedError, Service, client_error

if TYPE_CHECKING:
    import unittest

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class CustomerProfilesMock:
    """An in-process Customer Profiles. Active between ``start()`` and ``stop()`` (or inside ``with``)."""

    def __init__(self, **options: Any) -> None:
        self.options = Options.from_kwargs(options)
        self._service = Service(self.options)
        self._env_set: dict[str, str] = {}
        self._active = False

    # -------------------------------------------------------------------------------------- activation

    @property
    def service(self) -> Service:
        return self._service

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> CustomerProfilesMock:
        """Activate with an empty backend. Starting an active mock starts it afresh."""
        if self._active:
            self.stop()
        self._service = Service(self.options)
        self._set_env()
        _activation.push(self)
        self._active = True
        return self

    def stop(self) -> None:
        """Deactivate and discard the state. Stopping an inactive mock does nothing."""
        if not self._active:
            return
        self._active = False
        _activation.remove(self)
        self._restore_env()
        self._service.backends.clear()

    def __enter__(self) -> CustomerProfilesMock:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _set_env(self) -> None:
        wanted: dict[str, str] = {}
        if not any(os.environ.get(name) for name in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE")):
            wanted.update(_FAKE_CREDENTIALS)
        if not any(os.environ.get(name) for name in ("AWS_DEFAULT_REGION", "AWS_REGION")):
            wanted["AWS_DEFAULT_REGION"] = self.options.region
        for name, value in wanted.items():
            if name not in os.environ:
                os.environ[name] = value
                self._env_set[name] = value

    def _restore_env(self) -> None:
        for name, value in self._env_set.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        self._env_set = {}

    # ---------------------------------------------------------------------------------------- decorator

    @overload
    def __call__(self, target: type[T]) -> type[T]: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        """Decorate a test function (sync or async) or a test class: each call runs in a fresh mock."""
        return decorate(target, self.options)

    # ------------------------------------------------------------------------------------------ seeding

    def create_domain(self, name: str, **options: Any) -> dict[str, Any]:
        """``CreateDomain`` through the same handler and validation as a wire call.

        ``DefaultExpirationDays`` defaults to 365. Returns the CreateDomain output."""
        params = {"DomainName": name, "DefaultExpirationDays": 365, **options}
        return self._seed("CreateDomain", params)

    def create_profile(self, domain: str, **fields: Any) -> str:
        """``CreateProfile`` in ``domain``; returns the new ``ProfileId``."""
        return str(self._seed("CreateProfile", {"DomainName": domain, **fields})["ProfileId"])

    def _seed(self, operation: str, params: dict[str, Any], region: str | None = None) -> dict[str, Any]:
        try:
            return self._service.call(operation, params, region)
        except ServiceError as error:
            raise client_error(operation, error, 400) from None

    def client(self, region: str | None = None) -> Any:
        """A boto3 ``customer-profiles`` client answered by this mock (fake credentials)."""
        return _client(region or self.options.region)

    # ----------------------------------------------------------------------------------- inspection

    @property
    def calls(self) -> CallList:
        """Every wire call answered since activation: ``Call(operation, params, response, error)``."""
        return self._service.calls

    def add_error(self, operation: str, code: str, message: str | None = None, times: int = 1, **match: Any) -> None:
        """Make the next ``times`` calls of ``operation`` whose params match ``match`` fail with ``code``."""
        if operation not in operation_names():
            raise ValueError(f"mock_customer_profiles: {operation} is not a Customer Profiles operation")
        known = operation_errors(operation)
        if code not in known:
            raise ValueError(
                f"mock_customer_profiles: {operation} cannot fail with {code}\n"
                f"- errors of {operation} in the service model: {', '.join(known)}"
            )
        text = message or f"Injected {code} for {operation}"
        self._service.injected.append(InjectedError(operation, code, text, times, match))


@functools.lru_cache(maxsize=16)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def _client(region: str) -> Any:
    import boto3

    session = boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=region,
        botocore_session=_session(),
    )
    return session.client("customer-profiles")


def decorate(target: Any, options: Options) -> Any:
    """Wrap a function, coroutine function or test class so that each test runs in a fresh mock."""
    import inspect  # here, not at the top: importing the package stays cheap (pytest has it loaded anyway)

    if isinstance(target, type):
        return _decorate_class(target, options)
    if inspect.iscoroutinefunction(target):

        @functools.wraps(target)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with CustomerProfilesMock(**vars(options)):
                return await target(*args, **kwargs)

        return run_async

    @functools.wraps(target)
    def run(*args: Any, **kwargs: Any) -> Any:
        with CustomerProfilesMock(**vars(options)):
            return target(*args, **kwargs)

    return run


def _test_case_class() -> type[unittest.TestCase] | None:
    """``unittest.TestCase`` when unittest is loaded: a class derived from it means it is, and importing
    it costs more than this whole package."""
    module = sys.modules.get("unittest")
    return None if module is None else module.TestCase


def _decorate_class(cls: type[T], options: Options) -> type[T]:
    test_case = _test_case_class()
    if test_case is not None and issubclass(cls, test_case):
        # setUp, the test and tearDown share one mock: started before setUp, stopped by a cleanup.
        original = cls.setUp

        def set_up(self: unittest.TestCase) -> None:
            mock = CustomerProfilesMock(**vars(options)).start()
            self.addCleanup(mock.stop)
            original(self)

        cls.setUp = set_up  # type: ignore[method-assign]
        return cls
    for name, member in list(vars(cls).items()):
        if name.startswith("test") and callable(member):
            setattr(cls, name, decorate(member, options))
    return cls


@overload
def mock_customer_profiles(target: F, /) -> F: ...
@overload
def mock_customer_profiles(target: None = None, /, **options: Any) -> CustomerProfilesMock: ...
def mock_customer_profiles(target: Any = None, /, **options: Any) -> Any:
    """The mock. ``@mock_customer_profiles``, ``@mock_customer_profiles(...)``, ``with
    mock_customer_profiles() as cp``, and ``cp = mock_customer_profiles(); cp.start()`` all work."""
    if target is None:
        return CustomerProfilesMock(**options)
    return decorate(target, Options.from_kwargs(options))
