"""On-demand benchmarks of mock_customer_profiles: ``python -m benchmarks`` (see docs/performance.md).

Never part of the unit tests: pytest collects only ``tests/``. Every figure is measured in one run, side
by side with the alternatives, and printed as raw numbers plus the ratios that the targets speak about.
"""
