"""Bugs the robustness suite found, each pinned by a plain example (the fuzzers might not draw it again)."""

from __future__ import annotations

from typing import Any

import pytest

INVALID_TOKEN = (
    "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"
)


@pytest.mark.parametrize("token", [".\x80", "abc.\u00e9", "\U0001f642.\U0001f642"])
def test_a_non_ascii_next_token_is_a_bad_request(client: Any, domain: str, token: str) -> None:
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.list_domains(NextToken=token)
    assert caught.value.response["Error"]["Message"] == INVALID_TOKEN
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.search_profiles(DomainName=domain, KeyName="_email", Values=["a"], NextToken=token)
    assert caught.value.response["Error"]["Message"] == INVALID_TOKEN
