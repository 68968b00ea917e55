"""Tags: TagResource, UntagResource, ListTagsForResource on the ARN of every resource that takes tags.

The ARN formats, the registry of taggable kinds and the resolver are in ``_tags``; each family registers
its own kind where it keeps its resources (``@taggable(...)``). Tags given at creation (CreateDomain,
PutProfileObjectType, PutIntegration, CreateEventStream, CreateCalculatedAttributeDefinition, ...) and tags
set here are the same tags, and the resource's Get/List answers show them.
"""

from __future__ import annotations

from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._tags import resolve

DOCS_PAGE = "families/profiles.md"  # where the docs describe these operations (see _coverage.py)


@handler("TagResource")
def tag_resource(ctx: Context, params: Params) -> Output:
    resource = resolve(ctx.backend, params["resourceArn"])
    resource.tags = {**resource.tags, **params["tags"]}
    return {}


@handler("UntagResource")
def untag_resource(ctx: Context, params: Params) -> Output:
    resource = resolve(ctx.backend, params["resourceArn"])
    remove = set(params["tagKeys"])
    resource.tags = {key: value for key, value in resource.tags.items() if key not in remove}
    return {}


@handler("ListTagsForResource", keeps_params=False)
def list_tags_for_resource(ctx: Context, params: Params) -> Output:
    tags = resolve(ctx.backend, params["resourceArn"]).tags
    return {"tags": tags} if tags else {}
