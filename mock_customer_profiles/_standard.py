"""Standard objects: the fixed schemas besides the standard profile, and the rules mappings follow.

Customer Profiles defines fifteen standard objects besides ``_profile`` (``_asset``, ``_case``,
``_order``, the travel, loyalty, web-analytics, device and communication-record objects). They are
never ingested directly: a custom object type's fields target them (``"Target":
"_airSegment.Seat.Price"``) and a key of that type carries the standard object's identifier
(``AIR_SEGMENT``). Sources: AWS's pages "Reference for standard objects in Customer Profiles",
"Field definitions in Customer Profiles object type mappings", "Examples of object type mappings"
("Before you submit", "The pairing rule") and one page per object ("Customer Profiles standard air
segment object fields", ...), as gathered in the project's research notes.

This module is pure data and rules (no state): the catalogue (:data:`STANDARD_TYPES`), target parsing
(:func:`parse_target`), the mapping rules of ``PutProfileObjectType`` (:func:`check_mapping`) and the
field-by-field writing of a record (:func:`write`). Ingestion, storage and reading live in
``_handlers/standard_objects.py``.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_customer_profiles._errors import BadRequest

if TYPE_CHECKING:
    from mock_customer_profiles._backend import KeySpec

STRING, NUMBER = "String", "Number"


@dataclass(frozen=True)
class Enum:
    """A String field with a fixed set of values."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class Struct:
    """A nested structure. ``open``: its sub-fields are not published, so any sub-path of strings is taken."""

    fields: Mapping[str, Spec] = field(default_factory=dict)
    open: bool = False


@dataclass(frozen=True)
class ListOf:
    """A list of structures (``OrderItems[].Title``)."""

    item: Struct


@dataclass(frozen=True)
class MapOf:
    """A map with names of the mapping's choice (``Attributes.<Name>``, ``Events.<EventType>...``)."""

    value: Spec


Spec = str | Enum | Struct | ListOf | MapOf
ATTRIBUTES = MapOf(STRING)
OPEN = Struct(open=True)


def struct(names: str, **special: Spec) -> Struct:
    """A structure of String fields (``names``, space-separated) plus fields of other types."""
    fields: dict[str, Spec] = dict.fromkeys(names.split(), STRING)
    fields.update(special)
    return Struct(fields)


@dataclass(frozen=True)
class StandardType:
    name: str
    identifier: str  # the StandardIdentifier a key carries to identify a record of this type
    id_field: str  # the system-managed ID, which no Target may set
    index: Mapping[str, str]  # predefined search key -> the top-level field whose value it indexes
    schema: Struct
    # The pairing rule: a mapping that targets this type needs a key carrying its identifier. The
    # communication record's identifier is "—" on AWS's reference page, so it is not required there.
    needs_identifier: bool = True


# ----------------------------------------------------------------------------------------- catalogue

ADDRESS = struct("Address1 Address2 Address3 Address4 City Country County PostalCode Province State")
PAYMENT = "Type CreditCardToken CreditCardType CreditCardExpiration Cvv NameOnCreditCard RoutingNumber AccountNumber"
TRAVEL_LOYALTY = struct("ProgramName MembershipId Tier")
CHANNEL = struct("CreationChannelId LastUpdatedChannelId Method")
# The sub-structures of the air and hotel preferences are not published (only the names used by AWS's
# travel-and-hospitality sample are known), so they take any sub-path.
_PREFERENCE_STRUCTS = (
    "Language Seat Journey Accessibility Insurance Interest Loyalty Dining MediaEntertainment PaymentForm PetInfo "
    "SpecialRequest TicketDistribution Marketing Medical ContactDetail ContactDetailAddress ContactDetailCommunication"
)
_WEB_ITEM = struct("Id Title Category Value Currency ImpressionType ImpressionId", Quantity=NUMBER)


def _type(
    name: str,
    identifier: str,
    id_field: str,
    index: Mapping[str, str],
    names: str,
    *,
    needs_identifier: bool = True,
    unpublished: str = "",
    **special: Spec,
) -> StandardType:
    """A standard object of String fields ``names``, ``Attributes``, the structures ``unpublished`` (whose
    sub-fields are not published: any sub-path) and the fields of other types ``special``."""
    schema = struct(names, Attributes=ATTRIBUTES, **dict.fromkeys(unpublished.split(), OPEN), **special)
    return StandardType(name, identifier, id_field, index, schema, needs_identifier)


_TYPES = (
    _type(
        "_asset",
        "ASSET",
        "AssetId",
        {"_assetId": "AssetId", "_assetName": "AssetName", "_serialNumber": "SerialNumber"},
        "AssetId AssetName SerialNumber ModelNumber ModelName ProductSKU PurchaseDate UsageEndDate Status Price "
        "Quantity Description AdditionalInformation DataSource",
    ),
    _type(
        "_case",
        "CASE",
        "CaseId",
        {"_caseId": "CaseId"},
        "CaseId Title Summary Status Reason CreatedBy CreatedDate UpdatedDate ClosedDate AdditionalInformation "
        "DataSource",
    ),
    _type(
        "_order",
        "ORDER",
        "OrderId",
        {"_orderId": "OrderId"},
        "OrderId CustomerEmail CustomerPhone CreatedDate UpdatedDate ProcessedDate ClosedDate CancelledDate "
        "CancelReason Name AdditionalInformation Gateway Status StatusUrl CreditCardNumber CreditCardCompany "
        "FulfillmentStatus TotalPrice TotalTax TotalDiscounts TotalItemsPrice TotalShippingPrice TotalTipReceived "
        "Currency TotalWeight",
        StatusCode=Enum(("DRAFT", "ACTIVATED")),
        BillingAddress=struct("Name Address1 Address2 Address3 Address4 City County State Province Country PostalCode"),
        ShippingAddress=struct(
            "Name Address1 Address2 Address3 Address4 City County State Province Country PostalCode"
        ),
        OrderItems=ListOf(struct("Title Price Quantity")),
    ),
    _type(
        "_communicationRecord",
        "COMMUNICATION_RECORD",
        "CommunicationRecordId",
        {"_communicationRecordId": "CommunicationRecordId"},
        "CommunicationRecordId Channel ConnectInstanceArn CreatedDate UpdatedDate LastEventType",
        needs_identifier=False,
        Campaign=struct("CampaignId CampaignName CampaignRunId CampaignActivityId SegmentArn"),
        Endpoint=struct("EndpointAddress EndpointType"),
        Events=MapOf(struct("UpdatedDate EventId EventType", Attributes=ATTRIBUTES)),
    ),
    _type(
        "_airPreference",
        "AIR_PREFERENCE",
        "PreferenceId",
        {"_airPreferenceId": "PreferenceId", "_airReferenceId": "ReferenceId"},  # INFERRED from the hotel one
        "PreferenceId Name CreatedDate CreatedBy UpdatedDate UpdatedBy StartDate EndDate Status ReferenceId "
        "ReferenceType TravelType Transfer ArrivalAirport ArrivalTerminal DepartureAirport DepartureTerminal "
        "HomeAirport CheckInChannel CheckInChannelDevice",
        unpublished=_PREFERENCE_STRUCTS,
    ),
    _type(
        "_hotelPreference",
        "HOTEL_PREFERENCE",
        "PreferenceId",
        {"_hotelPreferenceId": "PreferenceId", "_hotelReferenceId": "ReferenceId"},
        "PreferenceId Name CreatedDate CreatedBy UpdatedDate UpdatedBy StartDate EndDate Status Smoking CleaningTime "
        "CheckInType CheckOutType ReferenceId ReferenceType",
        unpublished=_PREFERENCE_STRUCTS + " Location Bedding Tour CarRental",
    ),
    _type(
        "_airBooking",
        "AIR_BOOKING",
        "BookingId",
        {"_airBookingId": "BookingId", "_airPreferenceRef": "PreferenceRef"},
        "BookingId ContextId PreferenceRef BookingName PassengerIndex TravellerId GroupBooking NumberOfPassengers "
        "NumberOfAdults NumberOfChildren ProcessedDate CreatedDate CreatedBy UpdatedDate UpdatedBy Status "
        "PriorityStatus ReservationStatus MarketingCode MarketingName TravelAgent TravelAgency TravelCorpNumber "
        "Booker AdditionalInformation Email PhoneNumber CancelledDate Diplomat Child Disabled Oxygen PetOnly "
        "CancellationCharge Refundable",
        unpublished="Inventory",  # the published table may be cut short after "Seats"
        Loyalty=TRAVEL_LOYALTY,
        Channel=CHANNEL,
        Payment=struct(PAYMENT + " VoucherId DiscountCode DiscountPercent"),
        BillingAddress=ADDRESS,
        Price=struct("TotalPrice BasePrice TravellerPrice DiscountAmount Currency"),
        PaymentStatus=struct("PaidAt AwaitingPayment RequiredBy"),
    ),
    _type(
        "_airSegment",
        "AIR_SEGMENT",
        "SegmentId",
        {"_airSegmentId": "SegmentId", "_airBookingRef": "BookingRef"},
        "SegmentId BookingRef SegmentName PassengerIndex SegmentIndex SeatSelection NumberOfPassengers NumberOfLegs "
        "Tier Origin OriginCountryCode Dest DestCountryCode ProcessedDate CreatedDate CreatedBy UpdatedDate UpdatedBy "
        "Status FlightNumber Carrier CarrierType IsInternational IsEticket IsArmed LapInfant Pet PrisonerOrGuard "
        "Child Married CheckinEligible InEligibleReason UnEscortedMinor PremiumAccess MissingData "
        "CurrentClassOfService BookedClassOfService CodeShare ReverseCodeShare MarketCarrierCode OpCarrierCode "
        "InConnection OutConnection MilesToEarn Duration DurationTimeUnit Distance DistanceUnit SellType GoShow "
        "Incapacitated Upgraded Downgraded BaggageInsurance MaxAllowedBaggage BaggageQuantity BaggageFee",
        Arrival=struct("Location Code Terminal Country Date Time EstimatedTime ScheduledTime"),
        Departure=struct("Location Code Terminal Country Date Time EstimatedTime ScheduledTime"),
        Seat=struct(
            "SeatNumber SeatZone SeatType Price NeighborFree UpgradeAuction Available ExtraSeat AdditionalInformation"
        ),
        Priority=struct("TransactionId PriorityServiceType LoungeAccess Price AdditionalInformation"),
        Doc=struct("DocType DocTypeNeeded Nationality DateOfBirth AppId AgentId VerifiedDateTime"),
        Baggage=ListOf(
            struct(
                "Id TagNumber DepartureDate BaggageType Weight Length Width Height PriorityBagDrop PriorityBagReturn "
                "HandsFreeBaggage Fee IsGateBag IsHeavy"
            )
        ),
        Pets=ListOf(struct("Species Breed Weight WeightUnit TransportType")),
        OtherServices=ListOf(struct("ServiceType Description Price")),
    ),
    _type(
        "_hotelReservation",
        "HOTEL_RESERVATION",
        "ReservationId",
        {"_hotelReservationId": "ReservationId", "_hotelPreferenceRef": "PreferenceRef"},
        "ReservationId ConfirmationNumber PreferenceRef Status TripType BrandCode HotelCode PhoneNumber EmailAddress "
        "GroupId ContextId ProcessedDate CreatedDate CreatedBy UpdatedDate UpdatedBy AgentId Reserver SameDayRate "
        "Refundable CancellationCharge TransactionId AmountPerNight AdditionalNote NumberOfNights NumberOfGuests "
        "TotalAmountBeforeTax TotalAmountAfterTax",
        Checkout=struct("Early Late Self Date"),
        Loyalty=TRAVEL_LOYALTY,
        Room=struct("TypeCode TypeName TypeDesc Number Capacity AccessibilityType SmokingAllowed"),
        CheckIn=struct("Date DigitalKey Early Late RoomKeys UserSelectedRoom"),
        Payment=struct(PAYMENT + " VoucherId DiscountCode DiscountPercent"),
        Currency=struct("Code Name Symbol"),
        Cancellation=struct("Reason Comment"),
        Channel=CHANNEL,
        RatePlan=struct("Code Name Description"),
        Guests=struct("Adults Children"),
        Services=ListOf(struct("ServiceType Description Cost")),
    ),
    _type(
        "_hotelStayRevenue",
        "HOTEL_STAY_REVENUE",
        "StayRevenueId",
        {"_hotelStayRevenueId": "StayRevenueId"},
        "StayRevenueId CurrencyCode CurrencyName CurrencySymbol ReservationId GuestId LastUpdatedOn CreatedOn "
        "LastUpdatedBy CreatedBy StartDate HotelCode Type Description Amount ProcessedDate Status",
    ),
    _type(
        "_loyalty",
        "LOYALTY",
        "LoyaltyId",
        {"_loyaltyId": "LoyaltyId", "_loyaltyMembershipId": "MembershipId"},
        "LoyaltyId ProgramId MembershipId ProgramName Group Channel CreatedDate EnrollmentDate CreatedBy UpdatedDate "
        "LastUpdatedBy UpgradeDate RenewalDate AdditionalInformation EmailAddress EmailAddressVerified PhoneNumber "
        "PhoneNumberVerified Status",
        Tier=struct("CurrentTier NextTier PointsToNextTier"),
        Points=struct("Unit Lifetime Balance Redeemed"),
        PointExpirations=ListOf(struct("Points Date")),
        Payment=struct(PAYMENT + " VoucherId"),
        PaymentInformation=struct(
            "Schedule LastPaymentDate NextPaymentDate NextBillAmount CurrencyCode CurrencyName CurrencySymbol"
        ),
        BillingAddress=ADDRESS,
    ),
    _type(
        "_loyaltyTransaction",
        "LOYALTY_TRANSACTION",
        "TransactionId",
        {"_loyaltyTransactionId": "TransactionId"},
        "TransactionId TransactionName TransactionType ProgramRef MembershipRef PromotionRef CreatedDate "
        "TransactionDate Industry Location CreatedBy UpdatedDate UpdatedBy Status AccrualType Category Channel "
        "ProductId Amount OriginValue OriginValueCurrency OriginValueOffset PointsEarned PointOffset "
        "QualifyingPointsEarned TierBefore TierAfter Brand Description AdditionalInformation PaymentMethod",
        PointTransfer=struct(
            # "DestinationProgrmId" is spelled so on AWS's page.
            "TransferId SourceProgramId DestinationProgrmId SourceMembershipId DestinationMembershipId "
            "PointsTransferred PointsReceived"
        ),
    ),
    _type(
        "_loyaltyPromotion",
        "LOYALTY_PROMOTION",
        "PromotionId",
        {"_loyaltyPromotionId": "PromotionId"},
        "PromotionId PromotionName PromotionType ProgramType ProgramRef PartnerId PartnerNumber Tier StartDate "
        "EnrolledDate EndDate Amount Period Status CreatedDate CreatedBy UpdatedDate UpdatedBy CampaignRef "
        "AdditionalInformation",
        TriggerLimit=struct("Times Interval"),
        Usage=struct("UsageProgressPercent UsageCompleted UsageTarget"),
        Rules=struct("Name Description"),
        Incentive=struct("Type Value Unit"),
    ),
    _type(
        "_device",
        "DEVICE",
        "DeviceId",
        {"_deviceId": "DeviceId"},  # INFERRED: the page names no index key
        "DeviceId Type Model Manufacturer OperatingSystem OperatingSystemVersion Browser BrowserVersion Locale",
        ScreenWidth=NUMBER,
        ScreenHeight=NUMBER,
    ),
    _type(
        "_webAnalytics",
        "WEB_ANALYTICS",
        "EventId",
        {"_webAnalyticsEventId": "EventId"},  # INFERRED: the page names no index key
        "EventId EventType OrderId DeviceId",
        EventTimestamp=NUMBER,
        EventDuration=NUMBER,
        EventValue=NUMBER,
        Session=struct("Id", StartTimestamp=NUMBER),
        Page=struct("Title Location Referrer Category"),
        Element=struct("Id Type Classes Text AltText Source"),
        Form=struct("Id Name Length", ValidationErrors=NUMBER, FieldsCompleted=NUMBER, FieldsRequired=NUMBER),
        Search=struct(
            "Query FilterExpression SortCriteria SortOrder",
            TotalMatchingResults=NUMBER,
            ResultsPerPage=NUMBER,
            CurrentResultsPage=NUMBER,
        ),
        Item=_WEB_ITEM,
        ItemsList=ListOf(_WEB_ITEM),
        AdditionalItemImpressions=ListOf(_WEB_ITEM),
        Cart=struct("Id Currency", ItemsCount=NUMBER, Value=NUMBER),
        Scroll=struct("DepthPercentage", PositionX=NUMBER, PositionY=NUMBER),
        Error=struct("Description Type"),
        User=struct("Id AnonymousId IsReturning IsLoggedIn"),
        Location=struct("Country State Province County City Latitude Longitude"),
        Application=struct("Name Version Environment"),
        unpublished="Browser",  # AWS's WebAnalytics-Clickstream template targets Browser.Id, not in the table
    ),
)

STANDARD_TYPES: Mapping[str, StandardType] = {standard.name: standard for standard in _TYPES}
BY_IDENTIFIER: Mapping[str, StandardType] = {standard.identifier: standard for standard in _TYPES}
PROFILE_TYPE = "_profile"
# Every target prefix a mapping may use ("Supported target object types").
TARGET_TYPES = (PROFILE_TYPE, *STANDARD_TYPES)
# The predefined search keys of the standard objects (``_assetId``, ``_airSegmentId``, ``_loyaltyId``, ...).
STANDARD_KEYS = frozenset(key for standard in _TYPES for key in standard.index)
# Keys that index a system-managed ID: a mapping may use them only as LOOKUP_ONLY keys ("they must be
# LOOKUP_ONLY, which means they aren't stored"; AWS names _profileId, _orderId, _caseId and _assetId).
ID_KEYS = frozenset(
    {"_profileId"} | {key for standard in _TYPES for key, name in standard.index.items() if name == standard.id_field}
)


def is_standard(name: str) -> bool:
    """A standard object type other than ``_profile``."""
    return name in STANDARD_TYPES


# ----------------------------------------------------------------------------------------- targets

Path = tuple[str | int, ...]  # field names, and the position of an item in a list (0 unless spread)


@dataclass(frozen=True)
class Target:
    standard: StandardType
    path: Path
    leaf: Spec  # STRING, NUMBER or an Enum


@functools.lru_cache(maxsize=4096)
def parse_target(target: str) -> Target:
    """The standard object, path and field type a ``Target`` names (not ``_profile.*``); ``BadRequest``
    with the reason when it names no standard object, no field of one, or a system-managed ID."""
    head, _, rest = target.partition(".")
    standard = STANDARD_TYPES.get(head)
    if standard is None:
        raise BadRequest(
            f"Target {target} names no standard object: a Target starts with one of {', '.join(TARGET_TYPES)}"
        )
    if not rest:
        raise BadRequest(f"Target {target} names the standard object {head}, not one of its fields")
    segments = rest.split(".")
    if segments[0] == standard.id_field:
        raise BadRequest(
            f"Target {target} is the system-managed ID of {head}, which a Target can't set: "
            f"put your source's own ID in {head}.Attributes.<Name>"
        )
    path: list[str | int] = []
    spec: Spec = standard.schema
    where = head
    index = 0
    while index < len(segments):
        segment = segments[index]
        if isinstance(spec, MapOf):
            if spec.value == STRING:  # the rest is the name (Attributes.a.b is the attribute "a.b")
                path.append(".".join(segments[index:]))
                return Target(standard, tuple(path), STRING)
            path.append(segment)
            spec, where = spec.value, f"{where}.{segment}"
            index += 1
            continue
        if not isinstance(spec, Struct):
            raise BadRequest(f"Target {target}: {where} is a {_kind(spec)} field, it has no field {segment}")
        name = segment[:-2] if segment.endswith("[]") else segment
        child = spec.fields.get(name)
        if child is None and spec.open and name:
            child = OPEN if index + 1 < len(segments) else STRING
        if child is None:
            raise BadRequest(f"Target {target}: {name} is not a field of {where}")
        if segment.endswith("[]") and not isinstance(child, ListOf):
            raise BadRequest(f"Target {target}: {where}.{name} is not a list")
        path.append(name)
        where = f"{where}.{name}"
        if isinstance(child, ListOf):  # X[].y, and X.y as AWS's sample writes it, fill the list's first item
            path.append(0)
            child = child.item
        spec = child
        index += 1
    if isinstance(spec, (Struct, MapOf)):
        raise BadRequest(f"Target {target} names the structure {where}, not one of its fields")
    return Target(standard, tuple(path), spec)


def _kind(spec: Spec) -> str:
    return "enumerated" if isinstance(spec, Enum) else str(spec)


def targeted_types(fields: Mapping[str, Mapping[str, Any]]) -> dict[str, StandardType]:
    """The standard objects (not ``_profile``) that the fields of a mapping target, in field order."""
    found: dict[str, StandardType] = {}
    for definition in fields.values():
        target = definition.get("Target")
        if target is not None and not target.startswith(PROFILE_TYPE + "."):
            standard = parse_target(target).standard
            found.setdefault(standard.name, standard)
    return found


def check_mapping(type_name: str, fields: Mapping[str, Mapping[str, Any]], specs: Iterable[KeySpec]) -> None:
    """The mapping rules about standard objects (``BadRequest`` on the first one broken):

    - every Target outside ``_profile`` names a field of a standard object (not its system ID);
    - the pairing rule: a mapping that targets a standard object has a key carrying its identifier
      ("Every standard object type you target needs its identifier on at least one key");
    - the keys that index a system-managed ID (``_orderId``, ``_airSegmentId``, ...) are LOOKUP_ONLY.
    """
    for field_name, definition in fields.items():
        target = definition.get("Target")
        if target is not None and not target.startswith(PROFILE_TYPE + "."):
            try:
                parse_target(target)
            except BadRequest as error:
                raise BadRequest(f"Field {field_name} of object type {type_name}: {error.message}") from None
    specs = tuple(specs)
    carried = {identifier for spec in specs for identifier in spec.identifiers}
    for standard in targeted_types(fields).values():
        if standard.needs_identifier and standard.identifier not in carried:
            raise BadRequest(
                f"Object type {type_name} has fields that target {standard.name}, but no key with the standard "
                f"identifier {standard.identifier}: every standard object a mapping targets needs its identifier "
                "on at least one key"
            )
    for spec in specs:
        if spec.name in ID_KEYS and "LOOKUP_ONLY" not in spec.identifiers:
            raise BadRequest(
                f"Key {spec.name} of object type {type_name} indexes a system-managed ID: it must be LOOKUP_ONLY"
            )


# --------------------------------------------------------------------------------------- values


def coerce(spec: Spec, text: str) -> tuple[Any, str | None]:
    """The value a standard field stores for the mapped ``text``, or ``(None, why)`` when it does not fit."""
    if isinstance(spec, Enum):
        if text in spec.values:
            return text, None
        return None, f"{text!r} is not one of {', '.join(spec.values)}"
    if spec == NUMBER:
        try:
            number = json.loads(text)
        except ValueError:
            number = None
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            return number, None
        return None, f"{text!r} is not a number"
    return text, None


def write(document: dict[str, Any], path: Path, value: Any) -> bool:
    """Set ``path`` in ``document`` to ``value`` (creating what is missing); whether anything changed."""
    node: Any = document
    for step, following in itertools.pairwise(path):
        if isinstance(step, int):
            while len(node) <= step:
                node.append({})
            node = node[step]
            continue
        child = node.get(step)
        if child is None:
            child = node[step] = [] if isinstance(following, int) else {}
        node = child
    last = path[-1]
    assert isinstance(last, str)  # a path never ends on a list item
    if node.get(last) == value:
        return False
    node[last] = value
    return True
