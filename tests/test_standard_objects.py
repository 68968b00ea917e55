"""Standard objects (_asset, _order, _airBooking, _airSegment, _loyalty, ...): mappings that target them,
the records ingestion fills field by field, reading them back, searching by their keys, deleting, merging.

The travel mappings below have the shapes of AWS's travel-and-hospitality sample
(aws-samples/sample-for-customer-profiles-travel-hospitality, airlines/mappings and hotels/mappings):
written here, shortened, with the same kinds of targets and keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, objects_of, put_object, put_type, search

from mock_customer_profiles import CustomerProfilesMock, _changes, mock_customer_profiles
from mock_customer_profiles._changes import Change

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

HEX32 = set("0123456789abcdef")


def src(path: str, target: str | None = None, content_type: str | None = None) -> dict[str, str]:
    out = {"Source": f"_source.{path}"}
    if target is not None:
        out["Target"] = target
    if content_type is not None:
        out["ContentType"] = content_type
    return out


def key(*names: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"FieldNames": list(names), "StandardIdentifiers": list(ids)}]


def put_airline_types(client: Any) -> None:
    """Loyalty, Booking and Preferences, shaped as the sample's airline mappings."""
    put_type(
        client,
        "Loyalty",
        {
            "LoyaltyId": src("LoyaltyId", "_profile.Attributes.LoyaltyId", "STRING"),
            "LoyaltyMembership": src("LoyaltyId", "_loyalty.MembershipId", "STRING"),
            "AccountNumber": src("LoyaltyId", "_profile.AccountNumber", "STRING"),
            "AccountStatus": src("AccountStatus", "_loyalty.Status", "STRING"),
            "FirstName": src("FirstName", "_profile.FirstName", "STRING"),
            "LastName": src("LastName", "_profile.LastName", "STRING"),
            "ProgramName": src("ProgramName", "_loyalty.ProgramName", "STRING"),
            "CurrentStatusLevelDescription": src("CurrentStatusLevelDescription", "_loyalty.Tier.CurrentTier"),
            "PointsBalance": src("PointsBalance", "_loyalty.Points.Balance"),
        },
        {"LoyaltyId": key("LoyaltyId", ids=("UNIQUE", "PROFILE", "LOYALTY"))},
        SourceLastUpdatedTimestampFormat="yyyy-MM-dd'T'HH:mm:ss'Z'",
    )
    put_type(
        client,
        "Booking",
        {
            "LoyaltyId": src("LoyaltyId", "_profile.Attributes.LoyaltyId"),
            "BookingLoyaltyId": src("LoyaltyId", "_airBooking.Loyalty.MembershipId"),
            "BookingId": src("BookingId", "_airBooking.Attributes.BookingId"),
            "PNR": src("PNR", "_airBooking.Attributes.PNR"),
            "SegmentPNR": src("PNR", "_airSegment.BookingRef"),
            "FirstName": src("FirstName", "_profile.FirstName"),
            "Email": src("Email"),
            "Price": src("Price", "_airBooking.Price.TotalPrice"),
            "TravellerPrice": src("TravellerPrice", "_airBooking.Price.TravellerPrice"),
            "SegmentId": src("SegmentId", "_airSegment.Attributes.SegmentId"),
            "From": src("From", "_airSegment.Origin"),
            "To": src("To", "_airSegment.Dest"),
            "DepartureDate": src("DepartureDate", "_airSegment.Departure.Date"),
            "SeatNbr": src("SeatNbr", "_airSegment.Seat.SeatNumber"),
            "SeatPrice": src("SeatPrice", "_airSegment.Seat.Price"),
            "BagOverweight": src("BagOverweight", "_airSegment.Baggage.IsHeavy"),
        },
        {
            "LoyaltyId": key("LoyaltyId", ids=("PROFILE",)),
            "ObjectId": key("BookingId", ids=("UNIQUE", "AIR_BOOKING")),
            "SegmentId": key("SegmentId", ids=("AIR_SEGMENT",)),
            "PNR": key("PNR"),
        },
    )
    put_type(
        client,
        "Preferences",
        {
            "LoyaltyId": src("LoyaltyId"),
            "PreferenceId": src("PreferenceId", "_airPreference.Attributes.AirPreferenceId"),
            "SeatDescription": src("SeatDescription", "_airPreference.Seat.Location"),
            "CabinDescription": src("CabinDescription", "_airPreference.Seat.ClassOfService"),
            "FareTypeDescription": src("FareTypeDescription", "_airPreference.Seat.ClassOfService"),
            "MealType": src("MealType", "_airPreference.Dining.MealType"),
            "ContactDetailEmail": src("ContactDetailEmail", "_airPreference.ContactDetail.EmailAddress"),
            "AirportCode": src("AirportCode", "_airPreference.HomeAirport"),
        },
        {
            "LoyaltyId": key("LoyaltyId", ids=("PROFILE",)),
            "PreferenceId": key("PreferenceId", ids=("UNIQUE", "AIR_PREFERENCE")),
        },
        allow=False,
    )


def booking(**changes: Any) -> dict[str, Any]:
    row = {
        "LoyaltyId": "L-100",
        "BookingId": "B-1",
        "PNR": "PNR1",
        "FirstName": "Ana",
        "Email": "ana@example.com",
        "Price": 449.0,
        "TravellerPrice": "399",
        "SegmentId": "S-1",
        "From": "LIS",
        "To": "JFK",
        "DepartureDate": "2026-07-01",
        "SeatNbr": "12A",
        "SeatPrice": "35",
        "BagOverweight": False,
    }
    row.update(changes)
    return {name: value for name, value in row.items() if value is not None}


def records(client: Any, type_name: str, profile_id: str, **extra: Any) -> dict[str, dict[str, Any]]:
    """The standard objects of one type on a profile, by ProfileObjectUniqueKey."""
    response = client.list_profile_objects(DomainName="acme", ObjectTypeName=type_name, ProfileId=profile_id, **extra)
    found = {}
    for item in response["Items"]:
        assert item["ObjectTypeName"] == type_name
        found[item["ProfileObjectUniqueKey"]] = json.loads(item["Object"])
    return found


# ------------------------------------------------------------------------------------ AWS's sample


def test_the_airline_sample_mappings_are_accepted_as_sent(client: Any, domain: str) -> None:
    put_airline_types(client)
    names = [item["ObjectTypeName"] for item in client.list_profile_object_types(DomainName="acme")["Items"]]
    assert names == ["Booking", "Loyalty", "Preferences"]  # the standard objects are not object types
    got = client.get_profile_object_type(DomainName="acme", ObjectTypeName="Booking")
    assert got["Fields"]["SeatPrice"]["Target"] == "_airSegment.Seat.Price"


def test_a_loyalty_row_fills_the_profile_and_a_loyalty_record(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(
        client,
        "Loyalty",
        {
            "LoyaltyId": "L-100",
            "AccountStatus": "ACTIVE",
            "FirstName": "Ana",
            "LastName": "Silva",
            "ProgramName": "Miles",
            "CurrentStatusLevelDescription": "Gold",
            "PointsBalance": 1200,
        },
    )
    (pid,) = search(client, "_account", "L-100")
    ((loyalty_id, record),) = records(client, "_loyalty", pid).items()
    assert set(loyalty_id) <= HEX32
    assert len(loyalty_id) == 32
    assert record == {
        "LoyaltyId": loyalty_id,
        "ProfileId": pid,
        "MembershipId": "L-100",
        "Status": "ACTIVE",
        "ProgramName": "Miles",
        "Tier": {"CurrentTier": "Gold"},
        "Points": {"Balance": "1200"},
    }
    assert search(client, "_loyaltyId", loyalty_id) == [pid]
    assert search(client, "_loyaltyMembershipId", "L-100") == [pid]


def test_one_booking_row_fills_the_profile_an_air_booking_and_an_air_segment(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    (pid,) = search(client, "LoyaltyId", "L-100")
    ((booking_id, air_booking),) = records(client, "_airBooking", pid).items()
    ((segment_id, air_segment),) = records(client, "_airSegment", pid).items()
    assert air_booking == {
        "BookingId": booking_id,
        "ProfileId": pid,
        "Loyalty": {"MembershipId": "L-100"},
        "Attributes": {"BookingId": "B-1", "PNR": "PNR1"},
        "Price": {"TotalPrice": "449.0", "TravellerPrice": "399"},
    }
    assert air_segment == {
        "SegmentId": segment_id,
        "ProfileId": pid,
        "BookingRef": "PNR1",
        "Attributes": {"SegmentId": "S-1"},
        "Origin": "LIS",
        "Dest": "JFK",
        "Departure": {"Date": "2026-07-01"},
        "Seat": {"SeatNumber": "12A", "Price": "35"},
        "Baggage": [{"IsHeavy": "false"}],  # a list field targeted without [] fills its first item
    }
    # The raw object stays under its own type; the predefined keys find the profile.
    assert objects_of(client, "Booking", pid) == [booking()]
    assert search(client, "_airBookingId", booking_id) == [pid]
    assert search(client, "_airSegmentId", segment_id) == [pid]
    assert search(client, "_airBookingRef", "PNR1") == [pid]
    assert search(client, "SegmentId", "S-1") == [pid]
    stats = client.get_domain(DomainName="acme")["Stats"]  # the standard objects count as no objects
    assert (stats["ObjectCount"], stats["MeteringProfileCount"]) == (1, 1)


def test_a_second_segment_of_a_booking_updates_the_booking_and_adds_a_segment(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    put_object(client, "Booking", booking(SegmentId="S-2", To="BOS", Price=None, SeatPrice="", TravellerPrice="420"))
    (pid,) = search(client, "LoyaltyId", "L-100")
    (air_booking,) = records(client, "_airBooking", pid).values()
    # Field by field: the price the second row lacks stays, the one it gives is updated.
    assert air_booking["Price"] == {"TotalPrice": "449.0", "TravellerPrice": "420"}
    segments = sorted(
        records(client, "_airSegment", pid).values(), key=lambda record: record["Attributes"]["SegmentId"]
    )
    assert [(segment["Attributes"]["SegmentId"], segment["Dest"]) for segment in segments] == [
        ("S-1", "JFK"),
        ("S-2", "BOS"),
    ]
    assert "Price" not in segments[1]["Seat"]  # an empty source is absent
    # The profile object itself was replaced wholesale (same UNIQUE value).
    (row,) = objects_of(client, "Booking", pid)
    assert "Price" not in row
    assert row["SegmentId"] == "S-2"


def test_an_update_never_blanks_a_field_and_keeps_the_record_id(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    (pid,) = search(client, "LoyaltyId", "L-100")
    (segment_id,) = records(client, "_airSegment", pid)
    put_object(client, "Booking", booking(From="", To="", SeatNbr="14C", SeatPrice=None))
    ((same_id, segment),) = records(client, "_airSegment", pid).items()
    assert same_id == segment_id
    assert (segment["Origin"], segment["Dest"], segment["Seat"]) == ("LIS", "JFK", {"SeatNumber": "14C", "Price": "35"})


def test_preferences_attach_to_the_profile_and_the_last_mapped_value_wins(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Loyalty", {"LoyaltyId": "L-100", "FirstName": "Ana"})
    put_object(
        client,
        "Preferences",
        {
            "LoyaltyId": "L-100",
            "PreferenceId": "P-9",
            "SeatDescription": "Window",
            "CabinDescription": "Economy",
            "FareTypeDescription": "Premium",
            "MealType": "VGML",
            "ContactDetailEmail": "ana@example.com",
            "AirportCode": "LIS",
        },
    )
    (pid,) = search(client, "_account", "L-100")
    ((preference_id, preference),) = records(client, "_airPreference", pid).items()
    assert preference == {
        "PreferenceId": preference_id,
        "ProfileId": pid,
        "Attributes": {"AirPreferenceId": "P-9"},
        "Seat": {"Location": "Window", "ClassOfService": "Premium"},
        "Dining": {"MealType": "VGML"},
        "ContactDetail": {"EmailAddress": "ana@example.com"},
        "HomeAirport": "LIS",
    }
    assert search(client, "_airPreferenceId", preference_id) == [pid]


def test_the_hotel_sample_shapes_fill_reservations_and_stay_revenue(client: Any, domain: str) -> None:
    put_type(
        client,
        "HotelReservation",
        {
            "LoyaltyId": src("LoyaltyId", "_profile.Attributes.LoyaltyId"),
            "ReservationId": src("ReservationId", "_hotelReservation.Attributes.ReservationId"),
            "ConfirmationNumber": src("ConfirmationNumber", "_hotelReservation.ConfirmationNumber"),
            "CheckInDate": src("CheckInDate", "_hotelReservation.CheckIn.Date"),
            "CheckOutDate": src("CheckOutDate", "_hotelReservation.Checkout.Date"),
            "RoomTypeCode": src("RoomTypeCode", "_hotelReservation.Room.TypeCode"),
            "PreferenceRef": src("PreferenceRef", "_hotelReservation.PreferenceRef"),
        },
        {
            "LoyaltyId": key("LoyaltyId", ids=("PROFILE",)),
            "ObjectId": key("ReservationId", ids=("UNIQUE", "HOTEL_RESERVATION")),
            "ConfirmationNumber": key("ConfirmationNumber"),
        },
    )
    put_type(
        client,
        "HotelStayRevenue",
        {
            "StayRevenueId": src("StayRevenueId", "_hotelStayRevenue.Attributes.StayRevenueId"),
            "GuestId": src("GuestId", "_hotelStayRevenue.GuestId"),
            "ProfileGuestId": src("GuestId", "_profile.AccountNumber"),
            "RevenueAmount": src("RevenueAmount", "_hotelStayRevenue.Amount"),
            "CreatedDate": src("CreatedDate", "_hotelStayRevenue.CreatedOn"),
        },
        {
            "LoyaltyId": key("GuestId", ids=("PROFILE",)),
            "StayRevenueId": key("StayRevenueId", ids=("UNIQUE", "HOTEL_STAY_REVENUE")),
        },
    )
    put_object(
        client,
        "HotelReservation",
        {
            "LoyaltyId": "G-1",
            "ReservationId": "R-1",
            "ConfirmationNumber": "C-77",
            "CheckInDate": "2026-08-01",
            "CheckOutDate": "2026-08-04",
            "RoomTypeCode": "KING",
            "PreferenceRef": "HP-1",
        },
    )
    put_object(client, "HotelStayRevenue", {"StayRevenueId": "SR-1", "GuestId": "G-1", "RevenueAmount": "310.50"})
    (pid,) = search(client, "LoyaltyId", "G-1")
    (reservation,) = records(client, "_hotelReservation", pid).values()
    assert reservation["CheckIn"] == {"Date": "2026-08-01"}
    assert reservation["Checkout"] == {"Date": "2026-08-04"}
    assert search(client, "_hotelPreferenceRef", "HP-1") == [pid]
    (revenue,) = records(client, "_hotelStayRevenue", pid).values()
    assert (revenue["GuestId"], revenue["Amount"]) == ("G-1", "310.50")


# ------------------------------------------------------------------------------- mapping rules

ASSET_KEYS = {"serial": key("serial", ids=("UNIQUE", "ASSET"))}


@pytest.mark.parametrize(
    ("fields", "keys", "message"),
    [
        (
            {"serial": src("serial", "_widget.Name")},
            ASSET_KEYS,
            "Field serial of object type T: Target _widget.Name names no standard object: a Target starts with one "
            "of _profile, _asset, _case, _order, _communicationRecord, _airPreference, _hotelPreference, "
            "_airBooking, _airSegment, _hotelReservation, _hotelStayRevenue, _loyalty, _loyaltyTransaction, "
            "_loyaltyPromotion, _device, _webAnalytics",
        ),
        (
            {"serial": src("serial", "_airSegment.Seat.Colour")},
            {"serial": key("serial", ids=("UNIQUE", "AIR_SEGMENT"))},
            "Field serial of object type T: Target _airSegment.Seat.Colour: Colour is not a field of _airSegment.Seat",
        ),
        (
            {"serial": src("serial", "_asset.Colour")},
            ASSET_KEYS,
            "Field serial of object type T: Target _asset.Colour: Colour is not a field of _asset",
        ),
        (
            {"serial": src("serial", "_airSegment.Seat")},
            {"serial": key("serial", ids=("UNIQUE", "AIR_SEGMENT"))},
            "Field serial of object type T: Target _airSegment.Seat names the structure _airSegment.Seat, "
            "not one of its fields",
        ),
        (
            {"serial": src("serial", "_asset")},
            ASSET_KEYS,
            "Field serial of object type T: Target _asset names the standard object _asset, not one of its fields",
        ),
        (
            {"serial": src("serial", "_asset.AssetName.First")},
            ASSET_KEYS,
            "Field serial of object type T: Target _asset.AssetName.First: _asset.AssetName is a String field, "
            "it has no field First",
        ),
        (
            {"serial": src("serial", "_asset.SerialNumber[]")},
            ASSET_KEYS,
            "Field serial of object type T: Target _asset.SerialNumber[]: _asset.SerialNumber is not a list",
        ),
        (
            {"serial": src("serial", "_airSegment.SegmentId")},
            {"serial": key("serial", ids=("UNIQUE", "AIR_SEGMENT"))},
            "Field serial of object type T: Target _airSegment.SegmentId is the system-managed ID of _airSegment, "
            "which a Target can't set: put your source's own ID in _airSegment.Attributes.<Name>",
        ),
        (
            {"serial": src("serial", "_asset.SerialNumber"), "leg": src("leg", "_airSegment.FlightNumber")},
            ASSET_KEYS,
            "Object type T has fields that target _airSegment, but no key with the standard identifier AIR_SEGMENT: "
            "every standard object a mapping targets needs its identifier on at least one key",
        ),
        (
            {"serial": src("serial", "_asset.SerialNumber"), "order": src("order")},
            {**ASSET_KEYS, "_orderId": key("order", ids=("PROFILE",))},
            "Key _orderId of object type T indexes a system-managed ID: it must be LOOKUP_ONLY",
        ),
    ],
    ids=[
        "unknown-object",
        "unknown-nested-field",
        "unknown-field",
        "structure",
        "no-field",
        "below-a-string",
        "not-a-list",
        "system-id",
        "pairing-rule",
        "id-key-not-lookup-only",
    ],
)
def test_mapping_rules_for_standard_objects(client: Any, domain: str, fields: Any, keys: Any, message: str) -> None:
    with bad_request(message):
        put_type(client, "T", fields, keys)
    assert client.list_profile_object_types(DomainName="acme")["Items"] == []


def test_mappings_may_use_attributes_lists_maps_and_unpublished_sub_fields(client: Any, domain: str) -> None:
    put_type(
        client,
        "Everything",
        {
            "id": src("id", "_asset.Attributes.installer.name"),
            "title": src("title", "_order.OrderItems[].Title"),
            "price": src("price", "_order.OrderItems[].Price"),
            "status": src("status", "_order.StatusCode"),
            "open": src("open", "_communicationRecord.Events.EmailOpen.Attributes.Subject"),
            "floor": src("floor", "_hotelPreference.Location.PreferredFloor"),
            "browser": src("browser", "_webAnalytics.Browser.Id"),
            "width": src("width", "_device.ScreenWidth"),
            "order": src("order"),
        },
        {
            "id": key("id", ids=("UNIQUE", "PROFILE", "ASSET", "ORDER", "HOTEL_PREFERENCE")),
            "device": key("id", ids=("DEVICE", "WEB_ANALYTICS")),
            "_orderId": key("order", ids=("LOOKUP_ONLY",)),
        },
    )
    # The communication record needs no identifier (AWS's reference gives it none).
    assert client.get_profile_object_type(DomainName="acme", ObjectTypeName="Everything")["Keys"]["device"]


def test_standard_object_names_are_not_object_types(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    with bad_request(
        "_asset is a standard object type: PutProfileObject can't be called with a standard object type name; map "
        "the fields of a custom object type to it (Target _asset.<Field>) instead"
    ):
        put_object(client, "_asset", {"AssetName": "Kettle"})
    with bad_request(
        "_profile is a standard object type: PutProfileObject can't be called with a standard object type name; map "
        "the fields of a custom object type to it (Target _profile.<Field>) instead"
    ):
        put_object(client, "_profile", {"FirstName": "Ana"})
    with not_found("Object type _asset not found in domain acme"):
        client.get_profile_object_type(DomainName="acme", ObjectTypeName="_asset")
    with not_found("Object type _asset not found in domain acme"):
        client.delete_profile_object_type(DomainName="acme", ObjectTypeName="_asset")
    assert records(client, "_asset", pid) == {}  # readable, empty
    with not_found("Object type _widget not found in domain acme"):
        records(client, "_widget", pid)


# ---------------------------------------------------------------------------- assets, orders, cases


def put_asset_type(client: Any, name: str = "Registration", key_name: str = "productSerialNumber") -> None:
    put_type(
        client,
        name,
        {
            "email": src("email", "_profile.EmailAddress", "EMAIL_ADDRESS"),
            "serial": src("serial", "_asset.SerialNumber"),
            "model": src("model", "_asset.AssetName"),
            "installer": src("installer", "_asset.Attributes.Installer"),
            "ref": src("ref"),
        },
        {
            "_email": key("email", ids=("PROFILE",)),
            "registrationId": key("ref", ids=("UNIQUE",)),
            key_name: key("serial", ids=("ASSET",)),
        },
    )


def test_asset_objects_are_filtered_and_searched_by_their_predefined_keys(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(EmailAddress="ana@example.com")
    put_asset_type(client)
    put_object(client, "Registration", {"email": "ana@example.com", "serial": "SN-1", "model": "Kettle", "ref": "R1"})
    put_object(client, "Registration", {"email": "ana@example.com", "serial": "SN-2", "model": "Toaster", "ref": "R2"})
    assets = records(client, "_asset", pid)
    assert sorted(asset["SerialNumber"] for asset in assets.values()) == ["SN-1", "SN-2"]
    kettle_id = next(asset_id for asset_id, asset in assets.items() if asset["AssetName"] == "Kettle")
    for key_name, value in (
        ("_assetName", "Kettle"),
        ("_serialNumber", "SN-1"),
        ("_assetId", kettle_id),
        ("productSerialNumber", "SN-1"),
    ):
        filtered = records(client, "_asset", pid, ObjectFilter={"KeyName": key_name, "Values": [value]})
        assert list(filtered) == [kettle_id], key_name
        assert search(client, key_name, value) == [pid]
    with bad_request("Object type _asset has no key registrationId"):
        records(client, "_asset", pid, ObjectFilter={"KeyName": "registrationId", "Values": ["R1"]})


def test_two_object_types_build_one_asset_through_the_same_key_name(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(EmailAddress="ana@example.com")
    put_asset_type(client, "Registration")
    put_type(
        client,
        "Warranty",
        {
            "email": src("email", None, "EMAIL_ADDRESS"),
            "serial": src("serial"),
            "until": src("until", "_asset.UsageEndDate"),
            "ticket": src("ticket"),
        },
        {
            "_email": key("email", ids=("PROFILE",)),
            "ticketId": key("ticket", ids=("UNIQUE",)),
            "productSerialNumber": key("serial", ids=("ASSET",)),
        },
    )
    put_object(client, "Registration", {"email": "ana@example.com", "serial": "SN-1", "model": "Kettle", "ref": "R1"})
    put_object(client, "Warranty", {"email": "ana@example.com", "serial": "SN-1", "until": "2028-01-01", "ticket": "W"})
    (asset,) = records(client, "_asset", pid).values()
    assert (asset["AssetName"], asset["UsageEndDate"]) == ("Kettle", "2028-01-01")


def test_a_key_of_another_name_never_reaches_the_asset(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(EmailAddress="ana@example.com")
    put_asset_type(client, "Registration", "productSerialNumber")
    put_asset_type(client, "Service", "ticketSerialNumber")
    put_object(client, "Registration", {"email": "ana@example.com", "serial": "SN-1", "model": "Kettle", "ref": "R1"})
    put_object(client, "Service", {"email": "ana@example.com", "serial": "SN-1", "model": "Kettle v2", "ref": "T1"})
    assert sorted(asset["AssetName"] for asset in records(client, "_asset", pid).values()) == ["Kettle", "Kettle v2"]


def test_order_items_and_values_that_do_not_fit_their_field(client: Any, domain: str) -> None:
    put_type(
        client,
        "ShopOrder",
        {
            "order": src("order", "_order.Attributes.ShopOrderId"),
            "customer": src("customer", "_profile.AccountNumber"),
            "title": src("item.title", "_order.OrderItems[].Title"),
            "price": src("item.price", "_order.OrderItems[].Price"),
            "code": src("code", "_order.StatusCode"),
            "total": src("total", "_order.TotalPrice"),
        },
        {
            "customer": key("customer", ids=("PROFILE",)),
            "shopOrderId": key("order", ids=("UNIQUE", "ORDER")),
        },
    )
    put_object(
        client,
        "ShopOrder",
        {"order": "O-1", "customer": "C-1", "item": {"title": "Kettle", "price": 30}, "code": "OPEN", "total": 30},
    )
    (pid,) = search(client, "_account", "C-1")
    ((order_id, order),) = records(client, "_order", pid).items()
    assert order == {
        "OrderId": order_id,
        "ProfileId": pid,
        "Attributes": {"ShopOrderId": "O-1"},
        "OrderItems": [{"Title": "Kettle", "Price": "30"}],
        "TotalPrice": "30",
    }
    assert search(client, "_orderId", order_id) == [pid]
    put_object(client, "ShopOrder", {"order": "O-1", "customer": "C-1", "code": "ACTIVATED"})
    (order,) = records(client, "_order", pid).values()
    assert order["StatusCode"] == "ACTIVATED"


def test_a_value_left_out_is_noted_on_the_mock(mock: CustomerProfilesMock, client: Any, domain: str) -> None:
    put_type(
        client,
        "Screen",
        {
            "id": src("id", "_profile.AccountNumber"),
            "width": src("width", "_device.ScreenWidth"),
            "height": src("height", "_device.ScreenHeight"),
            "code": src("code", "_order.StatusCode"),
            "order": src("order"),
        },
        {"id": key("id", ids=("UNIQUE", "PROFILE", "DEVICE")), "orderRef": key("order", ids=("ORDER",))},
    )
    put_object(client, "Screen", {"id": "D-1", "width": "1920", "height": "tall", "code": "DRAFT"})
    (pid,) = search(client, "_account", "D-1")
    (device,) = records(client, "_device", pid).values()
    assert device["ScreenWidth"] == 1920
    assert "ScreenHeight" not in device
    assert records(client, "_order", pid) == {}  # no ORDER key value: no order can be identified
    assert [(note.target, note.value, note.reason, note.stored_in) for note in mock.mapping_notes] == [
        ("_device.ScreenHeight", "tall", "'tall' is not a number: the field was left out", None),
        (
            "_order",
            "",
            "the object has no value for any key with the standard identifier ORDER, so no _order record can be "
            "identified: its fields were left out",
            None,
        ),
    ]
    assert {(note.profile_id, note.object_type) for note in mock.mapping_notes} == {(pid, "Screen")}
    put_object(client, "Screen", {"id": "D-1", "width": "1280"})  # no order key and nothing for the order
    assert len(mock.mapping_notes) == 2
    (device,) = records(client, "_device", pid).values()
    assert device["ScreenWidth"] == 1280


def test_a_case_from_a_ticket_and_an_identifier_key_without_targets(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(AccountNumber="A-1")
    put_type(
        client,
        "Ticket",
        {
            "account": src("account"),
            "ticket": src("ticket", "_case.Attributes.TicketId"),
            "title": src("title", "_case.Title"),
        },
        {"_account": key("account", ids=("PROFILE",)), "ticketId": key("ticket", ids=("UNIQUE", "CASE"))},
    )
    put_type(
        client,
        "TicketComment",
        {"account": src("account"), "ticket": src("ticket"), "comment": src("comment")},
        {
            "_account": key("account", ids=("PROFILE",)),
            "commentId": key("comment", ids=("UNIQUE",)),
            "ticketId": key("ticket", ids=("CASE",)),
        },
    )
    put_object(client, "TicketComment", {"account": "A-1", "ticket": "T-0", "comment": "c0"})
    assert records(client, "_case", pid) == {}  # an identifier with nothing to write creates no case
    put_object(client, "Ticket", {"account": "A-1", "ticket": "T-1", "title": "Broken kettle"})
    put_object(client, "TicketComment", {"account": "A-1", "ticket": "T-1", "comment": "c1"})
    ((case_id, case),) = records(client, "_case", pid).items()
    assert case == {"CaseId": case_id, "ProfileId": pid, "Attributes": {"TicketId": "T-1"}, "Title": "Broken kettle"}
    assert search(client, "_caseId", case_id) == [pid]


def test_a_communication_record_is_identified_by_the_unique_key(client: Any, domain: str) -> None:
    put_type(
        client,
        "EmailEvent",
        {
            "id": src("id"),
            "email": src("email", "_profile.EmailAddress"),
            "subject": src("subject", "_communicationRecord.Events.EmailOpen.Attributes.Subject"),
            "channel": src("channel", "_communicationRecord.Channel"),
        },
        {"id": key("id", ids=("UNIQUE",)), "_email": key("email", ids=("PROFILE",))},
    )
    put_object(client, "EmailEvent", {"id": "E-1", "email": "ana@example.com", "subject": "Hi", "channel": "EMAIL"})
    put_object(client, "EmailEvent", {"id": "E-1", "email": "ana@example.com", "subject": "Hello"})
    (pid,) = search(client, "_email", "ana@example.com")
    ((record_id, record),) = records(client, "_communicationRecord", pid).items()
    assert record == {
        "CommunicationRecordId": record_id,
        "ProfileId": pid,
        "Events": {"EmailOpen": {"Attributes": {"Subject": "Hello"}}},
        "Channel": "EMAIL",
    }
    assert search(client, "_communicationRecordId", record_id) == [pid]


# -------------------------------------------------------------------------- deletion and merging


def test_deleting_the_profile_object_keeps_the_standard_objects(client: Any, domain: str) -> None:
    put_airline_types(client)
    booking_key = put_object(client, "Booking", booking())
    (pid,) = search(client, "LoyaltyId", "L-100")
    client.delete_profile_object(
        DomainName="acme", ProfileId=pid, ObjectTypeName="Booking", ProfileObjectUniqueKey=booking_key
    )
    assert objects_of(client, "Booking", pid) == []
    assert len(records(client, "_airSegment", pid)) == 1
    assert search(client, "_airBookingRef", "PNR1") == [pid]
    assert search(client, "SegmentId", "S-1") == [pid]  # the segment holds the value of its identifier key
    assert search(client, "PNR", "PNR1") == []  # a plain key of the deleted object is gone


def test_deleting_a_standard_object_removes_it_and_its_keys(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    (pid,) = search(client, "LoyaltyId", "L-100")
    (segment_id,) = records(client, "_airSegment", pid)
    response = client.delete_profile_object(
        DomainName="acme", ProfileId=pid, ObjectTypeName="_airSegment", ProfileObjectUniqueKey=segment_id
    )
    assert response["Message"] == f"Profile object {segment_id} deleted"
    assert records(client, "_airSegment", pid) == {}
    assert search(client, "_airSegmentId", segment_id) == []
    assert search(client, "_airBookingRef", "PNR1") == []
    assert len(records(client, "_airBooking", pid)) == 1
    with not_found(f"Profile object {segment_id} of type _airSegment not found in profile {pid}"):
        client.delete_profile_object(
            DomainName="acme", ProfileId=pid, ObjectTypeName="_airSegment", ProfileObjectUniqueKey=segment_id
        )
    put_object(client, "Booking", booking())  # the same row again: a new segment record
    ((new_id, _),) = records(client, "_airSegment", pid).items()
    assert new_id != segment_id


def test_a_switch_refuses_to_delete_standard_objects(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles(delete_standard_objects=False) as cp:
        client = client_for(cp)
        client.create_domain(DomainName="acme", DefaultExpirationDays=365)
        put_airline_types(client)
        put_object(client, "Booking", booking())
        (pid,) = search(client, "LoyaltyId", "L-100")
        (segment_id,) = records(client, "_airSegment", pid)
        with bad_request(
            "_airSegment is a standard object type: its objects can't be deleted with DeleteProfileObject"
        ):
            client.delete_profile_object(
                DomainName="acme", ProfileId=pid, ObjectTypeName="_airSegment", ProfileObjectUniqueKey=segment_id
            )
        assert list(records(client, "_airSegment", pid)) == [segment_id]


def test_deleting_the_profile_deletes_its_standard_objects(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    (pid,) = search(client, "LoyaltyId", "L-100")
    client.delete_profile(DomainName="acme", ProfileId=pid)
    assert search(client, "_airBookingRef", "PNR1") == []
    put_object(client, "Booking", booking())  # a new profile, new records
    (new_pid,) = search(client, "LoyaltyId", "L-100")
    assert len(records(client, "_airSegment", new_pid)) == 1


def test_merging_carries_standard_objects_to_the_main_profile(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    put_object(client, "Booking", booking(LoyaltyId="L-200", BookingId="B-2", PNR="PNR2", SegmentId="S-9"))
    (main,) = search(client, "LoyaltyId", "L-100")
    (other,) = search(client, "LoyaltyId", "L-200")
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    segments = records(client, "_airSegment", main)
    assert sorted(segment["BookingRef"] for segment in segments.values()) == ["PNR1", "PNR2"]
    assert {segment["ProfileId"] for segment in segments.values()} == {main}
    assert search(client, "_airBookingRef", "PNR2") == [main]
    for segment_id in segments:
        assert search(client, "_airSegmentId", segment_id) == [main]
    # The moved segment is still reached by its identifier key: the next row updates it.
    put_object(client, "Booking", booking(LoyaltyId="L-100", BookingId="B-2", PNR="PNR2", SegmentId="S-9", To="SFO"))
    by_ref = {segment["BookingRef"]: segment for segment in records(client, "_airSegment", main).values()}
    assert len(by_ref) == 2
    assert by_ref["PNR2"]["Dest"] == "SFO"


def test_a_key_that_matches_two_records_sends_the_object_to_the_dead_letter_queue(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    put_object(client, "Booking", booking(LoyaltyId="L-200", BookingId="B-2"))  # segment S-1 on another profile
    (main,) = search(client, "LoyaltyId", "L-100")
    (other,) = search(client, "LoyaltyId", "L-200")
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    text = json.dumps(booking(BookingId="B-3"))
    # Matching happens after the call is accepted: the call succeeds, the object is rejected.
    unique_key = client.put_profile_object(DomainName="acme", ObjectTypeName="Booking", Object=text)[
        "ProfileObjectUniqueKey"
    ]
    (letter,) = mock.dead_letters
    assert (letter.object_type, letter.object, letter.profile_object_unique_key) == ("Booking", text, unique_key)
    assert letter.reason == (
        f"The object's key SegmentId matches 2 _airSegment standard objects of profile {main}: "
        "the match is ambiguous and is rejected"
    )
    assert len(objects_of(client, "Booking", main)) == 2  # nothing of the rejected object was stored
    assert search(client, "ObjectId", "B-3") == []


# ----------------------------------------------------------------------------------------- seeding


def test_seed_documents_fill_standard_objects(mock: CustomerProfilesMock, client: Any) -> None:
    mock.load(
        {
            "domains": [
                {
                    "DomainName": "acme",
                    "objectTypes": [
                        {
                            "ObjectTypeName": "Loyalty",
                            "Description": "Loyalty members",
                            "AllowProfileCreation": True,
                            "Fields": {
                                "id": {"Source": "_source.id", "Target": "_profile.AccountNumber"},
                                "member": {"Source": "_source.id", "Target": "_loyalty.MembershipId"},
                                "tier": {"Source": "_source.tier", "Target": "_loyalty.Tier.CurrentTier"},
                            },
                            "Keys": {
                                "id": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE", "PROFILE", "LOYALTY"]}]
                            },
                        }
                    ],
                    "objects": [{"ObjectTypeName": "Loyalty", "Object": {"id": "L-1", "tier": "Gold"}}],
                }
            ]
        }
    )
    (pid,) = search(client, "_loyaltyMembershipId", "L-1")
    (loyalty,) = records(client, "_loyalty", pid).values()
    assert loyalty["Tier"] == {"CurrentTier": "Gold"}


# ------------------------------------------------------------------------------------- change feed


@pytest.fixture
def changes() -> Iterator[list[Change]]:
    """The changes the handlers report while the test runs (what history, streams and calculated
    attributes subscribe to)."""
    seen: list[Change] = []

    def record(ctx: Any, change: Change) -> None:
        seen.append(change)

    _changes.subscribe(record)
    try:
        yield seen
    finally:
        _changes.SUBSCRIBERS.remove(record)


def test_each_standard_object_written_is_reported_as_ingested(client: Any, domain: str, changes: list[Change]) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    put_object(client, "Booking", booking())  # nothing new for the standard objects: only the object is reported
    put_object(client, "Booking", booking(SeatNbr="1A"))
    (pid,) = search(client, "LoyaltyId", "L-100")
    (segment_id,) = records(client, "_airSegment", pid)
    reported = [(change.action, change.object_type) for change in changes]
    assert reported == [
        ("CREATED", "_profile"),
        ("INGESTED", "Booking"),
        ("INGESTED", "_airBooking"),
        ("INGESTED", "_airSegment"),
        ("INGESTED", "Booking"),
        ("INGESTED", "Booking"),
        ("INGESTED", "_airSegment"),
    ]
    last = changes[-1]
    assert (last.profile_id, last.unique_key) == (pid, segment_id)
    assert last.content is not None
    assert last.content["Seat"] == {"SeatNumber": "1A", "Price": "35"}


def test_profile_history_records_each_standard_object_written(client: Any, domain: str) -> None:
    put_airline_types(client)
    put_object(client, "Booking", booking())
    put_object(client, "Booking", booking(SeatNbr="1A"))
    (pid,) = search(client, "LoyaltyId", "L-100")
    (segment_id,) = records(client, "_airSegment", pid)
    found = client.list_profile_history_records(DomainName="acme", ProfileId=pid, ObjectTypeName="_airSegment")
    history = found["ProfileHistoryRecords"]
    assert [(record["ActionType"], record["ProfileObjectUniqueKey"]) for record in history] == [
        ("INGESTED", segment_id),
        ("INGESTED", segment_id),
    ]
    latest = client.get_profile_history_record(DomainName="acme", ProfileId=pid, Id=history[0]["Id"])
    assert json.loads(latest["Content"])["Seat"]["SeatNumber"] == "1A"


# ------------------------------------------------------------------------------------------- batches


def test_batch_put_fills_standard_objects_and_never_takes_a_standard_name(client: Any, domain: str) -> None:
    put_airline_types(client)
    response = client.batch_put_profile_object(
        DomainName="acme",
        ObjectTypeName="Booking",
        Items=[
            {"Id": "1", "Object": json.dumps(booking())},
            {"Id": "2", "Object": json.dumps(booking(SegmentId="S-2", To="BOS"))},
        ],
    )
    assert [item["Id"] for item in response["Successful"]] == ["1", "2"]
    (pid,) = search(client, "LoyaltyId", "L-100")
    assert len(records(client, "_airBooking", pid)) == 1
    assert len(records(client, "_airSegment", pid)) == 2
    with bad_request(
        "_airSegment is a standard object type: BatchPutProfileObject can't be called with a standard object type "
        "name; map the fields of a custom object type to it (Target _airSegment.<Field>) instead"
    ):
        client.batch_put_profile_object(
            DomainName="acme", ObjectTypeName="_airSegment", Items=[{"Id": "1", "Object": "{}"}]
        )
