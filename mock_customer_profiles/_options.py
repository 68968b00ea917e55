"""The options of one mock: one set of defaults shared by the decorator, context manager, fixture and marker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from mock_customer_profiles._links import README_OPTIONS

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class Options:
    region: str = DEFAULT_REGION
    """Region of the backend that clients without a region of their own reach, and of the fake env."""
    account_id: str = DEFAULT_ACCOUNT_ID
    """The account every call is answered from (ARNs are built with it)."""
    lenient_matching: bool = False
    """[default off] Match ``_phone`` by digits, ``_email`` case-folded, ``_fullName`` case- and space-folded."""
    strict_search_keys: bool = False
    """[default off] A ``SearchProfiles`` key that the domain does not define is a ``BadRequestException``
    instead of an empty result."""
    delete_standard_objects: bool = True
    """[default on] ``DeleteProfileObject`` deletes a standard object (``ObjectTypeName="_asset"`` and the like,
    ``ProfileObjectUniqueKey`` its system ID); off: ``BadRequestException`` (AWS documents neither)."""
    expire_profiles: bool = True
    """[default on] A profile expires ``DefaultExpirationDays`` after its last change (and never before an
    object ingested onto it), as objects expire after their ``ExpirationDays``. Off: only objects expire."""
    lifecycle: str = "stepped"
    """[default "stepped"] How asynchronous resources (estimates, snapshots, jobs, readiness, ...) move:
    "stepped" (the first read shows the first in-progress state, the next the final one), "instant"
    (final at once) or "manual" (in progress until ``settle()``)."""

    def __post_init__(self) -> None:
        from mock_customer_profiles._lifecycle import MODES

        if self.lifecycle not in MODES:
            raise ValueError(
                f"mock_customer_profiles: lifecycle must be one of {', '.join(map(repr, MODES))}, "
                f"not {self.lifecycle!r} (see {README_OPTIONS})"
            )

    @classmethod
    def from_kwargs(cls, options: dict[str, Any], also_known: Iterable[str] = ()) -> Options:
        """Options from keywords; ``also_known`` are keywords that the caller takes itself (not passed on)."""
        own = {f.name for f in fields(cls)}
        known = own | set(also_known)
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(
                "mock_customer_profiles: unknown option(s) "
                + ", ".join(repr(name) for name in unknown)
                + f" (see {README_OPTIONS})"
                + "\n- known options: "
                + ", ".join(sorted(known))
            )
        return cls(**{name: value for name, value in options.items() if name in own})
