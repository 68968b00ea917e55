"""The mock's own diagnostics for a miss that the test's set-up caused rather than the code under test.

A region mismatch (the mock seeded in one region, the code's client in another) makes a call fail with
AWS's own ``ResourceNotFoundException``, whose text stays AWS's. The hint goes to a warning
(``RegionMismatchWarning``), which pytest lists under the test that caused it, for every activation style.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any

from mock_customer_profiles._links import README_REGIONS
from mock_customer_profiles._words import PREFIX, bullets, call_text

if TYPE_CHECKING:
    from mock_customer_profiles._service import Service


class RegionMismatchWarning(UserWarning):
    """A call missed a domain that the same mock holds in another region (or account)."""


def region_miss(service: Service, operation: str, params: dict[str, Any], region: str | None) -> None:
    """Warn when ``operation`` found no domain ``params['DomainName']`` where it asked, though the mock
    holds one of that name in another region or account. Costs one look per backend, only on a miss."""
    name = params.get("DomainName")
    if not isinstance(name, str):
        return
    option = service.options.region
    here = (service.options.account_id, region or option)
    backend = service.backends.get(here)
    if backend is not None and name in backend.domains:
        return  # the domain is here: the miss is of something inside it
    elsewhere = sorted(key for key, other in service.backends.items() if key != here and name in other.domains)
    if not elsewhere:
        return
    account, asked = here
    where = ", ".join(r if a == account else f"{r} (account {a})" for a, r in elsewhere)
    target = next((r for a, r in elsewhere if r != asked), asked)
    lines = [
        f"the call's region: {asked} (its client's region_name, else AWS_DEFAULT_REGION when the client was made)",
        f"the mock's region option: {option} (where create_domain(), load() and seed= store)",
    ]
    environment = os.environ.get("AWS_DEFAULT_REGION")
    if environment and environment != option:
        lines.append(
            f"AWS_DEFAULT_REGION is {environment!r} in the environment; the mock leaves a value it finds alone"
        )
    if target == option:  # seeded where the option says: the client is the odd one out
        fix = (
            f"fix: one region for both: make the client with region_name={target!r} (or use the mock's client()), "
            f"set AWS_DEFAULT_REGION={target!r} before the client is made (conftest.py or the pytest ini), "
            f"or give the mock region={asked!r}"
        )
    else:  # made by a call in another region: two clients disagree
        fix = f"fix: make this client with region_name={target!r}, or create the domain from a client in {asked}"
    lines.append(fix)
    warnings.warn(
        RegionMismatchWarning(
            f"{PREFIX} {call_text(operation, params)} found no domain {name} in {asked}, where it was "
            f"answered; this mock holds one in {where} (see {README_REGIONS}):\n{bullets(lines)}"
        ),
        stacklevel=2,
    )
