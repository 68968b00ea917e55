"""Operation handlers: one small function per operation, params dict in, output dict out.

Handlers raise modelled errors (``BadRequest``, ``NotFound``) and never see HTTP. Importing this
package registers every handler module's operations in ``HANDLERS``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_customer_profiles._backend import Backend, Domain, Profile
from mock_customer_profiles._changes import Change, emit
from mock_customer_profiles._effects import Effects
from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._expiry import sweep
from mock_customer_profiles._lifecycle import Jobs
from mock_customer_profiles._options import Options

# The tag limit lives with the tags (``_tags``); handler modules written against the earlier home still import it here.
from mock_customer_profiles._tags import MAX_TAGS as MAX_TAGS
from mock_customer_profiles._tags import check_tag_count as check_tag_count

Params = dict[str, Any]
Output = dict[str, Any]


@dataclass
class Context:
    """What a handler may use: the backend of the caller's account and region, the mock's options, the
    record of side effects (``effects``) and the runs of asynchronous resources (``jobs``) of the mock.

    ``caller``: the ARN that history records name as ``PerformedBy`` for the changes this call makes. The
    mock has no IAM to map an access key to a user, so it is the account's root ARN."""

    backend: Backend
    options: Options
    effects: Effects
    jobs: Jobs
    caller: str = ""
    # Where upload URLs point (``_uploads``): the HTTP server's ``<endpoint>/_mock/uploads`` when the call came
    # through it, else ``None`` (the mock's own upload host, answered in process).
    upload_base: str | None = None

    def __post_init__(self) -> None:
        if not self.caller:
            self.caller = root_arn(self.backend.account_id)

    def emit(self, change: Change) -> None:
        """Report a change of a profile to the families that subscribe to changes (see ``_changes``)."""
        if change.performed_by is None:
            change = dataclasses.replace(change, performed_by=self.caller)
        emit(self, change)

    def domain(self, name: str) -> Domain:
        """The domain (``ResourceNotFoundException`` when there is none), with every object and profile
        whose time has come expired first (see ``_expiry``): every handler gets its domain here."""
        domain = self.backend.domains.get(name)
        if domain is None:
            raise NotFound(f"Domain {name} not found")
        sweep(self, domain)
        return domain

    def profile(self, domain: Domain, profile_id: str) -> Profile:
        profile = domain.profiles.get(profile_id)
        if profile is None:
            raise NotFound(f"Profile {profile_id} not found in domain {domain.name}")
        return profile


@functools.lru_cache(maxsize=64)
def root_arn(account_id: str) -> str:
    """The account's root ARN (one string per account: every history record refers to it)."""
    return f"arn:aws:iam::{account_id}:root"


Handler = Callable[[Context, Params], Output]
HANDLERS: dict[str, Handler] = {}
# Operations whose handler may keep a dict or list of its params in the backend: the record of such a call
# (mock.calls) gets a copy of the params, so that it never shares a container with the backend.
KEEPS_PARAMS: set[str] = set()


def handler(operation: str, *, keeps_params: bool = True) -> Callable[[Handler], Handler]:
    """Register the function as the handler of ``operation`` (a name from the service model).

    ``keeps_params=False`` declares that the handler stores nothing of its params (it only reads the
    backend), which spares each recorded call a copy of them."""

    def register(func: Handler) -> Handler:
        HANDLERS[operation] = func
        if keeps_params:
            KEEPS_PARAMS.add(operation)
        else:
            KEEPS_PARAMS.discard(operation)
        return func

    return register


def _load() -> None:
    from mock_customer_profiles._handlers import (  # noqa: F401
        attributes,
        batch,
        calculated_attributes,
        detection,
        domain_object_types,
        domain_update,
        domains,
        event_streams,
        event_triggers,
        history,
        identity,
        integrations,
        keys,
        layouts,
        merge,
        object_types,
        objects,
        profiles,
        recommenders,
        search,
        segment_subscriptions,
        segments,
        tags,
        templates,
        upload_jobs,
        workflows,
    )


_load()
