"""Expiry of objects and profiles, seen by every family without any of them checking.

An object expires ``ExpirationDays`` after its ingestion (its object type's, else the domain's
``DefaultExpirationDays``), fixed when it is ingested: "Retention on individual objects is set at the time
of ingestion of data. Changing the retention for a specific object type only applies to new data being
ingested" (AWS admin guide, "Additional properties of object types"). Profiles expire too ("Maximum
expiration in days: 1,096 (3 years). This is the expiration of objects and profiles", Customer Profiles
service quotas): the mock's rule, a documented choice, is ``DefaultExpirationDays`` after the profile's
last change (create, update, key change, merge, ingestion), and never before an object ingested onto it
expires (option ``expire_profiles``).

Each domain keeps a heap of ``(expires_at, kind, seq, item)`` (times as epoch seconds): one entry per ingested
object, and one per profile (a profile touched again only moves its ``expires_at`` later; its entry is
pushed back when it comes up early). ``sweep`` runs from ``Context.domain()``, the one door every handler
goes through, with the time read at that call (``datetime.now(timezone.utc)``, so time-machine and
freezegun move it): it pops what is due and removes it through the same paths as a delete, reporting an
``EXPIRED`` change. Entries of objects replaced or deleted are stale and skipped when they come up.
Nothing due: one comparison.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from typing import TYPE_CHECKING

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, Profile, StoredObject
from mock_customer_profiles._changes import Change

if TYPE_CHECKING:
    from mock_customer_profiles._handlers import Context

# Expiry is the service's own action: its history records name the service principal.
SERVICE_PRINCIPAL = "profile.amazonaws.com"
_TOUCHING = frozenset(
    {
        _changes.CREATED,
        _changes.UPDATED,
        _changes.INGESTED,
        _changes.ADDED_PROFILE_KEY,
        _changes.DELETED_PROFILE_KEY,
        _changes.MERGED,
    }
)


class Expiry:
    """The expiry heap of one domain (``domain.family(Expiry)``)."""

    def __init__(self) -> None:
        # (due, 0 for an object / 1 for a profile, its seq, it): at one time objects go before profiles (each
        # writes its EXPIRED record), and the seq breaks ties without a new number
        self.heap: list[tuple[float, int, int, StoredObject | Profile]] = []

    def push(self, at: float, item: StoredObject | Profile) -> None:
        heapq.heappush(self.heap, (at, 1 if isinstance(item, Profile) else 0, item.seq, item))


_DAY = 86_400.0


def _when(at: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(at, dt.timezone.utc)


def retention_days(domain: Domain, type_days: int | None) -> int:
    return type_days if type_days is not None else int(domain.config["DefaultExpirationDays"])


def expire_object_at(domain: Domain, obj: StoredObject, days: int, now: dt.datetime) -> None:
    """Fix the object's expiry at ingestion."""
    obj.expires_at = now.timestamp() + days * _DAY
    domain.family(Expiry).push(obj.expires_at, obj)


def touch(ctx: Context, change: Change) -> None:
    """A change of a profile restarts its retention (subscribed to the change feed)."""
    if change.action not in _TOUCHING or not ctx.options.expire_profiles:
        return
    domain = change.domain
    profile = domain.profiles.get(change.profile_id)
    if profile is None:  # pragma: no cover - touching changes are of live profiles
        return
    at = change.at.timestamp() + int(domain.config["DefaultExpirationDays"]) * _DAY
    if change.unique_key is not None:
        obj = profile.objects.get(change.object_type, {}).get(change.unique_key)
        if obj is not None and obj.expires_at is not None and obj.expires_at > at:
            at = obj.expires_at
    elif change.action == _changes.MERGED:  # the objects that moved in keep the profile as long as they live
        for objects in profile.objects.values():
            for obj in objects.values():
                if obj.expires_at is not None and obj.expires_at > at:
                    at = obj.expires_at
    if profile.expires_at is not None:
        profile.expires_at = max(profile.expires_at, at)  # its entry is in the heap already
        return
    profile.expires_at = at
    domain.family(Expiry).push(at, profile)


_changes.subscribe(touch)


def sweep(ctx: Context, domain: Domain) -> None:
    """Remove every object and profile of ``domain`` that is due, reporting each as ``EXPIRED``."""
    state = domain.families.get(Expiry)
    if state is None or not state.heap:
        return
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    heap = state.heap
    while heap and heap[0][0] <= now:
        at, _, _, item = heapq.heappop(heap)
        if isinstance(item, Profile):
            _expire_profile(ctx, domain, state, item, at, now)
        else:
            _expire_object(ctx, domain, item, at)


def _expire_object(ctx: Context, domain: Domain, obj: StoredObject, at: float) -> None:
    object_type = domain.object_types.get(obj.type_name)
    if object_type is None or object_type.objects.get(obj.unique_key) is not obj or obj.expires_at != at:
        return  # replaced, deleted, or gone with its type or profile
    profile = domain.profiles[obj.profile_id]
    domain.detach_object(profile, obj)
    domain.reindex(profile)
    ctx.emit(
        Change(
            _changes.EXPIRED,
            domain,
            profile.profile_id,
            obj.type_name,
            json.loads(obj.body),
            unique_key=obj.unique_key,
            performed_by=SERVICE_PRINCIPAL,
            at=_when(at),
            detail={"Object": obj.body},
        )
    )


def _expire_profile(ctx: Context, domain: Domain, state: Expiry, profile: Profile, at: float, now: float) -> None:
    if domain.profiles.get(profile.profile_id) is not profile or profile.expires_at is None:
        return  # deleted or merged away
    if profile.expires_at > now:  # touched again since its entry was pushed: back in, at its new time
        state.push(profile.expires_at, profile)
        return
    at = profile.expires_at
    domain.remove_profile(profile)
    content = {"ProfileId": profile.profile_id, **profile.fields}
    ctx.emit(
        Change(
            _changes.EXPIRED,
            domain,
            profile.profile_id,
            content=content,
            performed_by=SERVICE_PRINCIPAL,
            at=_when(at),
        )
    )
