"""The async door for the suites written for boto3: an aiobotocore client driven synchronously.

``SyncFacade`` runs each API call of a real aiobotocore ``customer-profiles`` client to completion on
an event loop of its own, so that a test written as ``client.search_profiles(...)`` goes through the
async door (aiobotocore's endpoint, its awaited response, its parser and retry handlers) unchanged.
Everything else (``exceptions``, ``meta``, ``can_paginate``) is the aiobotocore client's own.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

HAVE_AIOBOTOCORE = importlib.util.find_spec("aiobotocore") is not None
HAVE_AIOBOTO3 = importlib.util.find_spec("aioboto3") is not None


class SyncFacade:
    def __init__(self, **kwargs: Any) -> None:
        import aiobotocore.session

        self._loop = asyncio.new_event_loop()
        self._context = aiobotocore.session.get_session().create_client("customer-profiles", **kwargs)
        self._client = self._loop.run_until_complete(self._context.__aenter__())
        self._api = set(self._client.meta.method_to_api_mapping)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name not in self._api:
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run_until_complete(attribute(*args, **kwargs))

        return call

    def close(self) -> None:
        self._loop.run_until_complete(self._context.__aexit__(None, None, None))
        self._loop.close()
