"""Domain layouts: CreateDomainLayout, GetDomainLayout, UpdateDomainLayout, DeleteDomainLayout, ListDomainLayouts.

A layout is how the Amazon Connect admin website shows profiles ("This API can only be invoked from the
Amazon Connect admin website": the mock answers every caller). ``Layout`` is kept as the text given (not
parsed). The mock's rules where the model is silent: a name is taken once (``BadRequestException``);
``Version`` is ``"1"`` on creation and one more on each update; ``IsDefault=true`` on one layout clears it on
the domain's others ("If set to true for a layout, this layout will be used by default to view data"), so a
domain has at most one default layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles._backend import Domain, now
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._tags import given, stamped, taggable

DOCS_PAGE = "families/jobs.md"  # where the docs describe these operations (see _coverage.py)

_MEMBERS = ("Description", "DisplayName", "LayoutType", "Layout")


@dataclass
class Layout:
    name: str
    members: dict[str, str]  # Description, DisplayName, LayoutType, Layout
    is_default: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)


class Layouts:
    """The layouts of one domain (``domain.family(Layouts)``)."""

    def __init__(self) -> None:
        self.layouts: dict[str, Layout] = {}

    def make_default(self, chosen: Layout) -> None:
        for layout in self.layouts.values():
            if layout is not chosen and layout.is_default:
                layout.is_default = False


@taggable("layouts", "Layout")
def layout_by_name(domain: Domain, name: str) -> Layout | None:
    """The domain's layout ``name`` (``layout_by_name.get``: or ``ResourceNotFoundException``)."""
    return domain.peek(Layouts).layouts.get(name)


def _layout(ctx: Context, params: Params) -> tuple[Domain, Layouts, Layout]:
    domain = ctx.domain(params["DomainName"])
    layout = layout_by_name.get(domain, params["LayoutDefinitionName"])  # a call that fails creates no state
    return domain, domain.family(Layouts), layout


def describe(layout: Layout) -> dict[str, Any]:
    out: dict[str, Any] = {
        "LayoutDefinitionName": layout.name,
        **layout.members,
        "IsDefault": layout.is_default,
        "Version": str(layout.version),
        **stamped(layout),
    }
    return out


@handler("CreateDomainLayout")
def create_domain_layout(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    existing = domain.families.get(Layouts)
    name = params["LayoutDefinitionName"]
    if existing is not None and name in existing.layouts:
        raise BadRequest(f"Layout {name} already exists in domain {domain.name}")
    tags = given(params, f"Layout {name}")
    state = domain.family(Layouts)
    stamp = now()
    layout = Layout(name, {m: params[m] for m in _MEMBERS}, bool(params.get("IsDefault", False)), 1, stamp, stamp, tags)
    state.layouts[name] = layout
    if layout.is_default:
        state.make_default(layout)
    return describe(layout)


@handler("GetDomainLayout", keeps_params=False)
def get_domain_layout(ctx: Context, params: Params) -> Output:
    return describe(_layout(ctx, params)[2])


@handler("UpdateDomainLayout")
def update_domain_layout(ctx: Context, params: Params) -> Output:
    _, state, layout = _layout(ctx, params)
    layout.members.update({m: params[m] for m in _MEMBERS if m in params})
    if "IsDefault" in params:
        layout.is_default = bool(params["IsDefault"])
        if layout.is_default:
            state.make_default(layout)
    layout.version += 1
    layout.updated_at = now()
    return describe(layout)


@handler("DeleteDomainLayout", keeps_params=False)
def delete_domain_layout(ctx: Context, params: Params) -> Output:
    domain, state, layout = _layout(ctx, params)
    del state.layouts[layout.name]
    return {"Message": f"Layout {layout.name} deleted from domain {domain.name}"}


@handler("ListDomainLayouts", keeps_params=False)
def list_domain_layouts(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(Layouts) or Layouts()
    names, more = page_of_names(ctx.backend.token_secret, ["ListDomainLayouts", domain.name], params, state.layouts)
    items = []
    for name in names:
        out = describe(state.layouts[name])
        del out["Layout"], out["Version"]  # the list items have neither
        items.append(out)
    return {"Items": items, **more}
