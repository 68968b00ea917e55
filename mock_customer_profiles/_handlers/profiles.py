"""Profiles: CreateProfile, UpdateProfile, DeleteProfile."""

from __future__ import annotations

from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Profile
from mock_customer_profiles._changes import Change
from mock_customer_profiles._handlers import Context, Output, Params, handler

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

ADDRESS_FIELDS = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress")
_ROUTING = ("DomainName", "ProfileId")


def view(profile: Profile) -> dict[str, Any]:
    """The profile as the API returns it (the ``Profile`` shape): stored values exactly as sent."""
    return {"ProfileId": profile.profile_id, **profile.fields}


@handler("CreateProfile")
def create_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    fields = {key: value for key, value in params.items() if key not in _ROUTING}
    profile = domain.add_profile(fields)
    ctx.emit(Change(_changes.CREATED, domain, profile.profile_id, content=view(profile)))
    return {"ProfileId": profile.profile_id}


def _merge_map(current: dict[str, Any] | None, update: dict[str, Any]) -> dict[str, Any] | None:
    """Merge per key; an empty string removes that key; nothing left means no map."""
    merged = dict(current or {})
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged or None


@handler("UpdateProfile")
def update_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    fields = dict(profile.fields)
    for key, value in params.items():
        if key in _ROUTING:
            continue
        if key in ADDRESS_FIELDS or key == "Attributes":
            merged = _merge_map(fields.get(key), value)
            if merged is None:
                fields.pop(key, None)
            else:
                fields[key] = merged
            for part in value:  # each part given is now set (or cleared) through the API
                profile.forget_sources(f"{key}.{part}")
        else:
            if value == "":
                fields.pop(key, None)
            else:
                fields[key] = value
            profile.forget_sources(key)
    profile.fields = fields
    domain.reindex(profile)
    ctx.emit(Change(_changes.UPDATED, domain, profile.profile_id, content=view(profile)))
    return {"ProfileId": profile.profile_id}


@handler("DeleteProfile")
def delete_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    domain.remove_profile(profile)
    ctx.emit(Change(_changes.DELETED_BY_CUSTOMER, domain, profile.profile_id, content=view(profile)))
    return {"Message": f"Profile {profile.profile_id} deleted"}
