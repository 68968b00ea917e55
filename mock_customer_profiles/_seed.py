"""Seed documents: what ``load(path_or_mapping)`` and the marker's ``seed=`` take.

A document is checked twice before anything is stored: against the published structural schema
(``seed.schema.json``, shipped in the package) and, entry by entry, against the input shape of the
operation that will store it (compiled from botocore's model, as for wire calls). Every problem is
reported with the path of its entry, e.g. ``domains[0].profiles[3].Gender``. The entries then run
through the very handlers that answer wire calls; if one is rejected there, the domains created by
this load are deleted again, so a load stores all of the document or nothing.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_customer_profiles._errors import ServiceError
from mock_customer_profiles._links import README_SEEDING
from mock_customer_profiles._model import operation_names
from mock_customer_profiles._schema import input_validator
from mock_customer_profiles._words import PREFIX, bullets, did_you_mean

if TYPE_CHECKING:
    from mock_customer_profiles._service import Service

SCHEMA_RESOURCE = "seed.schema.json"
DEFAULT_EXPIRATION_DAYS = 365
MAX_BULLETS = 20
MAX_BULLET_CHARS = 240
# In the order they are stored: calculated attribute definitions before the profiles and objects, so that
# seeded objects count in their values (objects ingested before a definition count only with UseHistoricalData);
# segment definitions after the calculated attributes their dimensions name (membership is computed when asked);
# the configuration resources (event triggers, which may name segments, integrations, streams) after the data,
# so that a seeded stream or trigger starts from the seeded state instead of recording its seeding.
_LISTS = {
    "objectTypes": "PutProfileObjectType",
    "calculatedAttributes": "CreateCalculatedAttributeDefinition",
    "segmentDefinitions": "CreateSegmentDefinition",
    "profiles": "CreateProfile",
    "objects": "PutProfileObject",
    "eventTriggers": "CreateEventTrigger",
    "integrations": "PutIntegration",
    "eventStreams": "CreateEventStream",
    # the jobs family's configuration resources (docs/families/jobs.md)
    "layouts": "CreateDomainLayout",
    "domainObjectTypes": "PutDomainObjectType",
}
# Identity resolution and recommenders: schemas, filters and recommenders are operations; seeded matches and
# recommendations are the mock's helpers (cp.seed_matches, cp.seed_recommendations), applied after the
# operations, with profiles named by their index in the domain's ``profiles`` list.
_LISTS.update(
    recommenderSchemas="CreateRecommenderSchema",
    recommenderFilters="CreateRecommenderFilter",
    recommenders="CreateRecommender",
)
_HELPER_LISTS = ("matches", "recommendations")

SeedSource = str | os.PathLike[str] | Mapping[str, Any]


class SeedError(ValueError):
    """A seed document that cannot be loaded; the message names every bad entry by its path."""


@functools.cache
def seed_schema() -> dict[str, Any]:
    """The published JSON Schema of a seed document (``mock_customer_profiles/seed.schema.json``)."""
    text = resources.files("mock_customer_profiles").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class Step:
    """One entry of the document as the operation call that stores it."""

    path: str
    operation: str
    params: dict[str, Any]


@dataclass(frozen=True)
class SeedDocument:
    """A validated seed document, ready to be applied to any number of fresh mocks."""

    source: str
    steps: tuple[Step, ...]
    helpers: tuple[Step, ...] = ()  # seeded matches and recommendations (see _HELPER_LISTS)

    def apply(self, service: Service) -> dict[str, list[str]]:
        """Store every entry; returns, per domain, the ids of the profiles its ``profiles`` entries
        created, in document order."""
        created: list[str] = []
        ids: dict[str, list[str]] = {}
        step: Step | None = None
        try:
            for step in self.steps:
                output = service.call(step.operation, step.params)
                domain = step.params["DomainName"]
                if step.operation == "CreateDomain":
                    created.append(domain)
                    ids[domain] = []
                elif step.operation == "CreateProfile":
                    ids[domain].append(output["ProfileId"])
            for step in self.helpers:
                _apply_helper(service, step, ids[step.params["DomainName"]])
        except ServiceError as error:
            _undo(service, created)
            assert step is not None
            raise SeedError(
                f"{PREFIX} the seed document{self.source} was not loaded: {step.operation} rejected "
                f"{step.path} (see {README_SEEDING}):\n{bullets([f'{error.code}: {error.message}'])}"
            ) from None
        except BaseException:
            _undo(service, created)
            raise
        return ids


def _undo(service: Service, domains: Iterable[str]) -> None:
    for name in domains:
        service.call("DeleteDomain", {"DomainName": name})


def caller_file() -> str | None:
    """The file of the code that called into this package (the one that names a seed path), if it is a file."""
    frame = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).partition(".")[0] == "mock_customer_profiles":
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:  # pragma: no cover - there is always a caller outside the package
        return None
    name = frame.f_code.co_filename
    return name if os.path.isfile(name) else None


def read(source: SeedSource | SeedDocument, named_in: str | None = None) -> SeedDocument:
    """Read and validate a seed document: a JSON file path (``str`` or ``pathlib.Path``) or a mapping.

    A relative path is relative to the directory of ``named_in`` (the file whose code names it), else to
    the working directory (a REPL, ``python -c``)."""
    if isinstance(source, SeedDocument):
        return source
    if isinstance(source, Mapping):
        label = ""
        try:
            document = json.loads(json.dumps(source))
        except (TypeError, ValueError) as error:
            raise SeedError(f"{PREFIX} the seed mapping is not JSON data (see {README_SEEDING}):\n- {error}") from None
    elif isinstance(source, (str, os.PathLike)):
        label = f" {os.fspath(source)}"
        text = _read_text(Path(source), named_in)
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise SeedError(
                f"{PREFIX} the seed document{label} is not JSON (see {README_SEEDING}):\n"
                f"- line {error.lineno} column {error.colno}: {error.msg}"
            ) from None
    else:
        raise TypeError(
            f"{PREFIX} a seed document is a JSON file path (str or pathlib.Path) or a mapping, "
            f"not {type(source).__name__} (see {README_SEEDING})"
        )
    problems = _structure_problems(document)
    steps: list[Step] = []
    if not problems:
        problems = _helper_problems(document)
    if not problems:
        steps = _steps(document)
        for step in steps:
            problems.extend(_entry_problems(step))
    if problems:
        shown = [_clip(line) for line in problems[:MAX_BULLETS]]
        if len(problems) > MAX_BULLETS:
            shown.append(f"... and {len(problems) - MAX_BULLETS} more")
        raise SeedError(f"{PREFIX} the seed document{label} is invalid (see {README_SEEDING}):\n{bullets(shown)}")
    return SeedDocument(label, tuple(steps), tuple(_helper_steps(document)) if not problems else ())


def _read_text(given: Path, named_in: str | None) -> str:
    path = given if given.is_absolute() else (Path(named_in).parent if named_in else Path.cwd()) / given
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        where = f"the directory of {named_in}, the file that names it" if named_in else "the working directory"
        raise SeedError(
            f"{PREFIX} the seed document {os.fspath(given)} cannot be read: {error.strerror or error} "
            f"(see {README_SEEDING}):\n"
            + bullets([f"looked for {path.resolve()}", f"a relative path is relative to {where}"])
        ) from None


def _steps(document: Mapping[str, Any]) -> list[Step]:
    steps: list[Step] = []
    for d, domain in enumerate(document["domains"]):
        name = domain["DomainName"]
        config = {key: value for key, value in domain.items() if key not in _LISTS and key not in _HELPER_LISTS}
        config.setdefault("DefaultExpirationDays", DEFAULT_EXPIRATION_DAYS)
        steps.append(Step(f"domains[{d}]", "CreateDomain", config))
        for key, operation in _LISTS.items():
            for n, entry in enumerate(domain.get(key, ())):
                params = {"DomainName": name, **entry}
                if operation == "PutProfileObject" and isinstance(entry["Object"], dict):
                    params["Object"] = json.dumps(entry["Object"])
                steps.append(Step(f"domains[{d}].{key}[{n}]", operation, params))
    return steps


def _helper_steps(document: Mapping[str, Any]) -> list[Step]:
    steps: list[Step] = []
    for d, domain in enumerate(document["domains"]):
        for key in _HELPER_LISTS:
            for n, entry in enumerate(domain.get(key, ())):
                steps.append(Step(f"domains[{d}].{key}[{n}]", key, {"DomainName": domain["DomainName"], **entry}))
    return steps


def _helper_problems(document: Mapping[str, Any]) -> list[str]:
    """Profile indexes that name no entry of the domain's ``profiles``."""
    problems = []
    for step in _helper_steps(document):
        count = len(
            next(d for d in document["domains"] if d["DomainName"] == step.params["DomainName"]).get("profiles", ())
        )
        indexes = step.params["profiles"] if step.operation == "matches" else [step.params["profile"]]
        problems += [
            f"{step.path}: profile index {i} names no entry of profiles ({count})" for i in indexes if i >= count
        ]
    return problems


def _apply_helper(service: Service, step: Step, ids: list[str]) -> None:
    from mock_customer_profiles._handlers import identity, recommenders

    params = step.params
    with service.lock:
        ctx = service.context()
        domain = ctx.domain(params["DomainName"])
        try:
            if step.operation == "matches":
                group = [ids[i] for i in params["profiles"]]
                identity.seed_matches(ctx, domain, [group], params.get("ConfidenceScore", 1.0))
            else:
                items = params["items"]
                recommenders.seed_recommendations(domain, params["RecommenderName"], ids[params["profile"]], items)
        except ValueError as error:
            raise SeedError(f"{PREFIX} {step.path}: {error}") from None


# ------------------------------------------------------------------------------------------- problems


@functools.cache
def _structure_check() -> Any:
    import fastjsonschema

    return fastjsonschema.compile(seed_schema())


def _structure_problems(document: Any) -> list[str]:
    import fastjsonschema
    import jsonschema

    try:
        _structure_check()(document)
    except fastjsonschema.JsonSchemaException:
        validator = jsonschema.Draft7Validator(seed_schema())
        return [line for error in _sorted(validator.iter_errors(document)) for line in _problems("", error, None)]
    return []


def _entry_problems(step: Step) -> list[str]:
    if step.operation not in operation_names():  # a list of a family newer than the installed botocore
        import botocore

        key = step.path.rpartition(".")[2].partition("[")[0]
        return [
            f"{step.path}: botocore {botocore.__version__} has no {step.operation} in its service model: "
            f"the seed list {key} needs a newer botocore"
        ]
    validator = input_validator(step.operation)
    try:
        validator.check(step.params)
    except ServiceError:
        errors = validator.reference.iter_errors(step.params)
        # An entry's DomainName is its domain's: a bad one is reported once, on the domain.
        return [
            line
            for error in _sorted(errors)
            if step.operation == "CreateDomain" or list(error.absolute_path)[:1] != ["DomainName"]
            for line in _problems(step.path, error, step.operation)
        ]
    return []


def _sorted(errors: Iterable[Any]) -> list[Any]:
    return sorted(errors, key=lambda error: [str(part) for part in error.absolute_path])


def _path(base: str, parts: Sequence[Any]) -> str:
    text = base
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def _problems(base: str, error: Any, operation: str | None) -> list[str]:
    """One line per problem, each starting with the path of the member it is about."""
    parts = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        if operation == "CreateDomain":
            known |= set(_LISTS) | set(_HELPER_LISTS)
        owner = f"a member of {operation}" if operation else "allowed here"
        return [
            f"{_path(base, [*parts, name])}: not {owner}{did_you_mean(name, known)}"
            for name in error.instance
            if name not in known
        ]
    if error.validator == "required":
        owner = f" (required by {operation})" if operation else " (required)"
        return [
            f"{_path(base, [*parts, name])}: missing{owner}"
            for name in error.validator_value
            if name not in error.instance
        ]
    message = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if error.validator == "pattern":
        message = f"{error.instance!r} does not match {_model_pattern(str(error.validator_value))}"
    return [f"{_path(base, parts)}: {message or error.message}"]


def _clip(line: str) -> str:
    return line if len(line) <= MAX_BULLET_CHARS else line[: MAX_BULLET_CHARS - 3] + "..."


def _model_pattern(pattern: str) -> str:
    """The pattern as the model writes it (the validator anchors a final ``$`` as ``\\Z``)."""
    return pattern[:-2] + "$" if pattern.endswith("\\Z") else pattern
