"""What happened to a profile, as the handlers that change profiles and objects report it.

Every handler that changes a profile or its objects emits one ``Change`` per profile it changed
(``ctx.emit(Change(...))``), after its writes, in the vocabulary of the model's ``ActionType`` enum.
Families that react to changes (profile history, event streams, event triggers, calculated attributes)
``subscribe`` a function at import; it is called with the handler's context and the change, in the
order the changes were made, under the service lock. A subscriber must not raise for valid data: the
change has already been written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_customer_profiles._backend import Domain
    from mock_customer_profiles._handlers import Context

# The model's ActionType enum.
CREATED = "CREATED"  # CreateProfile, or a profile that ingestion created
UPDATED = "UPDATED"  # UpdateProfile, or ingestion that changed the profile's fields
INGESTED = "INGESTED"  # an object attached to the profile (created or replaced)
ADDED_PROFILE_KEY = "ADDED_PROFILE_KEY"
DELETED_PROFILE_KEY = "DELETED_PROFILE_KEY"
DELETED_BY_CUSTOMER = "DELETED_BY_CUSTOMER"  # DeleteProfile (object_type "_profile") or DeleteProfileObject
EXPIRED = "EXPIRED"
MERGED = "MERGED"  # on the main profile of a merge
DELETED_BY_MERGE = "DELETED_BY_MERGE"  # on each profile merged away

PROFILE_TYPE = "_profile"


@dataclass(frozen=True)
class Change:
    """One change of one profile.

    ``object_type``: ``"_profile"`` for a change of the profile itself, else the object type of the
    object that was ingested, deleted or expired (``unique_key`` is then its ProfileObjectUniqueKey).
    ``content``: what changed, as JSON-like data: the profile as the API returns it (``Profile`` shape)
    for profile changes, the object's document for object changes, ``{"KeyName", "Values"}`` for key
    changes. ``detail``: anything else a family may need (the merged profile ids, the main profile id).
    """

    action: str
    domain: Domain
    profile_id: str
    object_type: str = PROFILE_TYPE
    content: Mapping[str, Any] | None = None
    unique_key: str | None = None
    performed_by: str | None = None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    detail: Mapping[str, Any] = field(default_factory=dict)


Subscriber = Callable[["Context", Change], None]
SUBSCRIBERS: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> Subscriber:
    """Call ``subscriber(ctx, change)`` for every change from now on (use as a decorator, at import)."""
    if subscriber not in SUBSCRIBERS:
        SUBSCRIBERS.append(subscriber)
    return subscriber


def emit(ctx: Context, change: Change) -> None:
    for subscriber in SUBSCRIBERS:
        subscriber(ctx, change)
