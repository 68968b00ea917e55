"""BatchGetProfile: found profiles in ``Profiles``, unknown ids in ``Errors`` (never raised)."""

from __future__ import annotations

from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import view

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)


@handler("BatchGetProfile", keeps_params=False)
def batch_get_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profiles, errors = [], []
    for profile_id in dict.fromkeys(params["ProfileIds"]):
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
            profiles.append(view(profile))
    return {"Profiles": profiles, "Errors": errors}
