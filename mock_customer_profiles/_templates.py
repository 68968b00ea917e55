"""The object type templates the mock offers (``ListProfileObjectTypeTemplates``, ``TemplateId``).

AWS does not publish the bodies of its integration templates, so these are the mock's own: each reads
the source object in the shape the integration sends it and produces the predefined key of its source
(``_shopifyCustomerId``, ``_zendeskUserId``, ``_ctrContactId``, ...), with the standard profile fields
mapped the way the integration's documentation describes them.
"""

from __future__ import annotations

from typing import Any

from mock_customer_profiles._templates_standard import STANDARD_TEMPLATES

Template = dict[str, Any]


def _field(source: str, target: str | None = None, content_type: str = "STRING") -> dict[str, str]:
    out = {"Source": f"_source.{source}", "ContentType": content_type}
    if target is not None:
        out["Target"] = f"_profile.{target}"
    return out


def _key(*field_names: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"StandardIdentifiers": list(ids), "FieldNames": list(field_names)}]


def _address(prefix: str, target: str, parts: dict[str, str]) -> dict[str, dict[str, str]]:
    """Fields ``<target>.<Part>`` read from ``<prefix>.<source name>`` for each ``Part: source name``."""
    return {f"{target}{part}": _field(f"{prefix}{source}", f"{target}.{part}") for part, source in parts.items()}


_SHOPIFY_ADDRESS = {
    "Address1": "address1",
    "Address2": "address2",
    "City": "city",
    "Province": "province",
    "Country": "country",
    "PostalCode": "zip",
}

TEMPLATES: dict[str, Template] = {
    "CTR": {
        "SourceName": "Connect",
        "SourceObject": "CTR",
        "AllowProfileCreation": True,
        "Fields": {
            "ContactId": _field("ContactId"),
            "CustomerPhone": _field("CustomerEndpoint.Address", "PhoneNumber", "PHONE_NUMBER"),
        },
        "Keys": {
            "_ctrContactId": _key("ContactId", ids=("UNIQUE",)),
            "_phone": _key("CustomerPhone", ids=("PROFILE",)),
        },
    },
    # The two other contact record templates of the admin guide ("Contact record templates in Customer
    # Profiles"): each tries _ctrContactId first, then falls back to _phone; CTR-NoInferred creates an
    # inferred profile when neither finds one, CTR-AutoAssociateOnly never does.
    "CTR-NoInferred": {
        "SourceName": "Connect",
        "SourceObject": "CTR",
        "AllowProfileCreation": True,
        "Fields": {
            "ContactId": _field("ContactId"),
            "CustomerPhone": _field("CustomerEndpoint.Address", "PhoneNumber", "PHONE_NUMBER"),
        },
        "Keys": {
            "_ctrContactId": _key("ContactId", ids=("UNIQUE", "PROFILE")),
            "_phone": _key("CustomerPhone", ids=("PROFILE", "SECONDARY")),
        },
    },
    "CTR-AutoAssociateOnly": {
        "SourceName": "Connect",
        "SourceObject": "CTR",
        "AllowProfileCreation": False,
        "Fields": {
            "ContactId": _field("ContactId"),
            "CustomerPhone": _field("CustomerEndpoint.Address", "PhoneNumber", "PHONE_NUMBER"),
        },
        "Keys": {
            "_ctrContactId": _key("ContactId", ids=("UNIQUE", "PROFILE")),
            "_phone": _key("CustomerPhone", ids=("PROFILE", "SECONDARY")),
        },
    },
    "Marketo-leads": {
        "SourceName": "Marketo",
        "SourceObject": "leads",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _field("id"),
            "firstName": _field("firstName", "FirstName", "NAME"),
            "middleName": _field("middleName", "MiddleName", "NAME"),
            "lastName": _field("lastName", "LastName", "NAME"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
            "mobilePhone": _field("mobilePhone", "MobilePhoneNumber", "PHONE_NUMBER"),
            "company": _field("company", "BusinessName"),
            "dateOfBirth": _field("dateOfBirth", "BirthDate"),
            **_address(
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
        },
        "Keys": {"_marketoLeadId": _key("id", ids=("PROFILE", "UNIQUE"))},
    },
    "Salesforce-Account": {
        "SourceName": "Salesforce",
        "SourceObject": "Account",
        "AllowProfileCreation": True,
        "SourceLastUpdatedTimestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "Fields": {
            "Id": _field("Id"),
            "Name": _field("Name", "BusinessName"),
            "AccountNumber": _field("AccountNumber", "AccountNumber"),
            "Phone": _field("Phone", "BusinessPhoneNumber", "PHONE_NUMBER"),
            **_address(
                "Billing",
                "BillingAddress",
                {
                    "Address1": "Street",
                    "City": "City",
                    "State": "State",
                    "PostalCode": "PostalCode",
                    "Country": "Country",
                },
            ),
            **_address(
                "Shipping",
                "ShippingAddress",
                {
                    "Address1": "Street",
                    "City": "City",
                    "State": "State",
                    "PostalCode": "PostalCode",
                    "Country": "Country",
                },
            ),
        },
        "Keys": {"_salesforceAccountId": _key("Id", ids=("PROFILE", "UNIQUE"))},
    },
    "Salesforce-Asset": {
        "SourceName": "Salesforce",
        "SourceObject": "Asset",
        "AllowProfileCreation": False,
        "SourceLastUpdatedTimestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "Fields": {
            "Id": _field("Id"),
            "ContactId": _field("ContactId"),
            "AccountId": _field("AccountId"),
        },
        "Keys": {
            "_salesforceAssetId": _key("Id", ids=("UNIQUE",)),
            "_salesforceContactId": _key("ContactId", ids=("PROFILE",)),
            "_salesforceAccountId": _key("AccountId", ids=("PROFILE", "SECONDARY")),
        },
    },
    "Salesforce-Contact": {
        "SourceName": "Salesforce",
        "SourceObject": "Contact",
        "AllowProfileCreation": True,
        "SourceLastUpdatedTimestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "Fields": {
            "Id": _field("Id"),
            "AccountId": _field("AccountId"),
            "FirstName": _field("FirstName", "FirstName", "NAME"),
            "LastName": _field("LastName", "LastName", "NAME"),
            "Email": _field("Email", "EmailAddress", "EMAIL_ADDRESS"),
            "Phone": _field("Phone", "PhoneNumber", "PHONE_NUMBER"),
            "MobilePhone": _field("MobilePhone", "MobilePhoneNumber", "PHONE_NUMBER"),
            "HomePhone": _field("HomePhone", "HomePhoneNumber", "PHONE_NUMBER"),
            "Birthdate": _field("Birthdate", "BirthDate"),
            **_address(
                "Mailing",
                "MailingAddress",
                {
                    "Address1": "Street",
                    "City": "City",
                    "State": "State",
                    "PostalCode": "PostalCode",
                    "Country": "Country",
                },
            ),
        },
        "Keys": {
            "_salesforceContactId": _key("Id", ids=("PROFILE", "UNIQUE")),
            "_salesforceAccountId": _key("AccountId"),
        },
    },
    "Segment-Identify": {
        "SourceName": "Segment",
        "SourceObject": "Identify",
        "AllowProfileCreation": True,
        "Fields": {
            "userId": _field("userId"),
            "firstName": _field("traits.firstName", "FirstName", "NAME"),
            "lastName": _field("traits.lastName", "LastName", "NAME"),
            "email": _field("traits.email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("traits.phone", "PhoneNumber", "PHONE_NUMBER"),
            "birthday": _field("traits.birthday", "BirthDate"),
            **_address(
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
        },
        "Keys": {"_segmentUserId": _key("userId", ids=("PROFILE", "UNIQUE"))},
    },
    "Servicenow-incident": {
        "SourceName": "Servicenow",
        "SourceObject": "incident",
        "AllowProfileCreation": False,
        "Fields": {
            "sys_id": _field("sys_id"),
            "caller": _field("caller_id.value"),
        },
        "Keys": {
            "_serviceNowIncidentId": _key("sys_id", ids=("UNIQUE",)),
            "_serviceNowSystemId": _key("caller", ids=("PROFILE",)),
        },
    },
    "Servicenow-sys_user": {
        "SourceName": "Servicenow",
        "SourceObject": "sys_user",
        "AllowProfileCreation": True,
        "Fields": {
            "sys_id": _field("sys_id"),
            "first_name": _field("first_name", "FirstName", "NAME"),
            "middle_name": _field("middle_name", "MiddleName", "NAME"),
            "last_name": _field("last_name", "LastName", "NAME"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "BusinessPhoneNumber", "PHONE_NUMBER"),
            "mobile_phone": _field("mobile_phone", "MobilePhoneNumber", "PHONE_NUMBER"),
            **_address(
                "",
                "Address",
                {"Address1": "street", "City": "city", "State": "state", "PostalCode": "zip", "Country": "country"},
            ),
        },
        "Keys": {"_serviceNowSystemId": _key("sys_id", ids=("PROFILE", "UNIQUE"))},
    },
    "Shopify-Customer": {
        "SourceName": "Shopify",
        "SourceObject": "Customer",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _field("id"),
            "first_name": _field("first_name", "FirstName", "NAME"),
            "last_name": _field("last_name", "LastName", "NAME"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
            **_address("default_address.", "Address", _SHOPIFY_ADDRESS),
        },
        "Keys": {"_shopifyCustomerId": _key("id", ids=("PROFILE", "UNIQUE"))},
    },
    "Shopify-Order": {
        "SourceName": "Shopify",
        "SourceObject": "Order",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _field("id"),
            "customer_id": _field("customer.id"),
            "first_name": _field("customer.first_name", "FirstName", "NAME"),
            "last_name": _field("customer.last_name", "LastName", "NAME"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
            **_address("billing_address.", "BillingAddress", _SHOPIFY_ADDRESS),
            **_address("shipping_address.", "ShippingAddress", _SHOPIFY_ADDRESS),
        },
        "Keys": {
            "_shopifyOrderId": _key("id", ids=("UNIQUE",)),
            "_shopifyCustomerId": _key("customer_id", ids=("PROFILE",)),
            "_email": _key("email", ids=("PROFILE", "SECONDARY")),
            "_phone": _key("phone", ids=("PROFILE", "SECONDARY")),
        },
    },
    "Zendesk-tickets": {
        "SourceName": "Zendesk",
        "SourceObject": "tickets",
        "AllowProfileCreation": False,
        "Fields": {
            "id": _field("id"),
            "requester_id": _field("requester_id"),
        },
        "Keys": {
            "_zendeskTicketId": _key("id", ids=("UNIQUE",)),
            "_zendeskUserId": _key("requester_id", ids=("PROFILE",)),
        },
    },
    "Zendesk-users": {
        "SourceName": "Zendesk",
        "SourceObject": "users",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _field("id"),
            "external_id": _field("external_id"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
        },
        "Keys": {
            "_zendeskUserId": _key("id", ids=("PROFILE", "UNIQUE")),
            "_zendeskExternalId": _key("external_id", ids=("PROFILE",)),
        },
    },
}

# The templates that fill the standard objects _asset, _order and _case, as AWS's admin guide maps them
# (they replace the earlier Salesforce-Asset, Shopify-Order, Zendesk-tickets and Servicenow-incident).
TEMPLATES.update(STANDARD_TEMPLATES)
