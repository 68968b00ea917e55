"""UpdateDomain: change the settings of a domain; an empty DefaultEncryptionKey or DeadLetterQueueUrl clears it."""

from __future__ import annotations

from mock_customer_profiles._backend import now
from mock_customer_profiles._handlers import Context, Output, Params, handler, identity
from mock_customer_profiles._handlers.domains import describe
from mock_customer_profiles._tags import given

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

_CLEARED_BY_EMPTY = ("DefaultEncryptionKey", "DeadLetterQueueUrl")


@handler("UpdateDomain")
def update_domain(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    config = dict(domain.config)
    for key, value in params.items():
        if key == "DomainName":
            continue
        if key == "Tags":
            config["Tags"] = given(params, f"Domain {domain.name}", config.get("Tags"))
        elif key in _CLEARED_BY_EMPTY and value == "":
            config.pop(key, None)
        else:
            config[key] = value
    identity.check_settings(ctx, params, domain)  # last: it may read the rule-based status
    domain.config = config
    domain.updated_at = now()
    identity.settings_changed(ctx, domain, params, created=False)
    return describe(domain)
