"""Operation handlers: one small function per operation, params dict in, output dict out.

Handlers raise modelled errors (``BadRequest``, ``NotFound``) and never see HTTP. Importing this
package registers every handler module's operations in ``HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_customer_profiles._backend import Backend, Domain, Profile
from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._options import Options

Params = dict[str, Any]
Output = dict[str, Any]


@dataclass
class Context:
    """What a handler may use: the backend of the caller's account and region, and the mock's options."""

    backend: Backend
    options: Options

    def domain(self, name: str) -> Domain:
        domain = self.backend.domains.get(name)
        if domain is None:
            raise NotFound(f"Domain {name} not found")
        return domain

    def profile(self, domain: Domain, profile_id: str) -> Profile:
        profile = domain.profiles.get(profile_id)
        if profile is None:
            raise NotFound(f"Profile {profile_id} not found in domain {domain.name}")
        return profile


Handler = Callable[[Context, Params], Output]
HANDLERS: dict[str, Handler] = {}


def handler(operation: str) -> Callable[[Handler], Handler]:
    """Register the function as the handler of ``operation`` (a name from the service model)."""

    def register(func: Handler) -> Handler:
        HANDLERS[operation] = func
        return func

    return register


def _load() -> None:
    from mock_customer_profiles._handlers import (  # noqa: F401
        attributes,
        batch,
        domain_update,
        domains,
        keys,
        merge,
        object_types,
        objects,
        profiles,
        search,
        tags,
        templates,
    )


_load()
