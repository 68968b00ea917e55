"""The ``requests`` door: code that calls the Customer Profiles endpoint with ``requests`` (for example
SigV4-signed with requests-aws4auth) is answered by the active mock, through the ``responses`` library.

While at least one mock is active:

- our own ``responses.RequestsMock`` patches ``requests``; a request to ``https://profile.<region>.amazonaws.com``
  goes to ``Service.handle`` like a boto3 call, every other URL passes through to whatever sent
  requests before us (the network, or a ``responses`` mock started earlier, moto's included);
- the same endpoint is registered in ``responses``' default registry, which moto's ``mock_aws`` and a
  test's own ``@responses.activate`` consult, so the endpoint stays ours when one of those starts after
  the mock;
- so is the upload URL of upload jobs (``https://customer-profiles-uploads.<region>.mock/...``, see
  ``_uploads``): a ``PUT`` of the CSV file there is stored on the job, never sent anywhere.

Both are undone when the last mock stops.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

from mock_customer_profiles import _activation, _uploads
from mock_customer_profiles._codec import WireRequest
from mock_customer_profiles._service import region_of

ENDPOINT = re.compile(r"^https?://profile(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:[/?]|$)")

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
    """The ``responses`` callback: the active mock answers a prepared ``requests`` request."""
    mock = _activation.current()
    if mock is None:  # pragma: no cover - the door is closed whenever no mock is active
        raise RuntimeError("mock_customer_profiles: no mock is active")
    parts = urlsplit(request.url)
    wire = WireRequest(request.method, parts.path or "/", parts.query, request.headers, _body(request.body))
    response = mock.service.handle(wire, region_of(request.headers, parts.hostname or ""))
    return response.status, response.headers, response.body


def answer_upload(request: Any) -> tuple[int, dict[str, str], bytes]:
    """The ``responses`` callback of the upload URL: the active mock stores the file on its job."""
    mock = _activation.current()
    if mock is None:  # pragma: no cover - the door is closed whenever no mock is active
        raise RuntimeError("mock_customer_profiles: no mock is active")
    parts = urlsplit(request.url)
    host, body = parts.hostname or "", _body(request.body)
    return _uploads.receive(mock.service, request.method, host, parts.path, parts.query, request.headers, body)


def _endpoints() -> list[Any]:
    import responses

    class Endpoint(responses.CallbackResponse):
        """An endpoint of the mock, for every HTTP method."""

        def matches(self, request: Any) -> tuple[bool, str]:
            if not self._url_matches(self.url, str(request.url)):
                return False, "URL does not match"
            return True, ""

    return [
        Endpoint("POST", ENDPOINT, callback=answer, content_type=None),
        Endpoint("PUT", _uploads.UPLOAD_URL, callback=answer_upload, content_type=None),
    ]


def sync() -> None:
    """Open the door when some mock is active, close it when none is. Idempotent."""
    import requests.adapters
    import responses

    with _lock:
        wanted = bool(_activation.active())
        if wanted and not _state:
            endpoints = _endpoints()
            before: Any = requests.adapters.HTTPAdapter.send  # the network, or a mock started earlier
            own = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=before)
            own.add_passthru(re.compile(".*"))
            for endpoint in endpoints:
                own.add(endpoint)
            own.start()
            for endpoint in endpoints:
                responses.add(endpoint)  # the default registry: moto and @responses.activate consult it
            _state.update(own=own, endpoints=endpoints)
        elif not wanted and _state:
            _state["own"].stop(allow_assert=False)
            for endpoint in _state["endpoints"]:
                if endpoint in responses.registered():
                    responses.remove(endpoint)
            _state.clear()
