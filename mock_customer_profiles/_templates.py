"""The object type templates the mock offers (``ListProfileObjectTypeTemplates``, ``TemplateId``).

AWS does not publish the bodies of its integration templates, so these are the mock's own: each reads
the source object in the shape the integration sends it and produces the predefined key of its source
(``_shopifyCustomerId``, ``_zendeskUserId``, ``_ctrContactId``, ...), with the standard profile fields
mapped the way the integration's documentation describes them.

Each template is data: its fields as ``name: source`` (a field that maps no profile field) or
``name: (source, profile field)``, its keys as ``key name: (field name, *standard identifiers)``, and
its addresses as ``(source prefix, profile address, {part: source name})``; ``_template`` spells them
out in the API's shape. A field's ``ContentType`` follows from the profile field it maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


_STREET_ADDRESS = {
    "Address1": "Street",
    "City": "City",
    "State": "State",
    "PostalCode": "PostalCode",
    "Country": "Country",
}
_SHOPIFY_ADDRESS = {
    "Address1": "address1",
    "Address2": "address2",
    "City": "city",
    "Province": "province",
    "Country": "country",
    "PostalCode": "zip",
}
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
            "firstName": ("firstName", "FirstName"),
            "middleName": ("middleName", "MiddleName"),
            "lastName": ("lastName", "LastName"),
            "email": ("email", "EmailAddress"),
            "phone": ("phone", "PhoneNumber"),
            "mobilePhone": ("mobilePhone", "MobilePhoneNumber"),
            "company": ("company", "BusinessName"),
            "dateOfBirth": ("dateOfBirth", "BirthDate"),
        },
        {"_marketoLeadId": ("id", "PROFILE", "UNIQUE")},
        addresses=(
            (
                "",
                "Address",
                {
                    "Address1": "address",
                    "City": "city",
                    "State": "state",
                    "PostalCode": "postalCode",
                    "Country": "country",
                },
            ),
        ),
    ),
    "Salesforce-Account": _template(
        "Salesforce",
        "Account",
        {
            "Id": "Id",
            "Name": ("Name", "BusinessName"),
            "AccountNumber": ("AccountNumber", "AccountNumber"),
            "Phone": ("Phone", "BusinessPhoneNumber"),
        },
        {"_salesforceAccountId": ("Id", "PROFILE", "UNIQUE")},
        addresses=(("Billing", "BillingAddress", _STREET_ADDRESS), ("Shipping", "ShippingAddress", _STREET_ADDRESS)),
        timestamp_format=_SALESFORCE_TIMESTAMP,
    ),
    "Salesforce-Asset": _template(
        "Salesforce",
        "Asset",
        {"Id": "Id", "ContactId": "ContactId", "AccountId": "AccountId"},
        {
            "_salesforceAssetId": ("Id", "UNIQUE"),
            "_salesforceContactId": ("ContactId", "PROFILE"),
            "_salesforceAccountId": ("AccountId", "PROFILE", "SECONDARY"),
        },
        creates=False,
        timestamp_format=_SALESFORCE_TIMESTAMP,
    ),
    "Salesforce-Contact": _template(
        "Salesforce",
        "Contact",
        {
            "Id": "Id",
            "AccountId": "AccountId",
            "FirstName": ("FirstName", "FirstName"),
            "LastName": ("LastName", "LastName"),
            "Email": ("Email", "EmailAddress"),
            "Phone": ("Phone", "PhoneNumber"),
            "MobilePhone": ("MobilePhone", "MobilePhoneNumber"),
            "HomePhone": ("HomePhone", "HomePhoneNumber"),
            "Birthdate": ("Birthdate", "BirthDate"),
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
            "firstName": ("traits.firstName", "FirstName"),
            "lastName": ("traits.lastName", "LastName"),
            "email": ("traits.email", "EmailAddress"),
            "phone": ("traits.phone", "PhoneNumber"),
            "birthday": ("traits.birthday", "BirthDate"),
        },
        {"_segmentUserId": ("userId", "PROFILE", "UNIQUE")},
        addresses=(
            (
                "traits.address.",
                "Address",
                {
                    "Address1": "street",
                    "City": "city",
                    "State": "state",
                    "PostalCode": "postalCode",
                    "Country": "country",
                },
            ),
        ),
    ),
    "Servicenow-incident": _template(
        "Servicenow",
        "incident",
        {"sys_id": "sys_id", "caller": "caller_id.value"},
        {"_serviceNowIncidentId": ("sys_id", "UNIQUE"), "_serviceNowSystemId": ("caller", "PROFILE")},
        creates=False,
    ),
    "Servicenow-sys_user": _template(
        "Servicenow",
        "sys_user",
        {
            "sys_id": "sys_id",
            "first_name": ("first_name", "FirstName"),
            "middle_name": ("middle_name", "MiddleName"),
            "last_name": ("last_name", "LastName"),
            "email": ("email", "EmailAddress"),
            "phone": ("phone", "BusinessPhoneNumber"),
            "mobile_phone": ("mobile_phone", "MobilePhoneNumber"),
        },
        {"_serviceNowSystemId": ("sys_id", "PROFILE", "UNIQUE")},
        addresses=(
            (
                "",
                "Address",
                {"Address1": "street", "City": "city", "State": "state", "PostalCode": "zip", "Country": "country"},
            ),
        ),
    ),
    "Shopify-Customer": _template(
        "Shopify",
        "Customer",
        {
            "id": "id",
            "first_name": ("first_name", "FirstName"),
            "last_name": ("last_name", "LastName"),
            "email": ("email", "EmailAddress"),
            "phone": ("phone", "PhoneNumber"),
        },
        {"_shopifyCustomerId": ("id", "PROFILE", "UNIQUE")},
        addresses=(("default_address.", "Address", _SHOPIFY_ADDRESS),),
    ),
    "Shopify-Order": _template(
        "Shopify",
        "Order",
        {
            "id": "id",
            "customer_id": "customer.id",
            "first_name": ("customer.first_name", "FirstName"),
            "last_name": ("customer.last_name", "LastName"),
            "email": ("email", "EmailAddress"),
            "phone": ("phone", "PhoneNumber"),
        },
        {
            "_shopifyOrderId": ("id", "UNIQUE"),
            "_shopifyCustomerId": ("customer_id", "PROFILE"),
            "_email": ("email", "PROFILE", "SECONDARY"),
            "_phone": ("phone", "PROFILE", "SECONDARY"),
        },
        addresses=(
            ("billing_address.", "BillingAddress", _SHOPIFY_ADDRESS),
            ("shipping_address.", "ShippingAddress", _SHOPIFY_ADDRESS),
        ),
    ),
    "Zendesk-tickets": _template(
        "Zendesk",
        "tickets",
        {"id": "id", "requester_id": "requester_id"},
        {"_zendeskTicketId": ("id", "UNIQUE"), "_zendeskUserId": ("requester_id", "PROFILE")},
        creates=False,
    ),
    "Zendesk-users": _template(
        "Zendesk",
        "users",
        {
            "id": "id",
            "external_id": "external_id",
            "email": ("email", "EmailAddress"),
            "phone": ("phone", "PhoneNumber"),
        },
        {"_zendeskUserId": ("id", "PROFILE", "UNIQUE"), "_zendeskExternalId": ("external_id", "PROFILE")},
    ),
}
