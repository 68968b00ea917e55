"""The upload URL of upload jobs: where ``GetUploadJobPath`` sends the CSV file, answered by the mock itself.

AWS answers ``GetUploadJobPath`` with a pre-signed S3 URL and a ``ClientToken``, "the plaintext data key used
to encrypt the upload file ... use the client token and MD5 client token as header. The encryption algorithm
used is SSE-C" (API reference, ``GetUploadJobPath``). The mock hands out a URL on a host name of its own,

    https://customer-profiles-uploads.<region>.mock/<account>/<domain>/<job id>.csv?X-Amz-...

which no network can reach: while a mock is active, the ``requests`` door (``_responses_door``) answers it in
process, and a server started with ``python -m mock_customer_profiles serve`` hands out
``<server>/_mock/uploads/<region>/<account>/<domain>/<job id>.csv?X-Amz-...`` and answers that. A ``PUT`` of
the file, with the three SSE-C headers S3 wants for such a URL, stores it on the job and records an
``Upload`` side effect (``cp.effects("Upload")``); ``StartUploadJob`` then ingests it. Answers follow S3's:
200 with an ``ETag``, or an XML error (403 for an expired or altered URL or a wrong key, 400 for missing
SSE-C headers, 404 for a job that is not there, 405 for another method).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from mock_customer_profiles._service import Service

HOST_SUFFIX = ".mock"
UPLOAD_URL = re.compile(r"^https?://customer-profiles-uploads\.[a-z0-9-]+\.mock(?::\d+)?/")
SERVER_PREFIX = "/_mock/uploads/"
VALID_FOR = dt.timedelta(hours=1)
MAX_UPLOAD = 5 * 1024**3
"""Largest file one ``PUT`` to an upload URL takes: S3's limit for an object uploaded in a single operation
("With a single PUT operation, you can upload a single object up to 5 GB in size", Amazon S3 User Guide,
"Uploading objects"). The server reads an upload up to this, not to its 1 MB API body limit."""
ALGORITHM_HEADER = "x-amz-server-side-encryption-customer-algorithm"
KEY_HEADER = "x-amz-server-side-encryption-customer-key"
MD5_HEADER = "x-amz-server-side-encryption-customer-key-md5"
_IN_PROCESS = re.compile(r"^customer-profiles-uploads\.([a-z0-9-]+)\.mock$")
_PATH = re.compile(r"^/([0-9]{12})/([a-zA-Z0-9_-]{1,64})/([a-f0-9]{32})\.csv$")


@dataclass(frozen=True)
class UploadedFile:
    """A file PUT to an upload job's URL (``cp.effects("Upload")``): what S3 would have stored."""

    domain: str
    job_id: str
    body: bytes
    at: dt.datetime

    @property
    def text(self) -> str:
        """The file as text (UTF-8; undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


def signature(secret: bytes, domain: str, job_id: str, expires: int) -> str:
    payload = f"{domain}/{job_id}/{expires}".encode()
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def make_url(
    base: str | None, region: str, account: str, domain: str, job_id: str, secret: bytes
) -> tuple[str, dt.datetime]:
    """The pre-signed URL of a job's file and when it stops working; ``base`` is the server's
    ``<endpoint>/_mock/uploads`` or ``None``."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    expires = int((now + VALID_FOR).timestamp())
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    root = f"{base}/{region}" if base else f"https://customer-profiles-uploads.{region}{HOST_SUFFIX}"
    query = (
        f"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={stamp}&X-Amz-Expires={int(VALID_FOR.total_seconds())}"
        f"&X-Amz-Credential=mock%2F{now:%Y%m%d}%2F{region}%2Fs3%2Faws4_request"
        f"&X-Amz-SignedHeaders=host%3B{ALGORITHM_HEADER}%3B{KEY_HEADER}%3B{MD5_HEADER}"
        f"&X-Mock-Expires={expires}&X-Amz-Signature={signature(secret, domain, job_id, expires)}"
    )
    return f"{root}/{account}/{domain}/{job_id}.csv?{query}", now + VALID_FOR


def client_token() -> tuple[str, str]:
    """A fresh 256-bit key in base64 (the ``ClientToken``) and the base64 MD5 of its bytes."""
    import os

    key = os.urandom(32)
    return base64.b64encode(key).decode(), base64.b64encode(hashlib.md5(key).digest()).decode()


def _s3_error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    ).encode()
    return status, {"Content-Type": "application/xml"}, body


def too_large(size: int | None) -> tuple[int, dict[str, str], bytes]:
    """S3's answer to a ``PUT`` over ``MAX_UPLOAD`` (the file is never read)."""
    told = f" ({size} bytes)" if size is not None else ""
    return _s3_error(400, "EntityTooLarge", f"Your proposed upload{told} exceeds the maximum allowed size")


def _header(headers: Any, name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value if isinstance(value, str) else bytes(value).decode()
    return None


def receive(
    service: Service, method: str, host: str, path: str, query: str, headers: Any, body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """Answer a request to an upload URL (``host`` is ``None``-like for the server's ``/_mock/uploads/``)."""
    from mock_customer_profiles._handlers.upload_jobs import UploadJobs

    found = _IN_PROCESS.match(host)
    if found is not None:
        region, rest = found.group(1), path
    elif path.startswith(SERVER_PREFIX):
        region, _, tail = path[len(SERVER_PREFIX) :].partition("/")
        rest = "/" + tail
    else:
        return _s3_error(404, "NoSuchBucket", "mock_customer_profiles: not an upload URL of the mock")
    parts = _PATH.match(rest)
    if parts is None:
        return _s3_error(404, "NoSuchKey", "mock_customer_profiles: not an upload URL of the mock")
    account, domain_name, job_id = parts.groups()
    if method != "PUT":
        status, head, text = _s3_error(
            405, "MethodNotAllowed", "The specified method is not allowed against this resource."
        )
        head["Allow"] = "PUT"
        return status, head, text
    with service.lock:
        backend = service.backends.get((account, region))
        domain = backend.domains.get(domain_name) if backend is not None else None
        state = domain.families.get(UploadJobs) if domain is not None else None
        job = state.jobs.get(job_id) if state is not None else None
        if backend is None or job is None:
            return _s3_error(404, "NoSuchUpload", f"mock_customer_profiles: no upload job {job_id} in {domain_name}")
        args = {key: values[0] for key, values in parse_qs(query).items()}
        try:
            expires = int(args.get("X-Mock-Expires", ""))
        except ValueError:
            expires = 0
        wanted = signature(backend.token_secret, domain_name, job_id, expires)
        if not hmac.compare_digest(args.get("X-Amz-Signature", "").encode(), wanted.encode()):
            return _s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        now = dt.datetime.now(dt.timezone.utc)
        if now.timestamp() > expires:
            return _s3_error(403, "AccessDenied", "Request has expired")
        algorithm, key, md5 = (_header(headers, name) for name in (ALGORITHM_HEADER, KEY_HEADER, MD5_HEADER))
        if algorithm is None or key is None or md5 is None:
            return _s3_error(
                400,
                "InvalidRequest",
                "The request is signed with SSE-C: send the headers x-amz-server-side-encryption-customer-algorithm "
                "(AES256), -customer-key (the ClientToken) and -customer-key-MD5",
            )
        if algorithm != "AES256":
            return _s3_error(
                400,
                "InvalidEncryptionAlgorithmError",
                "The encryption request you specified is not valid. The valid value is AES256.",
            )
        if key not in job.client_tokens:
            return _s3_error(403, "AccessDenied", "The SSE-C key is not the ClientToken of this upload URL")
        if md5 != job.client_tokens[key]:
            return _s3_error(
                400, "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided."
            )
        if job.run is not None or job.stopped:
            return _s3_error(
                403, "AccessDenied", f"mock_customer_profiles: upload job {job_id} has started; it takes no file now"
            )
        job.upload = bytes(body)
        service.effects.record("Upload", UploadedFile(domain_name, job_id, job.upload, now))
    etag = '"' + hashlib.md5(body).hexdigest() + '"'  # S3's ETag of a single-part upload
    return 200, {"ETag": etag, "x-amz-server-side-encryption-customer-algorithm": "AES256"}, b""
