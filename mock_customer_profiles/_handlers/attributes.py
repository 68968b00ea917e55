"""ListProfileAttributeValues: the distinct values of one standard profile attribute in a domain."""

from __future__ import annotations

from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.object_types import ADDRESS_PARTS, PROFILE_TEXT_FIELDS
from mock_customer_profiles._handlers.profiles import ADDRESS_FIELDS

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

STANDARD_ATTRIBUTES = frozenset(PROFILE_TEXT_FIELDS) | {
    f"{address}.{part}" for address in ADDRESS_FIELDS for part in ADDRESS_PARTS
}


@handler("ListProfileAttributeValues", keeps_params=False)
def list_profile_attribute_values(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = params["AttributeName"]
    if name not in STANDARD_ATTRIBUTES:
        raise BadRequest(
            f"Attribute {name} is not a standard profile attribute: use a profile field such as FirstName, "
            "or an address part such as Address.City"
        )
    head, _, part = name.partition(".")
    values: dict[str, None] = {}
    for profile in domain.profiles.values():
        value = profile.fields.get(head)
        if part:
            value = value.get(part) if isinstance(value, dict) else None
        if value:
            values[value] = None
    return {
        "DomainName": domain.name,
        "AttributeName": name,
        "Items": [{"Value": value} for value in values],
        "StatusCode": 200,
    }
