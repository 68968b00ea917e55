"""Tags: TagResource, UntagResource, ListTagsForResource on the ARNs of domains, object types, event
streams and event triggers.

``arn:aws:profile:<region>:<account>:domains/<name>``, ``.../domains/<name>/object-types/<type>``,
``.../event-streams/<name>`` (as CreateEventStream returns it) and ``.../event-triggers/<name>``. Tags given
to CreateDomain, UpdateDomain, PutProfileObjectType, CreateEventStream and CreateEventTrigger are the same
tags.
"""

from __future__ import annotations

import re
from typing import Any

from mock_customer_profiles._backend import Domain
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, check_tag_count, handler
from mock_customer_profiles._handlers.event_streams import EventStreams
from mock_customer_profiles._handlers.event_triggers import EventTriggers

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

_ARN = re.compile(
    r"^arn:(?P<partition>[a-z0-9-]+):profile:(?P<region>[a-z0-9-]+):(?P<account>[0-9]+):"
    r"domains/(?P<domain>[^/]+)(?:/(?P<kind>object-types|event-streams|event-triggers)/(?P<name>[^/]+))?$"
)


def _resource(domain: Domain, kind: str, name: str) -> Any:
    """The tagged resource (an object with a ``tags`` dict) of a sub-resource ARN, or ``None``."""
    if kind == "object-types":
        return domain.object_types.get(name)
    if kind == "event-streams":
        return domain.peek(EventStreams).by_name.get(name)
    return domain.peek(EventTriggers).by_name.get(name)


class _Tagged:
    """The tags of one resource, read and written in place."""

    def __init__(self, ctx: Context, arn: str) -> None:
        found = _ARN.match(arn)
        if found is None:
            raise BadRequest(
                f"{arn} is not the ARN of a resource the mock can tag: "
                "arn:aws:profile:<region>:<account>:domains/<name>[/<object-types|event-streams|event-triggers>/<name>]"
            )
        backend = ctx.backend
        domain = backend.domains.get(found["domain"])
        if found["region"] != backend.region or found["account"] != backend.account_id or domain is None:
            raise NotFound(f"Resource {arn} not found")
        self.arn = arn
        self._domain = domain
        self._type: Any = None
        if found["kind"] is not None:
            self._type = _resource(domain, found["kind"], found["name"])
            if self._type is None:
                raise NotFound(f"Resource {arn} not found")

    @property
    def tags(self) -> dict[str, str]:
        if self._type is not None:
            return dict(self._type.tags)
        return dict(self._domain.config.get("Tags", {}))

    @tags.setter
    def tags(self, tags: dict[str, str]) -> None:
        check_tag_count(f"Resource {self.arn}", tags)
        if self._type is not None:
            self._type.tags = tags
        elif tags:
            self._domain.config["Tags"] = tags
        else:
            self._domain.config.pop("Tags", None)


@handler("TagResource")
def tag_resource(ctx: Context, params: Params) -> Output:
    resource = _Tagged(ctx, params["resourceArn"])
    resource.tags = {**resource.tags, **params["tags"]}
    return {}


@handler("UntagResource")
def untag_resource(ctx: Context, params: Params) -> Output:
    resource = _Tagged(ctx, params["resourceArn"])
    remove = set(params["tagKeys"])
    resource.tags = {key: value for key, value in resource.tags.items() if key not in remove}
    return {}


@handler("ListTagsForResource", keeps_params=False)
def list_tags_for_resource(ctx: Context, params: Params) -> Output:
    tags = _Tagged(ctx, params["resourceArn"]).tags
    return {"tags": tags} if tags else {}
