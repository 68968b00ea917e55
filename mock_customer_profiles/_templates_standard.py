"""The templates of the standard objects ``_asset``, ``_order`` and ``_case`` (merged into
``_templates.TEMPLATES``, the one table the template operations read).

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


def _key(*field_names: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"StandardIdentifiers": list(ids), "FieldNames": list(field_names)}]


def _profile_field(source: str, target: str, content_type: str = "STRING") -> dict[str, str]:
    """A field read from ``_source.<source>`` that fills the profile's ``target``."""
    return {"Source": f"_source.{source}", "Target": f"_profile.{target}", "ContentType": content_type}


def _profile_address(prefix: str, target: str) -> dict[str, dict[str, str]]:
    """The profile's ``<target>.<Part>`` from the Shopify address ``<prefix>``."""
    return {
        f"{target}{part}": _profile_field(f"{prefix}.{source}", f"{target}.{part}")
        for part, source in SHOPIFY_ADDRESS.items()
    }


def _to(source: str, target: str, content_type: str = "STRING") -> dict[str, str]:
    """A field read from ``_source.<source>`` (or a Handlebars ``source``) that fills ``target`` (a standard
    object's field, such as ``_order.TotalPrice``)."""
    return {"Source": source if "{{" in source else f"_source.{source}", "Target": target, "ContentType": content_type}


def _order_address(prefix: str, target: str) -> dict[str, dict[str, str]]:
    """``_order.<target>.<Part>`` from the Shopify address ``<prefix>`` (its ``name`` too)."""
    return {
        f"Order{target}{part}": _to(f"{prefix}.{source}", f"_order.{target}.{part}")
        for part, source in _ORDER_ADDRESS_PARTS.items()
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

SHOPIFY_ADDRESS = {  # a Shopify address object's parts (the Shopify-Customer template reads them too)
    "Address1": "address1",
    "Address2": "address2",
    "City": "city",
    "Province": "province",
    "Country": "country",
    "PostalCode": "zip",
}

STANDARD_TEMPLATES: dict[str, Template] = {
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
            "first_name": _profile_field("customer.first_name", "FirstName", "NAME"),
            "last_name": _profile_field("customer.last_name", "LastName", "NAME"),
            "email": _profile_field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "phone": _profile_field("phone", "PhoneNumber", "PHONE_NUMBER"),
            **_profile_address("billing_address", "BillingAddress"),
            **_profile_address("shipping_address", "ShippingAddress"),
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
}
