"""BatchGetProfile: found profiles in ``Profiles``, unknown ids in ``Errors`` (never raised)."""

from __future__ import annotations

from collections.abc import Iterable

from mock_customer_profiles._backend import Domain, Profile
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import view

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)


def lookup(domain: Domain, profile_ids: Iterable[str]) -> tuple[list[Profile], list[dict[str, str]]]:
    """The profiles of a batch request (each id once, in order), and an ``Errors`` item for each unknown id."""
    profiles, errors = [], []
    for profile_id in dict.fromkeys(profile_ids):
        profile = domain.profiles.get(profile_id)
        if profile is None:
            errors.append(
                {
                    "Code": "ResourceNotFoundException",
                    "Message": f"Profile {profile_id} not found in domain {domain.name}",
                    "ProfileId": profile_id,
                }
            )
        else:
            profiles.append(profile)
    return profiles, errors


@handler("BatchGetProfile", keeps_params=False)
def batch_get_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profiles, errors = lookup(domain, params["ProfileIds"])
    return {"Profiles": [view(profile) for profile in profiles], "Errors": errors}
