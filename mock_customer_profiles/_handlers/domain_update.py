"""UpdateDomain: change the settings of a domain; an empty DefaultEncryptionKey or DeadLetterQueueUrl clears it."""

from __future__ import annotations

from mock_customer_profiles._backend import now
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler, identity
from mock_customer_profiles._handlers.domains import describe

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)

MAX_TAGS = 50
_CLEARED_BY_EMPTY = ("DefaultEncryptionKey", "DeadLetterQueueUrl")


@handler("UpdateDomain")
def update_domain(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    identity.check_settings(ctx, params, domain)
    config = dict(domain.config)
    for key, value in params.items():
        if key == "DomainName":
            continue
        if key == "Tags":
            tags = {**config.get("Tags", {}), **value}
            if len(tags) > MAX_TAGS:
                raise BadRequest(f"Domain {domain.name} would have {len(tags)} tags; at most {MAX_TAGS} are allowed")
            config["Tags"] = tags
        elif key in _CLEARED_BY_EMPTY and value == "":
            config.pop(key, None)
        else:
            config[key] = value
    domain.config = config
    domain.updated_at = now()
    identity.settings_changed(ctx, domain, params, created=False)
    return describe(domain)
