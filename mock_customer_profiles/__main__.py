"""Command line: ``python -m mock_customer_profiles demo``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_customer_profiles", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="seed a domain and run multi-key searches through boto3")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from mock_customer_profiles._demo import run

        run()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
