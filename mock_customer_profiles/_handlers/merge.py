"""MergeProfiles: keys, objects and fields of the merged profiles move to the main profile."""

from __future__ import annotations

import copy
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import DIRECT, Domain, FieldSource, Profile
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import view
from mock_customer_profiles._ingest import MAX_OBJECTS_PER_PROFILE

# Where each field of the merged profile came from: field name (``Attributes.<name>`` per attribute) ->
# the profile whose value it is. The field keeps that profile's provenance (set through the API, or by
# which object), so a value an object wrote stays overwritable by objects after the merge.
Origin = dict[str, Profile]

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)


def _union(main: Profile, others: list[Profile], origin: Origin) -> dict[str, Any]:
    """The fields of all profiles; on a conflict the main profile wins, then the earlier merged profile.
    Attributes are unioned per attribute; an address counts as one field."""
    fields = copy.deepcopy(main.fields)
    for other in others:
        for name, value in other.fields.items():
            if name == "Attributes":
                mine = fields.get("Attributes", {})
                for attribute in value:
                    if attribute not in mine:
                        origin[f"Attributes.{attribute}"] = other
                fields["Attributes"] = {**value, **mine}
            elif name not in fields:
                fields[name] = copy.deepcopy(value)
                origin[name] = other
    return fields


def _apply_sources(fields: dict[str, Any], sources: dict[str, Any], by_id: dict[str, Profile], origin: Origin) -> None:
    """``FieldSourceProfileIds``: the named profile's value wins, even when it has none."""
    for name, source in sources.items():
        if name == "Attributes":
            attributes = dict(fields.get("Attributes", {}))
            for attribute, profile_id in source.items():
                value = by_id[profile_id].fields.get("Attributes", {}).get(attribute)
                origin[f"Attributes.{attribute}"] = by_id[profile_id]
                if value is None:
                    attributes.pop(attribute, None)
                else:
                    attributes[attribute] = value
            if attributes:
                fields["Attributes"] = attributes
            else:
                fields.pop("Attributes", None)
            continue
        value = by_id[source].fields.get(name)
        origin[name] = by_id[source]
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = copy.deepcopy(value)


def _provenance(main: Profile, fields: dict[str, Any], origin: Origin) -> dict[str, FieldSource]:
    """The field sources of the merged profile: each field's from the profile its value came from."""
    sources = dict(main.ingested)
    for name, profile in origin.items():
        if profile is main:
            continue
        prefix = name + "."
        for path in [path for path in sources if path == name or path.startswith(prefix)]:
            del sources[path]
        for path, source in profile.ingested.items():
            if path == name or path.startswith(prefix):
                sources[path] = source
    present = set()
    for name, value in fields.items():
        present.add(name)
        if isinstance(value, dict):
            present.update(f"{name}.{part}" for part in value)
    return {path: source for path, source in sources.items() if path in present}


def _check_sources(sources: dict[str, Any], by_id: dict[str, Profile]) -> None:
    named = [
        (f"Attributes.{attribute}", profile_id) for attribute, profile_id in sources.get("Attributes", {}).items()
    ] + [(name, profile_id) for name, profile_id in sources.items() if name != "Attributes"]
    for name, profile_id in named:
        if profile_id not in by_id:
            raise BadRequest(
                f"FieldSourceProfileIds.{name} names profile {profile_id}, which is neither the main profile "
                "nor one of the profiles to be merged"
            )


@handler("MergeProfiles")
def merge_profiles(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    main = ctx.profile(domain, params["MainProfileId"])
    ids: list[str] = params["ProfileIdsToBeMerged"]
    if main.profile_id in ids:
        raise BadRequest(f"The main profile {main.profile_id} is also in ProfileIdsToBeMerged")
    repeated = sorted({profile_id for profile_id in ids if ids.count(profile_id) > 1})
    if repeated:
        raise BadRequest(f"ProfileIdsToBeMerged names profile {repeated[0]} more than once")
    others = [ctx.profile(domain, profile_id) for profile_id in ids]
    merge(ctx, domain, main, others, params.get("FieldSourceProfileIds", {}))
    return {"Message": f"Merged {len(others)} profile(s) into profile {main.profile_id}"}


def merge(
    ctx: Context, domain: Domain, main: Profile, others: list[Profile], sources: dict[str, Any] | None = None
) -> None:
    """Merge ``others`` into ``main``: what MergeProfiles does, and what identity resolution's auto-merging
    does with each group it merges. Checks everything (``BadRequest``) before the first write; emits
    ``DELETED_BY_MERGE`` for each merged profile and ``MERGED`` for the main one."""
    sources = sources or {}
    by_id = {profile.profile_id: profile for profile in (main, *others)}
    _check_sources(sources, by_id)

    total = sum(profile.object_count() for profile in (main, *others))
    if total > MAX_OBJECTS_PER_PROFILE:
        raise BadRequest(
            f"The merged profile would hold {total} objects; a profile holds at most {MAX_OBJECTS_PER_PROFILE}"
        )

    origin: Origin = {}
    fields = _union(main, others, origin)
    _apply_sources(fields, sources, by_id, origin)
    ingested = _provenance(main, fields, origin)
    # The main profile's own key values that the chosen fields replace keep finding it, like the merged ones.
    kept = set(domain.standard_values(fields))
    for key, raw, kind in domain.standard_values(main.fields):
        if (key, raw, kind) not in kept:
            main.hold(key, raw, kind, DIRECT)
    for other in others:
        domain.merge_into(main, other)
    main.fields = fields
    main.ingested = ingested
    domain.reindex(main)
    merged = [other.profile_id for other in others]
    for other in others:
        detail = {"MainProfileId": main.profile_id}
        ctx.emit(Change(_changes.DELETED_BY_MERGE, domain, other.profile_id, content=view(other), detail=detail))
    ctx.emit(Change(_changes.MERGED, domain, main.profile_id, content=view(main), detail={"MergedProfileIds": merged}))
