"""Keys: AddProfileKey, DeleteProfileKey."""

from __future__ import annotations

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import DIRECT, Domain, Profile
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)


def _check_defined(domain: Domain, key: str) -> None:
    if not domain.defines_key(key):
        raise BadRequest(
            f"Key {key} is not defined in domain {domain.name}: "
            "use a predefined key or a key that an object type of the domain defines"
        )


def _request(ctx: Context, params: Params) -> tuple[Domain, Profile, str, list[str]]:
    """The domain, profile, key and values of the request, once the key is known to be defined."""
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    key, values = params["KeyName"], params["Values"]
    _check_defined(domain, key)
    return domain, profile, key, values


def _changed(ctx: Context, domain: Domain, profile: Profile, action: str, key: str, values: list[str]) -> None:
    """After the profile's values of the key changed: reindex it and announce the change."""
    domain.reindex(profile)
    content = {"KeyName": key, "Values": list(values)}
    ctx.emit(Change(action, domain, profile.profile_id, content=content))


@handler("AddProfileKey")
def add_profile_key(ctx: Context, params: Params) -> Output:
    domain, profile, key, values = _request(ctx, params)
    kind = domain.key_kind(key)
    for value in values:
        profile.hold(key, value, kind, DIRECT)
    _changed(ctx, domain, profile, _changes.ADDED_PROFILE_KEY, key, values)
    return {"KeyName": key, "Values": list(values)}


@handler("DeleteProfileKey")
def delete_profile_key(ctx: Context, params: Params) -> Output:
    domain, profile, key, values = _request(ctx, params)
    for value in values:
        profile.drop(key, value)
    _changed(ctx, domain, profile, _changes.DELETED_PROFILE_KEY, key, values)
    return {"Message": f"Deleted {len(values)} value(s) of key {key} from profile {profile.profile_id}"}
