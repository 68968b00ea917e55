"""Templates: ListProfileObjectTypeTemplates, GetProfileObjectTypeTemplate (the bodies are in ``_templates``)."""

from __future__ import annotations

import copy

from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate
from mock_customer_profiles._templates import TEMPLATES

DOCS_PAGE = "families/ingestion.md"  # where the docs describe these operations (see _coverage.py)


@handler("ListProfileObjectTypeTemplates", keeps_params=False)
def list_templates(ctx: Context, params: Params) -> Output:
    ids, more = paginate(
        ctx.backend.token_secret,
        "ListProfileObjectTypeTemplates",
        params,
        LIST_DEFAULT_PAGE,
        lambda after: sorted(tid for tid in TEMPLATES if after is None or tid > after),
        str,
    )
    items = [
        {"TemplateId": tid, "SourceName": TEMPLATES[tid]["SourceName"], "SourceObject": TEMPLATES[tid]["SourceObject"]}
        for tid in ids
    ]
    return {"Items": items, **more}


@handler("GetProfileObjectTypeTemplate", keeps_params=False)
def get_template(ctx: Context, params: Params) -> Output:
    template_id = params["TemplateId"]
    template = TEMPLATES.get(template_id)
    if template is None:
        raise NotFound(f"Template {template_id} not found")
    return {"TemplateId": template_id, **copy.deepcopy(template)}
