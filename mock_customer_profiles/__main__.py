"""Command line: ``python -m mock_customer_profiles demo`` and ``python -m mock_customer_profiles serve``."""

from __future__ import annotations

import argparse
import sys

from mock_customer_profiles._options import DEFAULT_ACCOUNT_ID, DEFAULT_REGION


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_customer_profiles", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="seed a domain and run multi-key searches through boto3")
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP for the AWS CLI, other SDKs and other processes",
        description="Serve the mock over HTTP until Ctrl-C or SIGTERM (see docs/server.md).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4566, help="port to listen on; 0 picks a free one (default: 4566)")
    serve.add_argument("--seed", metavar="FILE", help="a seed document (JSON) to load before serving")
    serve.add_argument(
        "--region", default=DEFAULT_REGION, help=f"region of requests without a SigV4 scope (default: {DEFAULT_REGION})"
    )
    serve.add_argument(
        "--account-id", default=DEFAULT_ACCOUNT_ID, help=f"account of every call (default: {DEFAULT_ACCOUNT_ID})"
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        from mock_customer_profiles._server import serve as run_server

        return run_server(args.host, args.port, args.seed, args.region, args.account_id)
    from mock_customer_profiles._demo import run

    run()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
