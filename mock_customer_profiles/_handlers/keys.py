"""Keys: AddProfileKey, DeleteProfileKey."""

from __future__ import annotations

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import DIRECT, Domain
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


@handler("AddProfileKey")
def add_profile_key(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    key, values = params["KeyName"], params["Values"]
    _check_defined(domain, key)
    kind = domain.key_kind(key)
    for value in values:
        profile.hold(key, value, kind, DIRECT)
    domain.reindex(profile)
    content = {"KeyName": key, "Values": list(values)}
    ctx.emit(Change(_changes.ADDED_PROFILE_KEY, domain, profile.profile_id, content=content))
    return {"KeyName": key, "Values": list(values)}


@handler("DeleteProfileKey")
def delete_profile_key(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    key, values = params["KeyName"], params["Values"]
    _check_defined(domain, key)
    for value in values:
        profile.drop(key, value)
    domain.reindex(profile)
    content = {"KeyName": key, "Values": list(values)}
    ctx.emit(Change(_changes.DELETED_PROFILE_KEY, domain, profile.profile_id, content=content))
    return {"Message": f"Deleted {len(values)} value(s) of key {key} from profile {profile.profile_id}"}
