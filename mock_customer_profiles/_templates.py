"""The object type templates the mock offers (``ListProfileObjectTypeTemplates``, ``TemplateId``).

AWS does not publish the bodies of its integration templates, so these are the mock's own: each reads
the source object in the shape the integration sends it and produces the predefined key of its source
(``_shopifyCustomerId``, ``_zendeskUserId``, ``_ctrContactId``, ...), with the standard profile fields
mapped the way the integration's documentation describes them.

Each template is data: its fields as ``name: source`` (a field that maps no profile field) or
``name: (source, profile field)`` (``_mapped`` for fields named as their source), its keys as
``key name: (field name, *standard identifiers)``, and its addresses as
``(source prefix, profile address, {part: source name})``; ``_template`` spells them out in the API's
shape. A field's ``ContentType`` follows from the profile field it maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_customer_profiles._templates_standard import SHOPIFY_ADDRESS, STANDARD_TEMPLATES

Template = dict[str, Any]
FieldSpec = str | tuple[str, str]
AddressSpec = tuple[str, str, dict[str, str]]

_NAME, _EMAIL, _PHONE = "NAME", "EMAIL_ADDRESS", "PHONE_NUMBER"
_CONTENT_TYPES = {
    "FirstName": _NAME,
    "MiddleName": _NAME,
    "LastName": _NAME,
    "EmailAddress": _EMAIL,
    "PhoneNumber": _PHONE,
    "MobilePhoneNumber": _PHONE,
    "HomePhoneNumber": _PHONE,
    "BusinessPhoneNumber": _PHONE,
}
_SALESFORCE_TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"


def _field(source: str, target: str | None = None) -> dict[str, str]:
    out = {"Source": f"_source.{source}", "ContentType": _CONTENT_TYPES.get(target or "", "STRING")}
    if target is not None:
        out["Target"] = f"_profile.{target}"
    return out


def _template(
    source_name: str,
    source_object: str,
    fields: Mapping[str, FieldSpec],
    keys: Mapping[str, tuple[str, ...]],
    *,
    creates: bool = True,
    addresses: tuple[AddressSpec, ...] = (),
    timestamp_format: str | None = None,
) -> Template:
    """The template in the API's shape, from its fields, keys and addresses as data (see the module)."""
    template: Template = {"SourceName": source_name, "SourceObject": source_object, "AllowProfileCreation": creates}
    if timestamp_format is not None:
        template["SourceLastUpdatedTimestampFormat"] = timestamp_format
    spelled = {name: _field(spec) if isinstance(spec, str) else _field(*spec) for name, spec in fields.items()}
    for prefix, target, parts in addresses:
        spelled.update({f"{target}{part}": _field(f"{prefix}{src}", f"{target}.{part}") for part, src in parts.items()})
    template["Fields"] = spelled
    template["Keys"] = {
        key: [{"StandardIdentifiers": list(ids), "FieldNames": [field_name]}]
        for key, (field_name, *ids) in keys.items()
    }
    return template


def _mapped(prefix: str = "", **targets: str) -> dict[str, FieldSpec]:
    """Fields named as their source (after ``prefix``), each mapping the profile field given."""
    return {name: (f"{prefix}{name}", target) for name, target in targets.items()}


def _parts(*sources: str) -> dict[str, str]:
    """An address's Address1, City, State, PostalCode and Country, read from ``sources`` in that order."""
    return dict(zip(("Address1", "City", "State", "PostalCode", "Country"), sources, strict=True))


_STREET_ADDRESS = _parts("Street", "City", "State", "PostalCode", "Country")
_CTR_FIELDS: dict[str, FieldSpec] = {
    "ContactId": "ContactId",
    "CustomerPhone": ("CustomerEndpoint.Address", "PhoneNumber"),
}
# The two other contact record templates of the admin guide ("Contact record templates in Customer
# Profiles"): each tries _ctrContactId first, then falls back to _phone; CTR-NoInferred creates an
# inferred profile when neither finds one, CTR-AutoAssociateOnly never does.
_CTR_FALLBACK_KEYS = {
    "_ctrContactId": ("ContactId", "UNIQUE", "PROFILE"),
    "_phone": ("CustomerPhone", "PROFILE", "SECONDARY"),
}

TEMPLATES: dict[str, Template] = {
    "CTR": _template(
        "Connect",
        "CTR",
        _CTR_FIELDS,
        {"_ctrContactId": ("ContactId", "UNIQUE"), "_phone": ("CustomerPhone", "PROFILE")},
    ),
    "CTR-NoInferred": _template("Connect", "CTR", _CTR_FIELDS, _CTR_FALLBACK_KEYS),
    "CTR-AutoAssociateOnly": _template("Connect", "CTR", _CTR_FIELDS, _CTR_FALLBACK_KEYS, creates=False),
    "Marketo-leads": _template(
        "Marketo",
        "leads",
        {
            "id": "id",
            **_mapped(
                firstName="FirstName",
                middleName="MiddleName",
                lastName="LastName",
                email="EmailAddress",
                phone="PhoneNumber",
                mobilePhone="MobilePhoneNumber",
                company="BusinessName",
                dateOfBirth="BirthDate",
            ),
        },
        {"_marketoLeadId": ("id", "PROFILE", "UNIQUE")},
        addresses=(("", "Address", _parts("address", "city", "state", "postalCode", "country")),),
    ),
    "Salesforce-Account": _template(
        "Salesforce",
        "Account",
        {"Id": "Id", **_mapped(Name="BusinessName", AccountNumber="AccountNumber", Phone="BusinessPhoneNumber")},
        {"_salesforceAccountId": ("Id", "PROFILE", "UNIQUE")},
        addresses=(("Billing", "BillingAddress", _STREET_ADDRESS), ("Shipping", "ShippingAddress", _STREET_ADDRESS)),
        timestamp_format=_SALESFORCE_TIMESTAMP,
    ),
    "Salesforce-Contact": _template(
        "Salesforce",
        "Contact",
        {
            "Id": "Id",
            "AccountId": "AccountId",
            **_mapped(
                FirstName="FirstName",
                LastName="LastName",
                Email="EmailAddress",
                Phone="PhoneNumber",
                MobilePhone="MobilePhoneNumber",
                HomePhone="HomePhoneNumber",
                Birthdate="BirthDate",
            ),
        },
        {"_salesforceContactId": ("Id", "PROFILE", "UNIQUE"), "_salesforceAccountId": ("AccountId",)},
        addresses=(("Mailing", "MailingAddress", _STREET_ADDRESS),),
        timestamp_format=_SALESFORCE_TIMESTAMP,
    ),
    "Segment-Identify": _template(
        "Segment",
        "Identify",
        {
            "userId": "userId",
            **_mapped(
                "traits.",
                firstName="FirstName",
                lastName="LastName",
                email="EmailAddress",
                phone="PhoneNumber",
                birthday="BirthDate",
            ),
        },
        {"_segmentUserId": ("userId", "PROFILE", "UNIQUE")},
        addresses=(("traits.address.", "Address", _parts("street", "city", "state", "postalCode", "country")),),
    ),
    "Servicenow-sys_user": _template(
        "Servicenow",
        "sys_user",
        {
            "sys_id": "sys_id",
            **_mapped(
                first_name="FirstName",
                middle_name="MiddleName",
                last_name="LastName",
                email="EmailAddress",
                phone="BusinessPhoneNumber",
                mobile_phone="MobilePhoneNumber",
            ),
        },
        {"_serviceNowSystemId": ("sys_id", "PROFILE", "UNIQUE")},
        addresses=(("", "Address", _parts("street", "city", "state", "zip", "country")),),
    ),
    "Shopify-Customer": _template(
        "Shopify",
        "Customer",
        {
            "id": "id",
            **_mapped(first_name="FirstName", last_name="LastName", email="EmailAddress", phone="PhoneNumber"),
        },
        {"_shopifyCustomerId": ("id", "PROFILE", "UNIQUE")},
        addresses=(("default_address.", "Address", SHOPIFY_ADDRESS),),
    ),
    "Zendesk-users": _template(
        "Zendesk",
        "users",
        {"id": "id", "external_id": "external_id", **_mapped(email="EmailAddress", phone="PhoneNumber")},
        {"_zendeskUserId": ("id", "PROFILE", "UNIQUE"), "_zendeskExternalId": ("external_id", "PROFILE")},
    ),
}

# The templates that fill the standard objects _asset, _order and _case, as AWS's admin guide maps them
# (Salesforce-Asset, Shopify-Order, Shopify-DraftOrder, Zendesk-tickets, Servicenow-incident, -task).
TEMPLATES.update(STANDARD_TEMPLATES)
