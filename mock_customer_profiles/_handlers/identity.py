"""Identity resolution: GetMatches, ListRuleBasedMatches, GetSimilarProfiles, GetAutoMergingPreview,
GetIdentityResolutionJob, ListIdentityResolutionJobs, and the ``Matching`` / ``RuleBasedMatching``
settings of CreateDomain and UpdateDomain.

- Rule-based matching is computed from the domain's rules by ``_matching`` (deterministic, explainable),
  at read time, cached until a profile changes.
- ML matching (``Matching``) cannot be reproduced: an identity resolution job (run when the test asks,
  ``cp.run_identity_resolution``) finds matches with fixed stand-in rules (``STAND_IN_RULES``), and the
  groups a test seeds (``cp.seed_matches``) win over them.
- Auto-merging (the job's ``AutoMerging``, and ``cp.merge_rule_based_matches`` for the rule-based
  ``MaxAllowedRuleLevelForMerging``) merges through ``merge.merge``, the code of MergeProfiles.
- Exports to S3 are recorded as ``cp.effects("S3Export")``, never sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, Profile
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.merge import merge
from mock_customer_profiles._handlers.object_types import PROFILE_TEXT_FIELDS
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._matching import (
    ADDRESS_PARTS,
    ADDRESS_TYPES,
    EMAIL_TYPES,
    MANY_TO_MANY,
    PHONE_TYPES,
    Group,
    Selector,
    groups,
    match_id,
    rule_attribute_ok,
)
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate

DOCS_PAGE = "families/identity-resolution.md"  # where the docs describe these operations (see _coverage.py)


JOB_KEEP_DAYS = 30  # JobExpirationTime: INFERRED (the model gives no period)

JOB_FLOW = Flow(
    "IdentityResolutionJob", ("PENDING", "PREPROCESSING", "FIND_MATCHING", "MERGING"), "COMPLETED", "FAILED"
)
# RuleBasedMatchingResponse.Status: "If it is a new domain, the system will skip the PENDING stage". The model
# has no failed state: a rule-based configuration made to fail (cp.fail_next) stays PENDING.
RULES_NEW_FLOW = Flow("RuleBasedMatching", ("IN_PROGRESS",), "ACTIVE", "PENDING")
RULES_CHANGED_FLOW = Flow("RuleBasedMatching", ("PENDING", "IN_PROGRESS"), "ACTIVE", "PENDING")

# The ML stand-in: the attributes GetMatches' documentation names, as three rule levels over every phone and
# email field. ConfidenceScore = 1.0 at level 1, 0.9 at level 2, 0.8 at level 3.
STAND_IN_RULES: tuple[tuple[str, ...], ...] = (
    ("EmailAddress",),
    ("PhoneNumber",),
    ("FirstName", "LastName", "BirthDate"),
)
STAND_IN_SELECTOR = Selector(MANY_TO_MANY, PHONE_TYPES, EMAIL_TYPES, ADDRESS_TYPES)
MATCH_ID_KEYS = frozenset({"_matchId", "matchId", "MatchId"})
PROFILE_ID_KEYS = frozenset({"_profileId", "profileId", "ProfileId"})
# Attributes a consolidation criterion may name (compared exactly): the profile's text fields but ProfileType.
_PLAIN_FIELDS = PROFILE_TEXT_FIELDS - {"ProfileType"}


def stand_in_score(level: int) -> float:
    return round(1.0 - 0.1 * (level - 1), 2)


@dataclass(frozen=True)
class Match:
    """One ML match group (seeded, or found by the stand-in)."""

    match_id: str
    profile_ids: tuple[str, ...]
    confidence: float


@dataclass
class Job:
    job_id: str
    run: Run
    auto_merging: dict[str, Any] | None
    exporting: dict[str, Any] | None
    stats: dict[str, int] | None = None
    message: str | None = None
    location: dict[str, Any] | None = None


class Cache:
    """Data derived from the state (recomputed when its key changes): not state itself, so a snapshot of the
    backend (tests/robust) sees one constant, and a read that fills it changes nothing."""

    __slots__ = ("key", "value")

    def __init__(self) -> None:
        self.key: Any = None
        self.value: Any = None

    def __repr__(self) -> str:
        return "Cache()"


@dataclass
class IdentityState:
    """Identity resolution of one domain."""

    touched: dict[str, int] = field(default_factory=dict)  # profile id -> when last changed (a counter)
    clock: itertools.count[int] = field(default_factory=itertools.count)
    version: int = 0  # bumped by every change of a profile: the rule-based cache is then stale
    cache: Cache = field(default_factory=Cache)  # the rule-based groups
    rules_run: Run | None = None
    seeded: list[Match] = field(default_factory=list)
    stand_in: list[Match] = field(default_factory=list)
    generated_at: dt.datetime | None = None
    jobs: dict[str, Job] = field(default_factory=dict)  # in start order

    def recency(self, profile_id: str) -> int:
        return self.touched.get(profile_id, -1)


@_changes.subscribe
def _track(ctx: Context, change: Change) -> None:
    state = change.domain.family(IdentityState)
    state.version += 1
    gone = (_changes.DELETED_BY_MERGE, _changes.EXPIRED, _changes.DELETED_BY_CUSTOMER)
    if change.action in gone and change.object_type == _changes.PROFILE_TYPE:
        state.touched.pop(change.profile_id, None)
    else:
        state.touched[change.profile_id] = next(state.clock)


_EMPTY = IdentityState()  # what a domain without identity state reads as: never written to


def _peek(domain: Domain) -> IdentityState:
    """The domain's identity state for reading, without creating it (a rejected call must change nothing)."""
    state = domain.families.get(IdentityState)
    return state if state is not None else _EMPTY


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ------------------------------------------------------------------------------ domain configuration


def _check_conflict(where: str, conflict: Mapping[str, Any] | None) -> None:
    if conflict and conflict.get("ConflictResolvingModel") == "SOURCE" and not conflict.get("SourceName"):
        raise BadRequest(f"{where}.ConflictResolution: SourceName is required when ConflictResolvingModel is SOURCE")


def _consolidation_attribute_ok(name: str) -> bool:
    if name in _PLAIN_FIELDS or rule_attribute_ok(name):
        return True
    kind, _, part = name.partition(".")
    return kind in ADDRESS_TYPES and (part in ADDRESS_PARTS or part == "Address")


def _check_consolidation(where: str, consolidation: Mapping[str, Any] | None) -> None:
    for n, criterion in enumerate((consolidation or {}).get("MatchingAttributesList", ())):
        for name in criterion:
            if not _consolidation_attribute_ok(name):
                raise BadRequest(
                    f"{where}.Consolidation.MatchingAttributesList[{n}]: {name} is not a profile attribute "
                    "(a standard field such as EmailAddress, an address part such as Address.City, or "
                    "Attributes.<key>)"
                )


def check_settings(ctx: Context, params: Params, domain: Domain | None) -> None:
    """Validate the ``Matching`` and ``RuleBasedMatching`` members of CreateDomain / UpdateDomain (before
    anything is written)."""
    matching = params.get("Matching")
    if matching is not None:
        auto = matching.get("AutoMerging") or {}
        _check_consolidation("Matching.AutoMerging", auto.get("Consolidation"))
        _check_conflict("Matching.AutoMerging", auto.get("ConflictResolution"))
    rules = params.get("RuleBasedMatching")
    if rules is None:
        return
    levels: list[list[str]] = [entry["Rule"] for entry in rules.get("MatchingRules", ())]
    if rules["Enabled"] and not levels:
        raise BadRequest("RuleBasedMatching.MatchingRules is required when rule-based matching is enabled")
    for n, rule in enumerate(levels):
        for name in rule:
            if not rule_attribute_ok(name):
                raise BadRequest(
                    f"RuleBasedMatching.MatchingRules[{n}].Rule: {name} is not an attribute a matching rule can "
                    "use (AccountNumber, Address.Address, Address.City, Address.Country, Address.County, "
                    "Address.PostalCode, Address.State, Address.Province, BirthDate, BusinessName, EmailAddress, "
                    "FirstName, Gender, LastName, MiddleName, PhoneNumber, or Attributes.<key>)"
                )
        if len(set(rule)) != len(rule):
            raise BadRequest(f"RuleBasedMatching.MatchingRules[{n}].Rule names an attribute more than once")
    for member in ("MaxAllowedRuleLevelForMatching", "MaxAllowedRuleLevelForMerging"):
        if member in rules and rules[member] > len(levels):
            raise BadRequest(f"RuleBasedMatching.{member} is {rules[member]}, but there are {len(levels)} rule levels")
    if rules.get("MaxAllowedRuleLevelForMerging", 0) > rules.get("MaxAllowedRuleLevelForMatching", 15):
        raise BadRequest(
            "RuleBasedMatching.MaxAllowedRuleLevelForMerging cannot be above MaxAllowedRuleLevelForMatching: "
            "only matched profiles are merged"
        )
    selector = rules.get("AttributeTypesSelector") or {}
    for member, allowed in (("PhoneNumber", PHONE_TYPES), ("EmailAddress", EMAIL_TYPES), ("Address", ADDRESS_TYPES)):
        for value in selector.get(member, ()):
            if value not in allowed:
                raise BadRequest(
                    f"RuleBasedMatching.AttributeTypesSelector.{member}: {value} is not one of {', '.join(allowed)}"
                )
    _check_conflict("RuleBasedMatching", rules.get("ConflictResolution"))
    if domain is not None:
        run = _peek(domain).rules_run
        if run is not None and _in_progress(run):
            raise BadRequest(
                f"The rule-based matching of domain {domain.name} is IN_PROGRESS: its configuration cannot "
                "change until it is ACTIVE"
            )


def settings_changed(ctx: Context, domain: Domain, params: Params, *, created: bool) -> None:
    """After CreateDomain / UpdateDomain stored ``params``: start the rule-based status, drop pending jobs."""
    state = domain.family(IdentityState)
    rules = params.get("RuleBasedMatching")
    if rules is not None:
        if state.rules_run is not None:
            ctx.jobs.forget(state.rules_run)
        state.rules_run = (
            ctx.jobs.start(RULES_NEW_FLOW if created else RULES_CHANGED_FLOW) if rules["Enabled"] else None
        )
        state.cache.key = None
    matching = params.get("Matching")
    if matching is not None and not matching["Enabled"]:
        # "If you turn off the Identity Resolution feature in your domain, jobs in the PENDING state are deleted."
        for job_id, job in list(state.jobs.items()):
            if not job.run.finished and job.run.state == "PENDING":
                ctx.jobs.forget(job.run)
                del state.jobs[job_id]


def _in_progress(run: Run) -> bool:
    """Whether the rule-based status is still IN_PROGRESS. A stepped run already read once is read (and so
    finishes); otherwise it is not read, so that the refused call changes nothing."""
    if not run.finished and run.mode == "stepped" and run.reads >= 1:
        run.observe()
    return not run.finished and run.state == "IN_PROGRESS"


def rule_based_status(domain: Domain) -> str | None:
    """The Status of the domain's RuleBasedMatching (a read: it moves the lifecycle)."""
    run = _peek(domain).rules_run
    return run.observe() if run is not None else None


# ------------------------------------------------------------------------------------ matching


def _rules(domain: Domain) -> dict[str, Any] | None:
    rules = domain.config.get("RuleBasedMatching")
    return rules if rules and rules.get("Enabled") else None


def _fields(domain: Domain) -> dict[str, Mapping[str, Any]]:
    return {profile_id: profile.fields for profile_id, profile in domain.profiles.items()}


def rule_based_groups(domain: Domain) -> tuple[list[Group], dict[str, Group]]:
    """The domain's rule-based match groups, and each grouped profile's group (cached until a change)."""
    rules = _rules(domain)
    if rules is None:
        raise BadRequest(f"Rule-based matching is not enabled for domain {domain.name}")
    state = domain.family(IdentityState)
    key = (state.version, len(domain.profiles), repr(rules))
    if state.cache.key == key:
        cached: tuple[list[Group], dict[str, Group]] = state.cache.value
        return cached
    levels = [entry["Rule"] for entry in rules["MatchingRules"]]
    found = groups(
        _fields(domain),
        levels,
        Selector.of(rules.get("AttributeTypesSelector")),
        rules.get("MaxAllowedRuleLevelForMatching"),
    )
    by_profile = {profile_id: group for group in found for profile_id in group.profile_ids}
    state.cache.key, state.cache.value = key, (found, by_profile)
    return found, by_profile


def ml_matches(domain: Domain) -> list[Match]:
    """The current ML matches: the seeded groups, then the stand-in's groups without the seeded profiles;
    profiles deleted or merged away since are left out, and groups of fewer than two dropped."""
    state = _peek(domain)
    seeded_ids = {profile_id for match in state.seeded for profile_id in match.profile_ids}
    out: list[Match] = []
    for match in state.seeded:
        ids = tuple(profile_id for profile_id in match.profile_ids if profile_id in domain.profiles)
        if len(ids) > 1:
            out.append(dataclasses.replace(match, profile_ids=ids))
    for match in state.stand_in:
        ids = tuple(p for p in match.profile_ids if p in domain.profiles and p not in seeded_ids)
        if len(ids) > 1:
            out.append(
                Match(match.match_id if ids == match.profile_ids else match_id("ml", ids), ids, match.confidence)
            )
    return out


def seed_matches(ctx: Context, domain: Domain, profile_groups: Sequence[Sequence[str]], confidence: float) -> list[str]:
    """``cp.seed_matches``: add ML match groups that win over the stand-in; returns their MatchIds."""
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise ValueError(f"mock_customer_profiles: confidence must be a number from 0 to 1, not {confidence!r}")
    state = domain.family(IdentityState)
    taken = {profile_id for match in state.seeded for profile_id in match.profile_ids}
    new: list[Match] = []
    for n, group in enumerate(profile_groups):
        ids = tuple(group)
        if isinstance(group, str) or len(ids) < 2:
            raise ValueError(
                f"mock_customer_profiles: match group {n} must list two or more profile ids, not {group!r}"
            )
        for profile_id in ids:
            if profile_id not in domain.profiles:
                raise ValueError(
                    f"mock_customer_profiles: match group {n} names profile {profile_id!r}, "
                    f"which is not in domain {domain.name}"
                )
            if profile_id in taken:
                raise ValueError(f"mock_customer_profiles: profile {profile_id!r} is already in a seeded match group")
            taken.add(profile_id)
        new.append(Match(match_id("seeded", ids), ids, float(confidence)))
    state.seeded.extend(new)
    state.generated_at = _now()
    return [match.match_id for match in new]


# --------------------------------------------------------------------------------------- merging


def _value(profile: Profile, attribute: str) -> Any:
    fields = profile.fields
    if attribute.startswith("Attributes."):
        return (fields.get("Attributes") or {}).get(attribute[len("Attributes.") :])
    kind, _, part = attribute.partition(".")
    if part:
        address = fields.get(kind) or {}
        if part == "Address":
            street = [address[n] for n in ("Address1", "Address2", "Address3", "Address4") if address.get(n)]
            return " ".join(street) or None
        return address.get(part)
    return fields.get(attribute)


def _order(domain: Domain, profiles: list[Profile], conflict: Mapping[str, Any] | None) -> list[Profile]:
    """Most preferred first: the main profile, then the merged ones in the order their values win.
    RECENCY: the most recently changed profile first. SOURCE: the profile with the most recently ingested
    object of type ``SourceName`` first, then by recency ("If two duplicate profiles are from the same
    source, then RECENCY is used again")."""
    state = _peek(domain)
    source = conflict.get("SourceName") if conflict and conflict.get("ConflictResolvingModel") == "SOURCE" else None

    def rank(profile: Profile) -> tuple[int, int]:
        latest = -1
        if source is not None:
            latest = max((obj.seq for obj in profile.objects.get(source, {}).values()), default=-1)
        return (latest, state.recency(profile.profile_id))

    return sorted(profiles, key=rank, reverse=True)


def _merge_sets(
    domain: Domain, ids: Sequence[str], consolidation: Mapping[str, Any] | None, conflict: Mapping[str, Any] | None
) -> list[list[Profile]]:
    """The sets of profiles of one match group that auto-merging merges (each main profile first). With
    ``Consolidation``, profiles join when all attributes of one criterion have exactly equal values (the
    criteria are ORed); without it, the whole group is one set."""
    profiles = [domain.profiles[profile_id] for profile_id in ids if profile_id in domain.profiles]
    criteria = (consolidation or {}).get("MatchingAttributesList")
    if not criteria:
        sets = [profiles]
    else:
        parent = list(range(len(profiles)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for criterion in criteria:
            first: dict[tuple[Any, ...], int] = {}
            for i, profile in enumerate(profiles):
                values = tuple(_value(profile, name) for name in criterion)
                if any(value in (None, "") for value in values):
                    continue
                j = first.setdefault(values, i)
                parent[find(i)] = find(j)
        by_root: dict[int, list[Profile]] = {}
        for i, profile in enumerate(profiles):
            by_root.setdefault(find(i), []).append(profile)
        sets = list(by_root.values())
    return [_order(domain, found, conflict) for found in sets if len(found) > 1]


def _merge_all(ctx: Context, domain: Domain, sets: list[list[Profile]]) -> tuple[int, list[str]]:
    """Merge each set through MergeProfiles' code; returns the merges done and the reasons of those refused."""
    done, refused = 0, []
    for profiles in sets:
        main, *others = profiles
        try:
            merge(ctx, domain, main, others)
        except BadRequest as error:
            refused.append(error.message)
            continue
        done += len(others)
    return done, refused


def merge_rule_based(ctx: Context, domain: Domain) -> list[str]:
    """``cp.merge_rule_based_matches``: merge the groups that rule levels up to MaxAllowedRuleLevelForMerging
    form (none without it); returns the ids of the main profiles."""
    rules = _rules(domain)
    if rules is None:
        raise ValueError(f"mock_customer_profiles: rule-based matching is not enabled for domain {domain.name}")
    level = rules.get("MaxAllowedRuleLevelForMerging")
    if level is None:
        return []
    levels = [entry["Rule"] for entry in rules["MatchingRules"]]
    found = groups(_fields(domain), levels, Selector.of(rules.get("AttributeTypesSelector")), level)
    sets = [
        _order(domain, [domain.profiles[p] for p in group.profile_ids], rules.get("ConflictResolution"))
        for group in found
    ]
    _merge_all(ctx, domain, sets)
    return [profiles[0].profile_id for profiles in sets if profiles[0].profile_id in domain.profiles]


# ------------------------------------------------------------------------------------------ jobs


def start_job(ctx: Context, domain: Domain) -> Job:
    """``cp.run_identity_resolution``: the domain's scheduled identity resolution job, started now."""
    matching = domain.config.get("Matching")
    if not matching or not matching.get("Enabled"):
        raise ValueError(
            f"mock_customer_profiles: domain {domain.name} has no identity resolution job: Matching is not enabled"
        )
    auto = matching.get("AutoMerging")
    exporting = (matching.get("ExportingConfig") or {}).get("S3Exporting")
    job_id = uuid.uuid4().hex
    state = domain.family(IdentityState)

    def work(run: Run) -> None:
        _do_job(ctx, domain, state.jobs[job_id], run)

    # The run may finish at once (lifecycle "instant"), so the job is registered before it starts.
    job = Job(job_id, Run(JOB_FLOW, "manual"), dict(auto) if auto else None, dict(exporting) if exporting else None)
    state.jobs[job_id] = job
    job.run = ctx.jobs.start(JOB_FLOW, on_done=work)
    return job


def _do_job(ctx: Context, domain: Domain, job: Job, run: Run) -> None:
    state = domain.family(IdentityState)
    reviewed = len(domain.profiles)
    found = groups(_fields(domain), STAND_IN_RULES, STAND_IN_SELECTOR, kind="ml")
    state.stand_in = [Match(group.match_id, group.profile_ids, stand_in_score(group.rule_level)) for group in found]
    state.generated_at = _now()
    matches = ml_matches(domain)
    merges, refused = 0, list[str]()
    auto = job.auto_merging
    if auto and auto.get("Enabled"):
        minimum = auto.get("MinAllowedConfidenceScoreForMerging", 0.0)
        sets = [
            profiles
            for match in matches
            if match.confidence >= minimum
            for profiles in _merge_sets(
                domain, match.profile_ids, auto.get("Consolidation"), auto.get("ConflictResolution")
            )
        ]
        merges, refused = _merge_all(ctx, domain, sets)
    job.stats = {
        "NumberOfProfilesReviewed": reviewed,
        "NumberOfMatchesFound": len(matches),
        "NumberOfMergesDone": merges,
    }
    if refused:
        run.state = "PARTIAL_SUCCESS"
        job.message = f"{len(refused)} merge(s) not done: {refused[0]}"[:2048]
    if job.exporting:
        bucket = job.exporting["S3BucketName"]
        prefix = job.exporting.get("S3KeyName")
        key = f"{prefix.rstrip('/')}/{job.job_id}" if prefix else job.job_id
        job.location = {"S3Exporting": {"S3BucketName": bucket, "S3KeyName": key}}
        body = [
            {"MatchId": m.match_id, "ProfileIds": list(m.profile_ids), "ConfidenceScore": m.confidence} for m in matches
        ]
        ctx.effects.record(
            "S3Export",
            {
                "source": "IdentityResolutionJob",
                "domain": domain.name,
                "job_id": job.job_id,
                "bucket": bucket,
                "key": key,
                "matches": body,
            },
        )


def _job_view(domain: Domain, job: Job, full: bool) -> dict[str, Any]:
    run = job.run
    out: dict[str, Any] = {
        "DomainName": domain.name,
        "JobId": job.job_id,
        "Status": run.observe(),
        "JobStartTime": run.started_at,
    }
    if run.finished_at is not None:
        out["JobEndTime"] = run.finished_at
    message = run.failure_reason or job.message
    if message:
        out["Message"] = message[:2048]
    if job.stats is not None:
        out["JobStats"] = dict(job.stats)
    if job.location is not None:
        out["ExportingLocation"] = job.location
    if full:
        out["LastUpdatedAt"] = run.updated_at
        out["JobExpirationTime"] = run.started_at + dt.timedelta(days=JOB_KEEP_DAYS)
        if job.auto_merging is not None:
            out["AutoMerging"] = job.auto_merging
    return out


# -------------------------------------------------------------------------------------- handlers


@handler("GetIdentityResolutionJob", keeps_params=False)
def get_identity_resolution_job(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    job = _peek(domain).jobs.get(params["JobId"])
    if job is None:
        raise NotFound(f"Identity resolution job {params['JobId']} not found in domain {domain.name}")
    return _job_view(domain, job, full=True)


@handler("ListIdentityResolutionJobs", keeps_params=False)
def list_identity_resolution_jobs(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _peek(domain)
    jobs = list(state.jobs.values())
    order = {job.job_id: n for n, job in enumerate(jobs)}
    newest_first = [job.job_id for job in reversed(jobs)]  # "sorts the list by JobStartTime": newest first
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListIdentityResolutionJobs", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [j for j in newest_first if after is None or order[j] < after],
        lambda job_id: order[job_id],
    )
    return {"IdentityResolutionJobsList": [_job_view(domain, state.jobs[j], full=False) for j in page], **more}


@handler("GetMatches", keeps_params=False)
def get_matches(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _peek(domain)
    matches = sorted(ml_matches(domain), key=lambda match: match.match_id)
    page, more = paginate(
        ctx.backend.token_secret,
        ["GetMatches", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [m for m in matches if after is None or m.match_id > after],
        lambda match: match.match_id,
    )
    out: dict[str, Any] = {
        "Matches": [
            {"MatchId": m.match_id, "ProfileIds": list(m.profile_ids), "ConfidenceScore": m.confidence} for m in page
        ],
        "PotentialMatches": len(matches),
        **more,
    }
    if state.generated_at is not None:
        out["MatchGenerationDate"] = state.generated_at
    return out


@handler("ListRuleBasedMatches", keeps_params=False)
def list_rule_based_matches(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    found, _ = rule_based_groups(domain)
    ids = sorted(group.match_id for group in found)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListRuleBasedMatches", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [m for m in ids if after is None or m > after],
        str,
    )
    return {"MatchIds": page, **more}


@handler("GetSimilarProfiles", keeps_params=False)
def get_similar_profiles(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    key, value, match_type = params["SearchKey"], params["SearchValue"], params["MatchType"]
    rule_based = match_type == "RULE_BASED_MATCHING"
    entries: list[tuple[str, tuple[str, ...], int | None, float | None]]
    if rule_based:
        found, by_profile = rule_based_groups(domain)
        entries = [(g.match_id, g.profile_ids, g.rule_level, None) for g in found]
    else:
        entries = [(m.match_id, m.profile_ids, None, m.confidence) for m in ml_matches(domain)]
        by_profile = {}
    by_id = {entry[0]: entry for entry in entries}
    chosen: set[str] = set()
    if key in MATCH_ID_KEYS:
        if value in by_id:
            chosen.add(value)
    else:
        profile_ids = domain.index.lookup("_profileId" if key in PROFILE_ID_KEYS else key, value)
        owner = (
            {p: entry[0] for entry in entries for p in entry[1]}
            if not rule_based
            else {p: g.match_id for p, g in by_profile.items()}
        )
        chosen = {owner[p] for p in profile_ids if p in owner}
        if len(chosen) > 1:
            raise BadRequest(
                f"{key} = {value} finds profiles of {len(chosen)} different match groups; use a ProfileId or a MatchId"
            )
    out: dict[str, Any] = {"MatchType": match_type, "ProfileIds": []}
    if not chosen:
        return out
    entry = by_id[chosen.pop()]
    ids = list(entry[1])
    page, more = paginate(
        ctx.backend.token_secret,
        ["GetSimilarProfiles", domain.name, match_type, entry[0]],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: ids[after:] if after is not None else ids,
        lambda profile_id: ids.index(profile_id) + 1,
    )
    out.update(ProfileIds=page, MatchId=entry[0], **more)
    if entry[2] is not None:
        out["RuleLevel"] = entry[2]
    if entry[3] is not None:
        out["ConfidenceScore"] = entry[3]
    return out


@handler("GetAutoMergingPreview", keeps_params=False)
def get_auto_merging_preview(ctx: Context, params: Params) -> Output:
    """What auto-merging with these settings would do to the current ML matches (all of them are the
    "sample"), without doing it. NumberOfProfilesWillBeMerged counts the profiles merged into another."""
    domain = ctx.domain(params["DomainName"])
    _check_consolidation("", params["Consolidation"])
    _check_conflict("", params["ConflictResolution"])
    minimum = params.get("MinAllowedConfidenceScoreForMerging", 0.0)
    matches = ml_matches(domain)
    merged = 0
    for match in matches:
        if match.confidence >= minimum:
            for profiles in _merge_sets(
                domain, match.profile_ids, params["Consolidation"], params["ConflictResolution"]
            ):
                merged += len(profiles) - 1
    return {
        "DomainName": domain.name,
        "NumberOfMatchesInSample": len(matches),
        "NumberOfProfilesInSample": sum(len(match.profile_ids) for match in matches),
        "NumberOfProfilesWillBeMerged": merged,
    }
