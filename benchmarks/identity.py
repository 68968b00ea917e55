"""8. Identity resolution: rule-based matching of a whole domain (two rule levels, a quarter of the profiles
duplicated), at 10 000 and at 100 000 profiles. Grouping goes through one dictionary per rule level, so ten
times the profiles should cost about ten times the time (comparing every pair would cost a hundred times);
the 100 000-profile domain must resolve within a few seconds."""

from __future__ import annotations

from typing import Any

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles
from mock_customer_profiles._handlers import identity

SECTION = "Identity resolution"
RULES = {
    "Enabled": True,
    "MatchingRules": [{"Rule": ["EmailAddress"]}, {"Rule": ["FirstName", "LastName", "Address.City"]}],
}
BUDGET_SECONDS = 5.0


def _fill(cp: Any, name: str, size: int) -> None:
    cp.create_domain(name, RuleBasedMatching=RULES)
    service = cp.service
    for i in range(size):
        n = i if i % 4 else i // 4  # every fourth profile repeats an earlier one's values
        fields = {"EmailAddress": f"p{n}@example.com", "FirstName": f"F{n % 997}", "LastName": f"L{n}"}
        fields["Address"] = {"City": f"City{n % 50}"}
        service.call("CreateProfile", {"DomainName": name, **fields})


def _resolve(cp: Any, name: str) -> int:
    domain = cp.service.backend().domains[name]
    domain.family(identity.IdentityState).cache.key = None  # recompute: no cached groups
    found, _ = identity.rule_based_groups(domain)
    return len(found)


def run(quick: bool) -> Results:
    small, large = (2_000, 20_000) if quick else (10_000, 100_000)
    results = Results()
    with mock_customer_profiles() as cp:
        _fill(cp, "small", small)
        _fill(cp, "large", large)
        assert _resolve(cp, "large") > large // 10, "the duplicated profiles must be found"
        times = compare(
            {"small": lambda: _resolve(cp, "small"), "large": lambda: _resolve(cp, "large")},
            number=1,
            rounds=3 if quick else 5,
        )
    results.figures += [
        Figure(SECTION, f"rule-based matching of {small:,} profiles", times["small"], "s"),
        Figure(SECTION, f"rule-based matching of {large:,} profiles", times["large"], "s"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            f"time at {large:,} profiles ÷ time at {small:,} (pairwise comparison would be 100)",
            times.ratio("large", "small"),
            target=15,
            higher_is_better=False,
            label="10x profiles: time x",
        ),
        Ratio(
            SECTION,
            f"rule-based matching of {large:,} profiles ÷ a {BUDGET_SECONDS:g} s budget",
            times["large"] / BUDGET_SECONDS,
            target=1,
            higher_is_better=False,
            label="100k ÷ budget",
        ),
    ]
    return results
