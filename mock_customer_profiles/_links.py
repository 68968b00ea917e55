"""Where the mock's messages send the reader: a docs page and the anchor of its heading.

``docs/<page>.md#<anchor>``, a path from the repository root; the site serves the same page at
``<page>/#<anchor>``. The headings are part of the public contract: tests/test_docs_examples.py checks that
each page and anchor exists. Only the values change when the docs move; the names are what the code uses.
"""

from __future__ import annotations

README_SEEDING = "docs/seeding.md#seeding"
README_CALLS = "docs/calls.md#inspecting-calls"
README_ERRORS = "docs/faults.md#injecting-errors"
README_TEARDOWN = "docs/activation.md#teardown-checks"
README_MARKER = "docs/activation.md#pytest-fixture-and-marker"
README_OPTIONS = "docs/behaviour.md#options-and-behaviour-choices"
README_LEAKS = "docs/activation.md#nothing-reaches-aws"
README_REGIONS = "docs/activation.md#regions-and-import-time-clients"
README_IMPLEMENTED = "docs/coverage.md#operation-coverage"
README_SERVER = "docs/server.md#server-mode"
