"""The robustness suite's judge: what botocore's service model says about a request or an answer, read
from the shapes' metadata by a small walker of its own.

The package's schema compiler and output validator are what the suite tests, so nothing here imports
them: a constraint the compiler dropped would otherwise pass unseen, judged by the same dropped rule. The
rules are the model's (``required``, ``min``/``max``, ``pattern``, ``enum``, tagged unions, member types,
no unknown members) with the wire's conventions: a JSON body holds members under their serialized names,
timestamps as epoch seconds (years 1 to 9999), blobs as base64 text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
from typing import Any

_UTC = dt.timezone.utc
EARLIEST = dt.datetime(1, 1, 1, tzinfo=_UTC).timestamp()
LATEST = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=_UTC).timestamp()

JSON_KIND = {
    "string": "string",
    "blob": "string",
    "boolean": "boolean",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "timestamp": "number",
    "structure": "object",
    "map": "object",
    "list": "array",
    "document": "any",
}


def wire_members(shape: Any) -> dict[str, tuple[str, Any]]:
    """A structure's members by the key they have on the wire: the member name for a uri, query or header
    member, the serialized name (``locationName``) in a JSON body. ``{key: (member name, shape)}``."""
    members: dict[str, tuple[str, Any]] = {}
    for name, member in shape.members.items():
        key = name if member.serialization.get("location") else member.serialization.get("name", name)
        members[str(key)] = (name, member)
    return members


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    # A model pattern is searched, not implicitly anchored; its "$" is the end of the text (Python's "$"
    # would also accept a final newline before it).
    return re.compile(text[:-1] + r"\Z" if text.endswith("$") and not text.endswith("\\$") else text)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounded(what: str, size: float, meta: dict[str, Any], path: str) -> list[str]:
    if "min" in meta and size < meta["min"]:
        return [f"{path}: {what} {size} is below the model's min {meta['min']}"]
    if "max" in meta and size > meta["max"]:
        return [f"{path}: {what} {size} is above the model's max {meta['max']}"]
    return []


def problems(shape: Any, value: Any, path: str = "$") -> list[str]:
    """Every way ``value`` (wire form: JSON values under wire names) breaks ``shape``; ``[]`` when it fits."""
    if shape is None:
        return [] if value == {} else [f"{path}: the operation takes no input"]
    kind = shape.type_name
    meta = shape.metadata
    if kind == "document" or shape.serialization.get("jsonvalue"):
        return []  # any JSON value
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        members = wire_members(shape)
        found = [f"{path}.{key}: not a member of {shape.name}" for key in value if key not in members]
        for key, (name, member) in members.items():
            if key in value:
                found.extend(problems(member, value[key], f"{path}.{key}"))
            elif name in shape.required_members:
                found.append(f"{path}.{key}: required by {shape.name}")
        if meta.get("union") and len(value) != 1:
            found.append(f"{path}: a tagged union takes exactly one member, not {len(value)}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not an array"]
        found = _bounded("length", len(value), meta, path)
        for index, item in enumerate(value):
            found.extend(problems(shape.member, item, f"{path}[{index}]"))
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        found = _bounded("size", len(value), meta, path)
        for key, item in value.items():
            found.extend(problems(shape.key, key, f"{path} key {key!r}"))
            found.extend(problems(shape.value, item, f"{path}[{key!r}]"))
        return found
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: not a string"]
        found = _bounded("length", len(value), meta, path)
        if "pattern" in meta and not _pattern(meta["pattern"]).search(value):
            found.append(f"{path}: {value!r} does not match {meta['pattern']}")
        if shape.enum and value not in shape.enum:
            found.append(f"{path}: {value!r} is not one of {shape.enum}")
        return found
    if kind == "blob":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            return [f"{path}: not base64 text"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: not a boolean"]
    if kind in ("integer", "long"):
        return _bounded("value", value, meta, path) if _integer(value) else [f"{path}: not an integer"]
    if kind in ("float", "double"):
        return _bounded("value", value, meta, path) if _number(value) else [f"{path}: not a number"]
    if kind == "timestamp":
        if not _number(value):
            return [f"{path}: not epoch seconds"]
        return [] if EARLIEST <= value <= LATEST else [f"{path}: {value} is outside the years 1 to 9999"]
    raise AssertionError(f"the oracle does not know the shape kind {kind!r} ({path})")
