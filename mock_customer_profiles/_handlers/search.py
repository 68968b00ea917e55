"""SearchProfiles, with the 2022-11-14 change: up to five key-value(s) pairs joined by AND or OR."""

from __future__ import annotations

from typing import Any

from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import view
from mock_customer_profiles._paging import make_token, read_token

DEFAULT_PAGE = 20


@handler("SearchProfiles")
def search_profiles(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    pairs: list[tuple[str, list[str]]] = [(params["KeyName"], params["Values"])]
    pairs += [(item["KeyName"], item["Values"]) for item in params.get("AdditionalSearchKeys", ())]
    operator = params.get("LogicalOperator", "OR")
    if ctx.options.strict_search_keys:
        for key, _ in pairs:
            if not domain.defines_key(key):
                raise BadRequest(f"Search key {key} is not defined in domain {domain.name}")

    # For each pair: profile id -> the values of that pair that found it (each value once, in request order).
    hits: list[dict[str, list[str]]] = []
    for key, values in pairs:
        found: dict[str, list[str]] = {}
        for value in dict.fromkeys(values):
            for profile_id in domain.index.lookup(key, value):
                found.setdefault(profile_id, []).append(value)
        hits.append(found)

    if operator == "AND":
        smallest = min(hits, key=len)
        matched = [pid for pid in smallest if all(pid in other for other in hits)]
    else:
        matched = list({pid: None for found in hits for pid in found})

    scope = [domain.name, pairs, operator]
    after = read_token(ctx.backend.token_secret, scope, params.get("NextToken"))
    profiles = domain.profiles
    ordered = sorted(
        (profiles[pid] for pid in matched if after is None or profiles[pid].seq > after), key=lambda p: p.seq
    )
    size = params.get("MaxResults", DEFAULT_PAGE)
    page = ordered[:size]

    items: list[dict[str, Any]] = []
    for profile in page:
        pid = profile.profile_id
        if operator == "AND":
            found_by = [{"KeyName": key, "Values": list(values)} for key, values in pairs]
        else:
            found_by = [
                {"KeyName": key, "Values": found[pid]}
                for (key, _), found in zip(pairs, hits, strict=True)
                if pid in found
            ]
        items.append({**view(profile), "FoundByItems": found_by})
    output: Output = {"Items": items}
    if len(ordered) > size:
        output["NextToken"] = make_token(ctx.backend.token_secret, scope, page[-1].seq)
    return output
