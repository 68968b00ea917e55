"""SearchProfiles, with the 2022-11-14 change: up to five key-value(s) pairs joined by AND or OR."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

from mock_customer_profiles._backend import Domain
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import view
from mock_customer_profiles._paging import make_token, read_token

DOCS_PAGE = "families/search.md"  # where the docs describe these operations (see _coverage.py)

DEFAULT_PAGE = 20


@handler("SearchProfiles", keeps_params=False)
def search_profiles(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    pairs: list[tuple[str, list[str]]] = [(params["KeyName"], params["Values"])]
    pairs += [(item["KeyName"], item["Values"]) for item in params.get("AdditionalSearchKeys", ())]
    logical = params.get("LogicalOperator", "OR")
    if ctx.options.strict_search_keys:
        for key, _ in pairs:
            if not domain.defines_key(key):
                raise BadRequest(f"Search key {key} is not defined in domain {domain.name}")

    # For each pair: profile id -> the values of that pair that found it (each value once, in request order).
    lookup = domain.index.lookup
    hits: list[dict[str, list[str]]] = []
    for key, values in pairs:
        found: dict[str, list[str]] = {}
        for value in dict.fromkeys(values):
            for profile_id in lookup(key, value):
                if profile_id in found:
                    found[profile_id].append(value)
                else:
                    found[profile_id] = [value]
        hits.append(found)

    if logical == "AND":
        smallest = min(hits, key=len)
        matched: Iterable[str] = [pid for pid in smallest if all(pid in other for other in hits)]
    elif len(hits) == 1:
        matched = hits[0]
    else:
        matched = {pid: None for found in hits for pid in found}

    token = params.get("NextToken")
    after = None if token is None else read_token(ctx.backend.token_secret, _scope(domain, pairs, logical), token)
    profiles = domain.profiles
    ordered = [profiles[pid] for pid in matched]
    if after is not None:
        ordered = [profile for profile in ordered if profile.seq > after]
    ordered.sort(key=_SEQ)
    size = params.get("MaxResults", DEFAULT_PAGE)
    page = ordered[:size]

    items: list[dict[str, Any]] = []
    for profile in page:
        pid = profile.profile_id
        if logical == "AND":
            found_by = [{"KeyName": key, "Values": list(values)} for key, values in pairs]
        else:
            found_by = [
                {"KeyName": key, "Values": found[pid]}
                for (key, _), found in zip(pairs, hits, strict=True)
                if pid in found
            ]
        item = view(profile)  # a new dict
        item["FoundByItems"] = found_by
        items.append(item)
    output: Output = {"Items": items}
    if len(ordered) > size:
        output["NextToken"] = make_token(ctx.backend.token_secret, _scope(domain, pairs, logical), page[-1].seq)
    return output


_SEQ = operator.attrgetter("seq")


def _scope(domain: Domain, pairs: list[tuple[str, list[str]]], logical: str) -> list[Any]:
    """What a page token is bound to: the domain and the query (not the page size)."""
    return [domain.name, pairs, logical]
