"""Tags and ARNs of the service's resources: one ARN format, one registry of the kinds of resource that
carry tags, one resolver from an ARN to the tagged resource.

The ARN of a resource (the AWS Service Authorization Reference, "Resource types defined by Amazon Connect
Customer Profiles", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnectcustomerprofiles.html)::

    arn:<partition>:profile:<region>:<account>:domains/<DomainName>
    arn:<partition>:profile:<region>:<account>:domains/<DomainName>/<kind>/<name>

with ``<kind>`` one of ``object-types``, ``domain-object-types``, ``integrations`` (whose ``<name>`` is the
integration's ``Uri``, slashes and all), ``event-streams``, ``event-triggers``, ``calculated-attributes``,
``segment-definitions``, ``layouts``, ``recommenders``, ``recommender-filters``, ``recommender-schemas``.

A family makes its resources taggable where it keeps them: ``@taggable("layouts", "Layout")`` on a function
``(domain, name) -> resource | None`` (a dictionary look-up) turns it into a ``Named`` kind, whose ``.get``
is also the family's own look-up with its ``ResourceNotFoundException``. The resource is anything with a
``tags`` dict that can be read and replaced (``ConfigTags`` adapts a resource that keeps its tags in a
``Tags`` member of its config). ``TagResource`` and friends find the resource with ``resolve``: the ARN's
domain, then its kind's look-up, never a scan. Creates take their tags through ``given`` (the limit
checked), and every Get/List answer shows the same dict through ``shown`` (or ``stamped``, with the times).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from mock_customer_profiles._backend import Backend, Domain
from mock_customer_profiles._errors import BadRequest, NotFound

# The model's TagArn pattern (``^arn:[a-z0-9]{1,10}:profile``) admits no ``aws-cn`` or ``aws-us-gov``: the mock's
# resources are in the ``aws`` partition whatever the region, so that every ARN it answers can be tagged.
PARTITION = "aws"
MAX_TAGS = 50
"""Tags of one resource (a domain, an object type, ...), whichever operation sets them."""

_ARN = re.compile(
    r"^arn:(?P<partition>[a-z0-9-]+):profile:(?P<region>[a-z0-9-]*):(?P<account>[0-9]*):"
    r"domains/(?P<domain>[^/]+)(?:/(?P<kind>[a-z-]+)/(?P<name>.+))?$"
)


class Tagged(Protocol):
    """A resource that carries tags: ``tags`` is read, and replaced as a whole."""

    @property
    def tags(self) -> dict[str, str]: ...

    @tags.setter
    def tags(self, tags: dict[str, str]) -> None: ...


class ConfigTags:
    """The tags of a resource that keeps them as the ``Tags`` member of its config (a domain, a calculated
    attribute definition): no member when there are none (``Tags`` has at least one entry in the model)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @property
    def tags(self) -> dict[str, str]:
        return dict(self._config.get("Tags") or {})

    @tags.setter
    def tags(self, tags: dict[str, str]) -> None:
        if tags:
            self._config["Tags"] = dict(tags)
        else:
            self._config.pop("Tags", None)


R = TypeVar("R")


class Named(Generic[R]):
    """A kind of named resource of a domain that takes tags: its ARN word (``path``), how messages name
    one (``label``) and its look-up, a dictionary look-up in the family's state. ``get`` is the look-up
    that raises the family's ``ResourceNotFoundException``; ``resolve`` finds the resource of an ARN with
    ``find``."""

    def __init__(self, path: str, label: str, lookup: Callable[[Domain, str], R | None], min_tags: int) -> None:
        self.path, self.label, self.find, self.min_tags = path, label, lookup, min_tags

    def get(self, domain: Domain, name: str) -> R:
        found = self.find(domain, name)
        if found is None:
            raise NotFound(f"{self.label} {name} not found in domain {domain.name}")
        return found


KINDS: dict[str, Named[Any]] = {}


def taggable(path: str, label: str, *, min_tags: int = 0) -> Callable[[Callable[[Domain, str], R | None]], Named[R]]:
    """Make the decorated ``(domain, name) -> resource | None`` the look-up of ``<path>`` ARNs, and of the
    family's own calls (``.get``). ``min_tags``: a kind whose Get answer requires ``Tags`` keeps that many."""

    def register(lookup: Callable[[Domain, str], R | None]) -> Named[R]:
        named = KINDS[path] = Named(path, label, lookup, min_tags)
        return named

    return register


def arn(backend: Backend, domain: str, kind: str | None = None, name: str | None = None) -> str:
    """The ARN of domain ``domain``, or of its resource ``name`` of ``kind`` (a path word of ``KINDS``)."""
    base = f"arn:{PARTITION}:profile:{backend.region}:{backend.account_id}:domains/{domain}"
    return base if kind is None else f"{base}/{kind}/{name}"


def check_tag_count(resource: str, tags: dict[str, str]) -> dict[str, str]:
    """``tags`` if a resource may hold that many, else ``BadRequest`` naming the resource (``Domain acme``)."""
    if len(tags) > MAX_TAGS:
        raise BadRequest(f"{resource} would have {len(tags)} tags; at most {MAX_TAGS} are allowed")
    return tags


def given(params: Mapping[str, Any], resource: str, kept: Mapping[str, str] | None = None) -> dict[str, str]:
    """The tags a create or put leaves on ``resource`` (``Layout agent``): those it ``kept`` (an upsert's),
    with the request's ``Tags`` added; a copy, checked against the limit."""
    return check_tag_count(resource, {**(kept or {}), **(params.get("Tags") or {})})


def shown(tags: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The ``Tags`` member of a Get/List answer: a copy, and no member at all when there are none."""
    return {"Tags": dict(tags)} if tags else {}


class Stamped(Tagged, Protocol):
    """A resource with its times and tags (an object type, a layout, an event trigger, an integration, ...)."""

    created_at: dt.datetime
    updated_at: dt.datetime


def stamped(resource: Stamped) -> dict[str, Any]:
    """The members that end a description of ``resource``: ``CreatedAt``, ``LastUpdatedAt`` and ``Tags``."""
    return {"CreatedAt": resource.created_at, "LastUpdatedAt": resource.updated_at, **shown(resource.tags)}


def _pattern() -> str:
    return "arn:aws:profile:<region>:<account>:domains/<DomainName>[/<kind>/<name>], <kind> one of " + ", ".join(
        sorted(KINDS)
    )


@dataclass
class Resolved:
    """The resource an ARN names, and how messages name it."""

    arn: str
    resource: Tagged
    label: str
    min_tags: int = 0

    @property
    def tags(self) -> dict[str, str]:
        return dict(self.resource.tags)

    @tags.setter
    def tags(self, tags: dict[str, str]) -> None:
        check_tag_count(f"Resource {self.arn}", tags)
        if len(tags) < self.min_tags:
            raise BadRequest(
                f"Resource {self.arn} would have no tags: a {self.label.lower()} keeps at least {self.min_tags} "
                "(its Get answer requires Tags)"
            )
        self.resource.tags = tags


def resolve(backend: Backend, text: str) -> Resolved:
    """The resource of ARN ``text`` in ``backend`` (the caller's account and region): ``BadRequest`` for
    text that is no Customer Profiles resource ARN, ``NotFound`` for a resource that does not exist."""
    found = _ARN.match(text)
    kind = KINDS.get(found["kind"]) if found is not None and found["kind"] is not None else None
    if found is None or (found["kind"] is not None and kind is None):
        raise BadRequest(f"{text} is not the ARN of a Customer Profiles resource that takes tags: {_pattern()}")
    where = (found["partition"], found["region"], found["account"])
    if where != (PARTITION, backend.region, backend.account_id):
        raise NotFound(
            f"Resource {text} not found: this client calls account {backend.account_id} in region {backend.region}"
        )
    domain = backend.domains.get(found["domain"])
    if domain is None:
        raise NotFound(f"Resource {text} not found: domain {found['domain']} does not exist")
    if kind is None:
        return Resolved(text, ConfigTags(domain.config), "Domain")
    resource = kind.find(domain, found["name"])
    if resource is None:
        raise NotFound(
            f"Resource {text} not found: {kind.label.lower()} {found['name']} is not in domain {domain.name}"
        )
    return Resolved(text, resource, kind.label, kind.min_tags)
