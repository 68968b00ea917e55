"""``mock_customer_profiles``: one object that is decorator, context manager and start/stop switch."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from mock_customer_profiles import _activation, _guard, _responses_door, _seed
from mock_customer_profiles._errors import ServiceError
from mock_customer_profiles._handlers import event_streams, event_triggers
from mock_customer_profiles._handlers.event_streams import StreamRecord
from mock_customer_profiles._handlers.event_triggers import EventTriggerInvocation
from mock_customer_profiles._ingest import DeadLetter, MappingNote
from mock_customer_profiles._links import README_CALLS, README_ERRORS, README_FAULTS, README_OPTIONS, README_SEEDING
from mock_customer_profiles._model import operation_errors
from mock_customer_profiles._names import check_parameters, resolve_operation
from mock_customer_profiles._options import Options
from mock_customer_profiles._service import (
    FAULTS,
    CallList,
    InjectedError,
    Service,
    client_error,
    params_include,
)
from mock_customer_profiles._words import PREFIX, bullets, call_text, pattern_text

if TYPE_CHECKING:
    import unittest

    from mypy_boto3_customer_profiles import CustomerProfilesClient

    from mock_customer_profiles._handlers import Context

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class CustomerProfilesMock:
    """An in-process Customer Profiles. Active between ``start()`` and ``stop()`` (or inside ``with``).

    ``seed=`` (a seed document: JSON file path or mapping, see docs/seeding.md#seeding) is loaded into every
    activation; the other keywords are the ``Options``."""

    def __init__(self, *, seed: _seed.SeedSource | _seed.SeedDocument | None = None, **options: Any) -> None:
        self.options = Options.from_kwargs(options, also_known=("seed",))
        self.seed = _seed.read(seed, _seed.caller_file()) if seed is not None else None
        self._service = Service(self.options)
        self.unanswered: list[_guard.UnansweredCall] = []
        """Customer Profiles calls that reached botocore's HTTP layer unanswered while this mock was the
        active one (each raised ``UnansweredCall`` and was not sent); cleared when the mock starts."""
        self._env_set: dict[str, str] = {}
        self._active = False
        self.template: CustomerProfilesMock | None = None
        """The mock this one was made ``fresh()`` from (a decorator's), if any."""

    def fresh(self) -> CustomerProfilesMock:
        """A new, inactive mock with the same options and seed (the decorator makes one per test)."""
        made = CustomerProfilesMock(seed=self.seed, **vars(self.options))
        made.template = self
        return made

    # -------------------------------------------------------------------------------------- activation

    @property
    def service(self) -> Service:
        return self._service

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> CustomerProfilesMock:
        """Activate with an empty backend (then the seed, if any). Starting an active mock starts it afresh."""
        if self._active:
            self.stop()
        service = Service(self.options)
        if self.seed is not None:
            self.seed.apply(service)
        self._service = service
        self.unanswered = []
        self._set_env()
        _activation.push(self)
        self._active = True
        _responses_door.sync()
        _guard.sync()
        return self

    def stop(self) -> None:
        """Deactivate and discard the state (``calls`` stay readable). Stopping an inactive mock does nothing."""
        if not self._active:
            return
        self._active = False
        _activation.remove(self)
        _responses_door.sync()
        _guard.sync()
        still_active = _activation.current()
        if still_active is not None:  # stopped out of order: the environment it set still serves the others
            still_active._env_set.update(self._env_set)
            self._env_set = {}
        else:
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
        credentials_set = "AWS_ACCESS_KEY_ID" in self._env_set
        for name, value in self._env_set.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        self._env_set = {}
        if credentials_set:
            _forget_fake_credentials()

    def _require_active(self, what: str, readme: str) -> None:
        if not self._active:
            raise RuntimeError(
                f"{PREFIX} {what} needs an active mock: call it after start(), inside the with block, "
                f"or in the decorated test (see {readme})."
            )

    # ---------------------------------------------------------------------------------------- decorator

    @overload
    def __call__(self, target: type[T]) -> type[T]: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        """Decorate a test function (sync or async) or a test class: each call runs in a fresh mock."""
        return decorate(target, self)

    # ------------------------------------------------------------------------------------------ seeding

    def create_domain(self, name: str, **options: Any) -> dict[str, Any]:
        """``CreateDomain`` through the same handler and validation as a wire call.

        ``DefaultExpirationDays`` defaults to 365. Returns the CreateDomain output."""
        params = {"DomainName": name, "DefaultExpirationDays": _seed.DEFAULT_EXPIRATION_DAYS, **options}
        return self._seed("create_domain()", "CreateDomain", params)

    def create_profile(self, domain: str, **fields: Any) -> str:
        """``CreateProfile`` in ``domain``; returns the new ``ProfileId``."""
        return str(self._seed("create_profile()", "CreateProfile", {"DomainName": domain, **fields})["ProfileId"])

    def put_object_type(self, domain: str, name: str, **fields: Any) -> dict[str, Any]:
        """``PutProfileObjectType`` (an upsert) in ``domain``; returns its output."""
        params = {"DomainName": domain, "ObjectTypeName": name, **fields}
        return self._seed("put_object_type()", "PutProfileObjectType", params)

    def put_object(self, domain: str, object_type_name: str, object: Mapping[str, Any] | str) -> str:
        """``PutProfileObject``: ``object`` is a mapping or its JSON text. Returns the
        ``ProfileObjectUniqueKey``."""
        text = object if isinstance(object, str) else json.dumps(object)
        params = {"DomainName": domain, "ObjectTypeName": object_type_name, "Object": text}
        return str(self._seed("put_object()", "PutProfileObject", params)["ProfileObjectUniqueKey"])

    def load(self, source: _seed.SeedSource) -> dict[str, list[str]]:
        """Load a seed document (a JSON file path, ``str`` or ``pathlib.Path``, or a mapping; see
        docs/seeding.md#seeding). All of it is stored, or nothing. Returns, per domain, the ids of the
        profiles its ``profiles`` entries created, in document order."""
        self._require_active("load()", README_SEEDING)
        return _seed.read(source, _seed.caller_file()).apply(self._service)

    def _seed(self, helper: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        self._require_active(helper, README_SEEDING)
        try:
            return self._service.call(operation, params)
        except ServiceError as error:
            raise client_error(operation, error) from None

    def client(self, region: str | None = None, **kwargs: Any) -> CustomerProfilesClient:
        """A boto3 ``customer-profiles`` client answered by this mock, in ``region`` (default: the mock's).

        ``kwargs`` are boto3's client arguments (``config=``, ``endpoint_url=``, ...); the client has fake
        credentials unless they give others. No session keeps them: they are the client's own."""
        return _client(region or self.options.region, kwargs)

    # ------------------------------------------------------------ identity resolution, recommenders

    def run_identity_resolution(self, domain: str, *, wait: bool = True) -> str:
        """Run the domain's scheduled identity resolution job now (its ``Matching`` must be enabled);
        returns the ``JobId``. The job finds the ML matches (the stand-in rules, and the groups that
        ``seed_matches`` gave, which win), auto-merges them when ``AutoMerging`` is enabled and records
        its S3 export (``effects("S3Export")``). ``wait=False`` leaves the job to the lifecycle option
        (it then finishes as GetIdentityResolutionJob polls it, or on ``settle()``)."""
        from mock_customer_profiles._handlers import identity

        def run(ctx: Context) -> str:
            job = identity.start_job(ctx, ctx.domain(domain))
            if wait:
                job.run.finish()
            return job.job_id

        return self._family_helper("run_identity_resolution()", run)

    def seed_matches(self, domain: str, groups: Sequence[Sequence[str]], *, confidence: float = 1.0) -> list[str]:
        """Make ``GetMatches`` report these groups of profile ids (each a match with ``ConfidenceScore``
        ``confidence``) from now on: they win over the matches the stand-in finds, in this and every later
        identity resolution job. Returns their ``MatchId`` values."""
        from mock_customer_profiles._handlers import identity

        return self._family_helper(
            "seed_matches()", lambda ctx: identity.seed_matches(ctx, ctx.domain(domain), groups, confidence)
        )

    def merge_rule_based_matches(self, domain: str) -> list[str]:
        """Merge what the domain's rule-based matching merges (groups that rule levels up to
        ``MaxAllowedRuleLevelForMerging`` form; nothing without it), as AWS does in the background after
        profiles change. Returns the ids of the main profiles."""
        from mock_customer_profiles._handlers import identity

        return self._family_helper(
            "merge_rule_based_matches()", lambda ctx: identity.merge_rule_based(ctx, ctx.domain(domain))
        )

    def seed_recommendations(
        self, domain: str, recommender: str, profile_id: str, items: Sequence[Mapping[str, Any]]
    ) -> None:
        """Make ``recommender`` return ``items`` for ``profile_id`` (GetProfileRecommendations,
        SearchRecommendations): each a ``{"CatalogItem": {"Id": ..., ...}, "Score": 0..1}`` or a bare
        catalog item (scores then fall from 1.0 in list order). Filters still apply."""
        from mock_customer_profiles._handlers import recommenders

        self._family_helper(
            "seed_recommendations()",
            lambda ctx: recommenders.seed_recommendations(ctx.domain(domain), recommender, profile_id, items),
        )

    def _family_helper(self, helper: str, work: Callable[[Context], T]) -> T:
        self._require_active(helper, README_SEEDING)
        with self._service.lock:
            try:
                return work(self._service.context())
            except ServiceError as error:
                raise client_error("GetDomain", error) from None  # the domain (or profile) it names

    # ----------------------------------------------------------------------------------- inspection

    @property
    def calls(self) -> CallList:
        """Every wire call answered since activation, oldest first: ``Call(operation, params, response, error)``."""
        return self._service.calls

    @property
    def unimplemented_calls(self) -> CallList:
        """Calls of operations the mock does not implement (each raised ``NotImplementedOperation``)."""
        return self._service.unimplemented

    @property
    def injected_errors(self) -> list[InjectedError]:
        """The errors ``add_error`` queued, with how often each was used."""
        return list(self._service.injected)

    def get_calls(self, operation: str, **params: Any) -> CallList:
        """The recorded calls of ``operation`` (``SearchProfiles`` or ``search_profiles``) whose params
        include ``params`` (each member equal to the value given)."""
        operation = resolve_operation(operation, README_CALLS)
        check_parameters(operation, params, README_CALLS)
        return CallList(
            call for call in self.calls if call.operation == operation and params_include(call.params, params)
        )

    def assert_called(self, operation: str, **params: Any) -> CallList:
        """Fail unless some call of ``operation`` was made with ``params``; returns the matching calls."""
        found = self.get_calls(operation, **params)
        if found:
            return found
        operation = resolve_operation(operation, README_CALLS)
        made = self.get_calls(operation)
        if not params:
            raise AssertionError(f"{PREFIX} expected a {operation} call, but none was made (see {README_CALLS}).")
        expected = f"{PREFIX} expected a call matching {call_text(operation, params)}, but "
        if not made:
            raise AssertionError(f"{expected}no {operation} call was made (see {README_CALLS}).")
        raise AssertionError(
            f"{expected}none of the {operation} calls made matched (see {README_CALLS}):\n"
            + bullets(str(call) for call in made)
        )

    def assert_not_called(self, operation: str, **params: Any) -> None:
        """Fail if a call of ``operation`` (with ``params``, when given) was made; the failure lists them."""
        found = self.get_calls(operation, **params)
        if found:
            operation = resolve_operation(operation, README_CALLS)
            what = f"call matching {call_text(operation, params)}" if params else f"{operation} call"
            made = "1 call was" if len(found) == 1 else f"{len(found)} calls were"
            raise AssertionError(
                f"{PREFIX} expected no {what}, but {made} made (see {README_CALLS}):\n"
                + bullets(str(call) for call in found)
            )

    def effects(self, kind: str) -> list[Any]:
        """The side effects of ``kind`` that the service would have had outside itself (dead letters,
        stream records, snapshots, exports, ...), kept as plain data, oldest first (a copy)."""
        return self._service.effects.of(kind)

    def stream_records(self, domain: str | None = None, event_stream: str | None = None) -> list[StreamRecord]:
        """The records the domains' event streams would have put on their Kinesis data streams (of
        ``domain`` and ``event_stream``, when given), oldest first: each a ``StreamRecord`` whose ``data``
        is the JSON payload (see docs/families/integrations.md)."""
        return [
            record
            for record in self.effects(event_streams.RECORD)
            if domain in (None, record.domain_name) and event_stream in (None, record.event_stream_name)
        ]

    def event_trigger_invocations(
        self, domain: str | None = None, event_trigger: str | None = None
    ) -> list[EventTriggerInvocation]:
        """The invocations of integrations' destinations by event triggers (of ``domain`` and
        ``event_trigger``, when given), oldest first: each an ``EventTriggerInvocation``."""
        return [
            record
            for record in self.effects(event_triggers.INVOCATION)
            if domain in (None, record.domain_name) and event_trigger in (None, record.event_trigger_name)
        ]

    @property
    def segment_snapshots(self) -> list[Any]:
        """The segment snapshots that finished (``SegmentSnapshot`` records: the exported profiles and the
        file content in the requested format), oldest first; nothing is written anywhere."""
        return self.effects("SegmentSnapshot")

    @property
    def dead_letters(self) -> list[DeadLetter]:
        """Objects that AWS would have written to the domain's dead-letter queue (no single profile matched
        and the object type does not allow profile creation), oldest first: ``DeadLetter(domain,
        object_type, object, reason, profile_object_unique_key, queue_url, at)``."""
        return self.effects("DeadLetter")

    @property
    def mapping_notes(self) -> list[MappingNote]:
        """Mapped values that the standard field they target cannot hold, and where each went instead:
        ``MappingNote(domain, object_type, profile_id, target, value, reason, stored_in)``."""
        return self.effects("MappingNote")

    # ----------------------------------------------------------------------- asynchronous resources

    def settle(self, kind: str | None = None) -> int:
        """Finish every asynchronous resource still in progress (of ``kind``, e.g. ``"SegmentEstimate"``,
        when given), as the service eventually would; returns how many were finished. With the option
        ``lifecycle="manual"`` nothing finishes until this is called."""
        self._require_active("settle()", README_OPTIONS)
        with self._service.lock:
            return len(self._service.jobs.settle(kind))

    def fail_next(self, kind: str, reason: str = "mock_customer_profiles: failed by fail_next()") -> None:
        """Make the next asynchronous resource of ``kind`` that starts end in its failed state, with
        ``reason`` where the model has a place for one."""
        self._require_active("fail_next()", README_OPTIONS)
        with self._service.lock:
            self._service.jobs.fail_next(kind, reason)

    # ---------------------------------------------------------------------------------------- faults

    def add_error(
        self,
        operation: str,
        code: str,
        message: str | None = None,
        times: int = 1,
        *,
        latency: float = 0.0,
        **params: Any,
    ) -> InjectedError:
        """Make the next ``times`` calls of ``operation`` whose params include ``params`` fail with the
        modelled error ``code`` (its status and body, after ``latency`` seconds), as AWS would send it."""
        self._require_active("add_error()", README_ERRORS)
        operation = resolve_operation(operation, README_ERRORS)
        check_parameters(operation, params, README_ERRORS)
        known = operation_errors(operation)
        if code not in known:
            raise ValueError(
                f"{PREFIX} {operation} cannot fail with {code}: the service model lists only these errors "
                f"for it (see {README_ERRORS}):\n" + bullets(known)
            )
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(
                f"{PREFIX} times must be a whole number of calls, at least 1, not {times!r} (see {README_ERRORS})."
            )
        if isinstance(latency, bool) or not isinstance(latency, (int, float)) or not latency >= 0:
            raise ValueError(
                f"{PREFIX} latency must be a number of seconds, at least 0, not {latency!r} (see {README_ERRORS})."
            )
        text = message if message is not None else f"{PREFIX} injected {code} for {pattern_text(operation, params)}"
        injected = InjectedError(operation, code, text, times, dict(params), float(latency))
        with self._service.lock:
            self._service.injected.append(injected)
        return injected

    def add_fault(
        self, operation: str, fault: str, times: int = 1, *, latency: float = 0.0, **params: Any
    ) -> InjectedError:
        """Make the next ``times`` calls of ``operation`` whose params include ``params`` meet a transport
        fault, as botocore's HTTP layer reports it (and retries it):

        - ``"timeout"``: ``botocore.exceptions.ReadTimeoutError``, at once (as if the client's
          ``read_timeout`` had passed);
        - ``"connection"``: ``botocore.exceptions.EndpointConnectionError``, at once;
        - ``"slow"``: the call is answered as usual after ``latency`` seconds, or, when ``latency`` reaches
          the client's ``read_timeout``, runs (a write still happens) and the client gets a
          ``ReadTimeoutError`` at once.

        Transport faults reach in-process clients (boto3, aiobotocore, aioboto3); the HTTP server and the
        ``requests`` door leave them queued."""
        self._require_active("add_fault()", README_FAULTS)
        operation = resolve_operation(operation, README_FAULTS)
        check_parameters(operation, params, README_FAULTS)
        if fault not in FAULTS:
            raise ValueError(
                f"{PREFIX} {fault!r} is not a transport fault (see {README_FAULTS}):\n"
                + bullets(f"{name!r}: {what}" for name, what in FAULTS.items())
            )
        _check_times(times, README_FAULTS)
        _check_latency(latency, README_FAULTS)
        if fault == "slow" and not latency:
            raise ValueError(f"{PREFIX} a 'slow' fault needs latency=, in seconds, more than 0 (see {README_FAULTS}).")
        injected = InjectedError(operation, "", "", times, dict(params), float(latency), fault=fault)
        with self._service.lock:
            self._service.injected.append(injected)
        return injected


def _check_times(times: Any, readme: str) -> None:
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"{PREFIX} times must be a whole number of calls, at least 1, not {times!r} (see {readme}).")


def _check_latency(latency: Any, readme: str) -> None:
    if isinstance(latency, bool) or not isinstance(latency, (int, float)) or not latency >= 0:
        raise ValueError(f"{PREFIX} latency must be a number of seconds, at least 0, not {latency!r} (see {readme}).")


def _forget_fake_credentials() -> None:
    """Make boto3's default session forget the fake credentials it resolved from the environment this
    mock set, so that no client made after the mock stops signs with them (and goes to the network).

    The session itself is kept (it is what makes ``boto3.client()`` fast); only its cached credentials
    go, and the next client resolves them again from whatever the environment holds then. botocore has no
    public way to forget them: ``Session._credentials`` is the cache ``get_credentials()`` fills, the same
    from botocore 1.34 (the oldest this package supports) to 1.44; tests/test_leaks.py checks it on the
    installed one. Credentials of any other origin are left alone."""
    boto3 = sys.modules.get("boto3")
    session = getattr(getattr(boto3, "DEFAULT_SESSION", None), "_session", None)
    credentials = getattr(session, "_credentials", None)
    if (
        session is not None
        and getattr(credentials, "method", None) == "env"
        and (getattr(credentials, "access_key", None), getattr(credentials, "secret_key", None))
        == (_FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"], _FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    ):
        session._credentials = None


@functools.lru_cache(maxsize=16)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


_client_lock = threading.Lock()  # creating clients from one botocore session is not thread-safe


def _client(region: str, kwargs: dict[str, Any]) -> CustomerProfilesClient:
    import boto3

    arguments = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": region, **kwargs}
    with _client_lock:
        client: CustomerProfilesClient = boto3.Session(botocore_session=_session()).client(
            "customer-profiles", **arguments
        )
    return client


TEMPLATE_ATTRIBUTE = "_mock_customer_profiles_template"
"""Set on a decorated test function and class: the mock each of its tests gets a fresh copy of. The
pytest plugin reads it to start that mock before the test's set-up (see ``_plugin``)."""


def template_of(function: Any, cls: Any = None) -> CustomerProfilesMock | None:
    """The mock a decorated test function (or, failing that, its decorated class) runs in."""
    found = getattr(function, TEMPLATE_ATTRIBUTE, None)
    if found is None and cls is not None:
        found = getattr(cls, TEMPLATE_ATTRIBUTE, None)
    return found if isinstance(found, CustomerProfilesMock) else None


def _test_scope(template: CustomerProfilesMock) -> contextlib.AbstractContextManager[Any]:
    """The mock pytest already started for this test (from its set-up to its tear-down), else a fresh one."""
    held = _held_for(template)
    return contextlib.nullcontext(held) if held is not None else template.fresh()


def _held_for(template: CustomerProfilesMock) -> CustomerProfilesMock | None:
    """The mock pytest holds for the running test if it was made from ``template`` (so this decorator's),
    else ``None``: a decorated helper that the test calls still gets a fresh mock of its own."""
    held = _activation.held(_activation.TEST)
    return held if held is not None and held.template is template else None


def decorate(target: Any, template: CustomerProfilesMock) -> Any:
    """Wrap a function, coroutine function or test class so that each test runs in a fresh mock made
    like ``template``."""
    import inspect  # here, not at the top: importing the package stays cheap (pytest has it loaded anyway)

    if isinstance(target, type):
        return _decorate_class(target, template)
    target = getattr(target, "__wrapped__", target) if template_of(target) is not None else target
    if inspect.iscoroutinefunction(target):

        @functools.wraps(target)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with _test_scope(template):
                return await target(*args, **kwargs)

        setattr(run_async, TEMPLATE_ATTRIBUTE, template)
        return run_async

    @functools.wraps(target)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _test_scope(template):
            return target(*args, **kwargs)

    setattr(run, TEMPLATE_ATTRIBUTE, template)
    return run


def _test_case_class() -> type[unittest.TestCase] | None:
    """``unittest.TestCase`` when unittest is loaded: a class derived from it means it is, and importing
    it costs more than this whole package."""
    module = sys.modules.get("unittest")
    return None if module is None else module.TestCase


def _decorate_class(cls: type[T], template: CustomerProfilesMock) -> type[T]:
    """Under pytest, the plugin starts each test's mock before any of its set-up (``setup_method``,
    ``setUp``, the class's fixtures) and stops it after all of its tear-down, for the tests the class
    collects, inherited ones included, and runs class-level set-up in a mock of its own. The wrappers
    below do the same where pytest does not run the class (``python -m unittest``, a direct call)."""
    import inspect

    setattr(cls, TEMPLATE_ATTRIBUTE, template)
    test_case = _test_case_class()
    if test_case is not None and issubclass(cls, test_case):
        _decorate_test_case(cls, template)
        return cls
    for name in dir(cls):
        member = inspect.getattr_static(cls, name)
        if name.startswith("test") and inspect.isfunction(member):
            setattr(cls, name, decorate(member, template))
    return cls


def _decorate_test_case(cls: type[unittest.TestCase], template: CustomerProfilesMock) -> None:
    # setUp, the test and tearDown share one mock: started before setUp, stopped by a cleanup.
    set_up = cls.setUp
    set_up_class = cls.setUpClass.__func__  # type: ignore[attr-defined]

    def wrapped_set_up(self: unittest.TestCase) -> None:
        if _held_for(template) is None:
            mock = template.fresh().start()
            self.addCleanup(mock.stop)
        set_up(self)

    def wrapped_set_up_class(klass: type[unittest.TestCase]) -> None:
        # Class-level set-up runs in a mock of its own (each test still starts from an empty one).
        if _activation.held(klass) is None:
            mock = template.fresh().start()
            klass.addClassCleanup(mock.stop)
        set_up_class(klass)

    cls.setUp = wrapped_set_up  # type: ignore[method-assign]
    cls.setUpClass = classmethod(wrapped_set_up_class)  # type: ignore[assignment]


@overload
def mock_customer_profiles(target: F, /) -> F: ...
@overload
def mock_customer_profiles(target: None = None, /, **options: Any) -> CustomerProfilesMock: ...
def mock_customer_profiles(target: Any = None, /, **options: Any) -> Any:
    """The mock. ``@mock_customer_profiles``, ``@mock_customer_profiles(...)``, ``with
    mock_customer_profiles() as cp``, and ``cp = mock_customer_profiles(); cp.start()`` all work."""
    if target is None:
        return CustomerProfilesMock(**options)
    return decorate(target, CustomerProfilesMock(**options))
