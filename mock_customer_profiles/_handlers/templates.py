"""Templates: ListProfileObjectTypeTemplates, GetProfileObjectTypeTemplate (the bodies are in ``_templates``)."""

from __future__ import annotations

import copy

from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import make_token, read_token
from mock_customer_profiles._templates import TEMPLATES

LIST_DEFAULT_PAGE = 100


@handler("ListProfileObjectTypeTemplates")
def list_templates(ctx: Context, params: Params) -> Output:
    secret = ctx.backend.token_secret
    scope = "ListProfileObjectTypeTemplates"
    after = read_token(secret, scope, params.get("NextToken"))
    ids = sorted(tid for tid in TEMPLATES if after is None or tid > after)
    size = params.get("MaxResults", LIST_DEFAULT_PAGE)
    page = ids[:size]
    items = [
        {"TemplateId": tid, "SourceName": TEMPLATES[tid]["SourceName"], "SourceObject": TEMPLATES[tid]["SourceObject"]}
        for tid in page
    ]
    output: Output = {"Items": items}
    if len(ids) > size:
        output["NextToken"] = make_token(secret, scope, page[-1])
    return output


@handler("GetProfileObjectTypeTemplate")
def get_template(ctx: Context, params: Params) -> Output:
    template_id = params["TemplateId"]
    template = TEMPLATES.get(template_id)
    if template is None:
        raise NotFound(f"Template {template_id} not found")
    return {"TemplateId": template_id, **copy.deepcopy(template)}
