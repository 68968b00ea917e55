"""Opaque pagination tokens, bound to the request that produced them.

A token carries a cursor (the position after the last item returned) and a digest of the request it
belongs to, signed with a secret of the backend. A token that is malformed, belongs to another
request, or comes from another backend or activation is a ``BadRequestException``.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from mock_customer_profiles._errors import BadRequest

T = TypeVar("T")

_INVALID = "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"


def _digest(scope: Any) -> str:
    text = json.dumps(scope, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _mac(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()[:24]


def make_token(secret: bytes, scope: Any, cursor: Any) -> str:
    payload = base64.urlsafe_b64encode(json.dumps([_digest(scope), cursor]).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_mac(secret, payload)}"


def read_token(secret: bytes, scope: Any, token: str | None) -> Any:
    """The cursor of ``token`` (``None`` for no token), checked against ``scope``."""
    if token is None:
        return None
    payload, _, mac = token.partition(".")
    # compare_digest refuses str with non-ASCII characters (TypeError): a token is caller text, compare bytes.
    if not hmac.compare_digest(mac.encode(), _mac(secret, payload.encode()).encode()):
        raise BadRequest(_INVALID)
    try:
        digest, cursor = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, TypeError):  # pragma: no cover - a correctly signed token always decodes
        raise BadRequest(_INVALID) from None
    if digest != _digest(scope):
        raise BadRequest(_INVALID)
    return cursor


LIST_DEFAULT_PAGE = 100
"""Items per page of a list operation whose request gives no ``MaxResults``: one default for all of them."""


def paginate(
    secret: bytes,
    scope: Any,
    params: Mapping[str, Any],
    default_size: int,
    remaining: Callable[[Any], list[T]],
    cursor: Callable[[T], Any],
) -> tuple[list[T], dict[str, str]]:
    """One page of a list operation: ``remaining(after)`` gives the items past the request's token in
    order, ``cursor(item)`` the position a token resumes after. Returns the page and ``{"NextToken": ...}``
    while more items remain, else ``{}``."""
    after = read_token(secret, scope, params.get("NextToken"))
    items = remaining(after)
    size = params.get("MaxResults", default_size)
    page = items[:size]
    more = {"NextToken": make_token(secret, scope, cursor(page[-1]))} if len(items) > size else {}
    return page, more


def page_of_names(
    secret: bytes, scope: Any, params: Mapping[str, Any], names: Iterable[str], default_size: int = LIST_DEFAULT_PAGE
) -> tuple[list[str], dict[str, str]]:
    """One page of a list of named resources in name order (the name is the token's cursor)."""
    ordered = sorted(names)
    return paginate(
        secret, scope, params, default_size, lambda after: ordered[bisect.bisect_right(ordered, after or "") :], str
    )


def page_in_order(
    secret: bytes, scope: Any, params: Mapping[str, Any], items: Iterable[T], seq: Callable[[T], int]
) -> tuple[list[T], dict[str, str]]:
    """One page of a list of resources in creation order (``seq(item)`` rising; the token's cursor)."""
    return paginate(
        secret,
        scope,
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [item for item in items if after is None or seq(item) > after],
        seq,
    )
