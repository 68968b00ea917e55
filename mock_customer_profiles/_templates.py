"""The object type templates the mock offers (``ListProfileObjectTypeTemplates``, ``TemplateId``).

AWS does not publish the bodies of its integration templates, so these are the mock's own: each reads
the source object in the shape the integration sends it and produces the predefined key of its source
(``_shopifyCustomerId``, ``_zendeskUserId``, ``_ctrContactId``, ...), with the standard profile fields
mapped the way the integration's documentation describes them.

The templates of assets, orders and cases fill the standard objects ``_asset``, ``_order`` and ``_case``
field for field as AWS's admin guide tables give them, and their UNIQUE key carries the standard
identifier (``ASSET``, ``ORDER``, ``CASE``), so an object lands as a standard object that
``ListProfileObjects(ObjectTypeName="_order")`` lists and whose ``ObjectFilter`` takes the template's key:

- Salesforce-Asset: "Mapping Salesforce objects to the standard asset in Customer Profiles"
  (connect/latest/adminguide/mapping-salesforce-objects-to-asset.html);
- Shopify-Order, Shopify-DraftOrder: "Mapping Shopify objects to the standard order in Amazon Connect Customer
  Profiles" (adminguide/mapping-shopify-objects-standard-order.html). ``StatusCode`` "is ACTIVATED if
  order_status_url exists in the source. Otherwise, the StatusCode is DRAFT": a Handlebars ``#if``;
  ``line_items[].title`` -> ``OrderItems[].Title``: an array spread (``_sources``). AWS's example reads the
  order through its EventBridge envelope (``_source.detail.event.detail.payload.id``); the mock's templates
  read the Shopify object itself, as its other Shopify template always did;
- Zendesk-tickets: "Mapping Zendesk objects to the standard case" (adminguide/mapping-zendesk-objects-case.html);
- Servicenow-task, Servicenow-incident: "Mapping ServiceNow objects to the standard case"
  (adminguide/mapping-servicenow-objects-standard-case.html). That page finds the caller by
  ``caller_id.link`` / ``opened_by.link`` (the mock read ``caller_id.value`` before: the page wins), names the
  incident's status source ``incident_status`` and writes ``Attributes_ServiceNowIncidentId`` (read here as
  ``Attributes.ServiceNowIncidentId``, the form of every other row).
"""

from __future__ import annotations

from typing import Any

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


def _to(source: str, target: str, content_type: str = "STRING") -> dict[str, str]:
    """A field read from ``_source.<source>`` (or a Handlebars ``source``) that fills ``target`` (a standard
    object's field, such as ``_order.TotalPrice``)."""
    return {"Source": source if "{{" in source else f"_source.{source}", "Target": target, "ContentType": content_type}


def _order_address(prefix: str, target: str) -> dict[str, dict[str, str]]:
    """``_order.<target>.<Part>`` from the Shopify address ``<prefix>`` (its ``name`` too)."""
    parts = {**_ORDER_ADDRESS_PARTS}
    return {
        f"Order{target}{part}": _to(f"{prefix}.{source}", f"_order.{target}.{part}") for part, source in parts.items()
    }


def _order_items(source: str) -> dict[str, dict[str, str]]:
    """``_order.OrderItems[]`` from the Shopify array ``source`` (``line_items``), element by element."""
    return {
        f"OrderItem{part}": _to(f"{source}[].{part.lower()}", f"_order.OrderItems[].{part}")
        for part in ("Title", "Price", "Quantity")
    }


# "The StatusCode is ACTIVATED if order_status_url exists in the source. Otherwise, the StatusCode is DRAFT."
_STATUS_CODE = "{{#if _source.order_status_url}}ACTIVATED{{else}}DRAFT{{/if}}"
_ORDER_ADDRESS_PARTS = {
    "Address1": "address1",
    "Address2": "address2",
    "City": "city",
    "PostalCode": "zip",
    "Province": "province",
    "Country": "country",
    "Name": "name",
}

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
            "Id": _to("Id", "_asset.Attributes.sfdcAssetId"),
            "ContactId": _to("ContactId", "_asset.Attributes.sfdcContactId"),
            "AccountId": _to("AccountId", "_asset.Attributes.sfdcAccountId"),
            "SerialNumber": _to("SerialNumber", "_asset.SerialNumber"),
            "StockKeepingUnit": _to("StockKeepingUnit", "_asset.ProductSKU"),
            "UsageEndDate": _to("UsageEndDate", "_asset.UsageEndDate"),
            "Status": _to("Status", "_asset.Status"),
            "Price": _to("Price", "_asset.Price"),
            "Quantity": _to("Quantity", "_asset.Quantity"),
            "Description": _to("Description", "_asset.Description"),
        },
        "Keys": {
            "_salesforceAssetId": _key("Id", ids=("UNIQUE", "ASSET")),
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
            "sys_id": _to("sys_id", "_case.Attributes.ServiceNowIncidentId"),
            "caller": _to("caller_id.link", "_case.Attributes.ServiceNowSystemUserId"),
            "created_by": _to("caller_id.link", "_case.CreatedBy"),
            "incident_status": _to("incident_status", "_case.Status"),
            "resolved_at": _to("resolved_at", "_case.ClosedDate"),
            "category": _to("category", "_case.Reason"),
        },
        "Keys": {
            "_serviceNowIncidentId": _key("sys_id", ids=("UNIQUE", "CASE")),
            "_serviceNowSystemId": _key("caller", ids=("PROFILE",)),
        },
    },
    "Servicenow-task": {
        "SourceName": "Servicenow",
        "SourceObject": "task",
        "AllowProfileCreation": False,
        "Fields": {
            "sys_id": _to("sys_id", "_case.Attributes.ServiceNowTaskId"),
            "opened_by": _to("opened_by.link", "_case.Attributes.ServiceNowSystemUserId"),
            "short_description": _to("short_description", "_case.Title"),
            "description": _to("description", "_case.Summary"),
            "status": _to("status", "_case.Status"),
            "sys_created_by": _to("sys_created_by", "_case.CreatedBy"),
            "sys_created_on": _to("sys_created_on", "_case.CreatedDate"),
            "sys_updated_on": _to("sys_updated_on", "_case.UpdatedDate"),
        },
        "Keys": {
            "_serviceNowTaskId": _key("sys_id", ids=("UNIQUE", "CASE")),
            "_serviceNowSystemId": _key("opened_by", ids=("PROFILE",)),
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
    "Shopify-DraftOrder": {
        "SourceName": "Shopify",
        "SourceObject": "DraftOrder",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _to("id", "_order.Attributes.ShopifyOrderId"),
            "customer_id": _to("customer.id", "_order.Attributes.ShopifyCustomerId"),
            "note": _to("note", "_order.AdditionalInformation"),
            "email": _to("email", "_order.CustomerEmail", "EMAIL_ADDRESS"),
            "currency": _to("currency", "_order.Currency"),
            "created_at": _to("created_at", "_order.CreatedDate"),
            "updated_at": _to("updated_at", "_order.UpdatedDate"),
            "name": _to("name", "_order.Name"),
            "status": _to("status", "_order.Status"),
            "status_code": _to(_STATUS_CODE, "_order.StatusCode"),
            **_order_address("billing_address", "BillingAddress"),
            **_order_address("shipping_address", "ShippingAddress"),
            "invoice_url": _to("invoice_url", "_order.StatusUrl"),
            "total_price": _to("total_price", "_order.TotalPrice"),
            "total_tax": _to("total_tax", "_order.TotalTax"),
            **_order_items("line_items"),
        },
        "Keys": {
            "_shopifyOrderId": _key("id", ids=("UNIQUE", "ORDER")),
            "_shopifyCustomerId": _key("customer_id", ids=("PROFILE",)),
            "_email": _key("email", ids=("PROFILE", "SECONDARY")),
        },
    },
    "Shopify-Order": {
        "SourceName": "Shopify",
        "SourceObject": "Order",
        "AllowProfileCreation": True,
        "Fields": {
            "id": _to("id", "_order.Attributes.ShopifyOrderId"),
            "customer_id": _to("customer.id", "_order.Attributes.ShopifyCustomerId"),
            # The customer's profile: its name, contacts and addresses.
            "first_name": _field("customer.first_name", "FirstName", "NAME"),
            "last_name": _field("customer.last_name", "LastName", "NAME"),
            "email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
            **_address("billing_address.", "BillingAddress", _SHOPIFY_ADDRESS),
            **_address("shipping_address.", "ShippingAddress", _SHOPIFY_ADDRESS),
            # The standard order (a field has one Target: the order's copies of email and phone are fields too).
            "cancelled_at": _to("cancelled_at", "_order.CancelledDate"),
            "cancel_reason": _to("cancel_reason", "_order.CancelReason"),
            "closed_at": _to("closed_at", "_order.ClosedDate"),
            "created_at": _to("created_at", "_order.CreatedDate"),
            "currency": _to("currency", "_order.Currency"),
            "customer_email": _to("email", "_order.CustomerEmail", "EMAIL_ADDRESS"),
            "financial_status": _to("financial_status", "_order.Status"),
            "status_code": _to(_STATUS_CODE, "_order.StatusCode"),
            "fulfillment_status": _to("fulfillment_status", "_order.FulfillmentStatus"),
            "gateway": _to("gateway", "_order.Gateway"),
            "name": _to("name", "_order.Name"),
            "note": _to("note", "_order.AdditionalInformation"),
            "order_status_url": _to("order_status_url", "_order.StatusUrl"),
            "customer_phone": _to("phone", "_order.CustomerPhone", "PHONE_NUMBER"),
            "processed_at": _to("processed_at", "_order.ProcessedDate"),
            "total_discounts": _to("total_discounts", "_order.TotalDiscounts"),
            "total_line_items_price": _to("total_line_items_price", "_order.TotalItemsPrice"),
            "total_price": _to("total_price", "_order.TotalPrice"),
            "total_shipping_price": _to("total_shipping_price_set.shop_money.amount", "_order.TotalShippingPrice"),
            "total_tax": _to("total_tax", "_order.TotalTax"),
            "total_tip_received": _to("total_tip_received", "_order.TotalTipReceived"),
            "total_weight": _to("total_weight", "_order.TotalWeight"),
            "updated_at": _to("updated_at", "_order.UpdatedDate"),
            **_order_address("billing_address", "BillingAddress"),
            **_order_address("shipping_address", "ShippingAddress"),
            "credit_card_number": _to("payment_details.credit_card_number", "_order.CreditCardNumber"),
            "credit_card_company": _to("payment_details.credit_card_company", "_order.CreditCardCompany"),
            **_order_items("line_items"),
        },
        "Keys": {
            "_shopifyOrderId": _key("id", ids=("UNIQUE", "ORDER")),
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
            "id": _to("id", "_case.Attributes.ZendeskTicketId"),
            "requester_id": _to("requester_id", "_case.Attributes.ZendeskUserId"),
            "subject": _to("subject", "_case.Title"),
            "description": _to("description", "_case.Summary"),
            "status": _to("status", "_case.Status"),
            "requester": _to("requester_id", "_case.CreatedBy"),
            "created_at": _to("created_at", "_case.CreatedDate"),
            "updated_at": _to("updated_at", "_case.UpdatedDate"),
        },
        "Keys": {
            "_zendeskTicketId": _key("id", ids=("UNIQUE", "CASE")),
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
