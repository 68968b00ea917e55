"""A moto-style mock of Amazon Connect Customer Profiles for Python test suites.

See README.md for the manual. Importing the package registers its botocore hook (inert until a mock
is active).
"""

from mock_customer_profiles import _hook
from mock_customer_profiles._errors import NotImplementedOperation
from mock_customer_profiles._mock import CustomerProfilesMock, mock_customer_profiles
from mock_customer_profiles._options import Options
from mock_customer_profiles._server import ServerThread
from mock_customer_profiles._service import Call, CallList

__all__ = [
    "Call",
    "CallList",
    "CustomerProfilesMock",
    "NotImplementedOperation",
    "Options",
    "ServerThread",
    "mock_customer_profiles",
]
__version__ = "0.1.0"

_hook.install()
