"""Domains: CreateDomain, GetDomain, ListDomains, DeleteDomain."""

from __future__ import annotations

from typing import Any

from mock_customer_profiles._backend import Domain, now
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler, identity
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._tags import ConfigTags, shown

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

MAX_DOMAINS = 100


def summary(domain: Domain) -> dict[str, Any]:
    """The members every domain description shares (``Tags`` only when there are some: its min is 1)."""
    out: dict[str, Any] = {
        "DomainName": domain.name,
        "CreatedAt": domain.created_at,
        "LastUpdatedAt": domain.updated_at,
        **shown(ConfigTags(domain.config).tags),
    }
    return out


def describe(domain: Domain) -> dict[str, Any]:
    out = {**domain.config, **summary(domain)}
    status = identity.rule_based_status(domain)
    if status is not None:
        out["RuleBasedMatching"] = {**out["RuleBasedMatching"], "Status": status}
    return out


@handler("CreateDomain")
def create_domain(ctx: Context, params: Params) -> Output:
    name = params["DomainName"]
    domains = ctx.backend.domains
    if name in domains:
        raise BadRequest(f"Domain {name} already exists")
    if len(domains) >= MAX_DOMAINS:
        raise BadRequest(f"The account already has the maximum of {MAX_DOMAINS} domains")
    identity.check_settings(ctx, params, None)
    config = {key: value for key, value in params.items() if key != "DomainName"}
    stamp = now()
    domain = Domain(name, config, stamp, stamp, lenient=ctx.options.lenient_matching)
    domains[name] = domain
    identity.settings_changed(ctx, domain, params, created=True)
    return describe(domain)


@handler("GetDomain", keeps_params=False)
def get_domain(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    stats = {
        "ProfileCount": len(domain.profiles),
        "MeteringProfileCount": domain.metering_count(),
        "ObjectCount": domain.object_count(),
        "TotalSize": domain.total_size(),
    }
    return {**describe(domain), "Stats": stats}


@handler("ListDomains", keeps_params=False)
def list_domains(ctx: Context, params: Params) -> Output:
    backend = ctx.backend
    names, more = page_of_names(backend.token_secret, "ListDomains", params, backend.domains)
    return {"Items": [summary(backend.domains[name]) for name in names], **more}


@handler("DeleteDomain")
def delete_domain(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    del ctx.backend.domains[domain.name]
    return {"Message": f"Domain {domain.name} deleted"}
