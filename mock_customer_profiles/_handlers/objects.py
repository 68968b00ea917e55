"""Objects: PutProfileObject, BatchPutProfileObject (both through ``_ingest.ingest``), ListProfileObjects,
DeleteProfileObject."""

from __future__ import annotations

import json

from mock_customer_profiles import _changes, _standard_records
from mock_customer_profiles._backend import StoredObject, normalise
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.object_types import object_type_of
from mock_customer_profiles._ingest import ingest
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate

DOCS_PAGE = "families/ingestion.md"  # where the docs describe these operations (see _coverage.py)


@handler("PutProfileObject")
def put_profile_object(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    _standard_records.refuse_put(params["ObjectTypeName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    return {"ProfileObjectUniqueKey": ingest(ctx, domain, object_type, params["Object"])}


@handler("BatchPutProfileObject")
def batch_put_profile_object(ctx: Context, params: Params) -> Output:
    """Each item, in request order, through the same path as PutProfileObject: an item that path rejects
    lands in ``Failed`` (``Code`` 400, the message PutProfileObject would give) and the others go on."""
    domain = ctx.domain(params["DomainName"])
    _standard_records.refuse_put(params["ObjectTypeName"], "BatchPutProfileObject")
    object_type = object_type_of(domain, params["ObjectTypeName"])
    items = params["Items"]  # 1 to 10 (the model's limit, checked with the request)
    ids = [item["Id"] for item in items]
    repeated = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
    if repeated:
        raise BadRequest(f"Items names Id {repeated[0]} more than once; each item needs its own Id")
    successful, failed = [], []
    for item in items:
        try:
            unique_key = ingest(ctx, domain, object_type, item["Object"])
        except BadRequest as error:
            failed.append({"Id": item["Id"], "Code": 400, "Message": error.message})
        else:
            successful.append({"Id": item["Id"], "ProfileObjectUniqueKey": unique_key})
    return {"Successful": successful, "Failed": failed}


# --------------------------------------------------------------------------------- list and delete


def _filter_matches(obj: StoredObject, key: str, wanted: list[str]) -> bool:
    return any(
        normalise(kind, value) == normalise(kind, raw) for raw, kind in obj.key_values.get(key, ()) for value in wanted
    )


@handler("ListProfileObjects", keeps_params=False)
def list_profile_objects(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    profile = ctx.profile(domain, params["ProfileId"])
    object_filter = params.get("ObjectFilter")
    if object_filter is not None and all(spec.name != object_filter["KeyName"] for spec in object_type.specs):
        raise BadRequest(f"Object type {object_type.name} has no key {object_filter['KeyName']}")
    scope = ["ListProfileObjects", domain.name, object_type.name, profile.profile_id, object_filter]
    held = profile.objects.get(object_type.name, {})
    page, more = paginate(
        ctx.backend.token_secret,
        scope,
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [
            obj
            for obj in reversed(held.values())  # newest first
            if (after is None or obj.seq < after)
            and (object_filter is None or _filter_matches(obj, object_filter["KeyName"], object_filter["Values"]))
        ],
        lambda obj: obj.seq,
    )
    items = [
        {"ObjectTypeName": obj.type_name, "ProfileObjectUniqueKey": obj.unique_key, "Object": obj.body} for obj in page
    ]
    return {"Items": items, **more}


@handler("DeleteProfileObject")
def delete_profile_object(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    _standard_records.check_delete(ctx, object_type.name)
    profile = ctx.profile(domain, params["ProfileId"])
    unique_key = params["ProfileObjectUniqueKey"]
    obj = profile.objects.get(object_type.name, {}).get(unique_key)
    if obj is None:
        raise NotFound(
            f"Profile object {unique_key} of type {object_type.name} not found in profile {profile.profile_id}"
        )
    domain.detach_object(profile, obj)
    domain.reindex(profile)
    ctx.emit(
        Change(
            _changes.DELETED_BY_CUSTOMER,
            domain,
            profile.profile_id,
            object_type.name,
            json.loads(obj.body),
            unique_key=unique_key,
            detail={"Object": obj.body},
        )
    )
    return {"Message": f"Profile object {unique_key} deleted"}
