"""Shapes of the service model compiled to JSON Schema, and the validation every request goes through.

botocore validates only ``required``, types and ``min`` on the client, and nothing at all with
``Config(parameter_validation=False)``; the server side is ours: every ``max``, ``pattern``, ``enum``,
list and map size and unknown member is checked here, with the message AWS services use:
``1 validation error detected: Value 'XOR' at 'logicalOperator' failed to satisfy constraint: ...``.

Two validators run from one schema: a compiled ``fastjsonschema`` function answers "valid?" on the hot
path; only when it says no does ``jsonschema`` (the reference) walk the request to name every failure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._model import operation_model

if TYPE_CHECKING:
    from mock_customer_profiles._model import Shape

Schema = dict[str, Any]

_JSON_TYPES = {
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
}
REDACTED = "*** Sensitive Data Redacted ***"
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z"
EPOCH_RANGE = (-62135596800, 253402300799)  # 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z


def _strict_pattern(pattern: str) -> str:
    """Python's ``$`` also matches before a final newline; the end of a model pattern means the end."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


class _Compiler:
    def __init__(self) -> None:
        self.definitions: dict[str, Schema] = {}

    def shape(self, shape: Shape) -> Schema:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            if shape.name not in self.definitions:
                self.definitions[shape.name] = {}  # placeholder: recursive shapes refer to it
                members = wire_members(shape)
                body: Schema = {
                    "type": "object",
                    "properties": {wire: self.shape(member) for wire, (_, member) in members.items()},
                    "additionalProperties": False,
                }
                required = [wire for wire, (name, _) in members.items() if name in shape.required_members]
                if required:
                    body["required"] = required
                if meta.get("union"):  # a tagged union: exactly one member is set
                    body["minProperties"] = body["maxProperties"] = 1
                self.definitions[shape.name] = body
            return {"$ref": f"#/definitions/{shape.name}"}
        if kind == "document" or shape.serialization.get("jsonvalue"):
            return {}  # any JSON value (a header ``jsonvalue`` travels as base64-encoded JSON)
        schema: Schema = {"type": _JSON_TYPES[kind]}
        if kind == "list":
            schema["items"] = self.shape(shape.member)
            _bounds(schema, meta, "minItems", "maxItems")
        elif kind == "map":
            schema["additionalProperties"] = self.shape(shape.value)
            key_schema = self.shape(shape.key)
            if len(key_schema) > 1:
                schema["propertyNames"] = key_schema
            _bounds(schema, meta, "minProperties", "maxProperties")
        elif kind == "blob":  # base64 text; the model's bounds count bytes, which a schema cannot see here
            schema["pattern"] = BASE64
        elif kind == "timestamp":  # epoch seconds of a datetime: the years 1 to 9999
            schema["minimum"], schema["maximum"] = EPOCH_RANGE
        elif kind == "string":
            _bounds(schema, meta, "minLength", "maxLength")
            if "pattern" in meta:
                schema["pattern"] = _strict_pattern(meta["pattern"])
            if shape.enum:
                schema["enum"] = list(shape.enum)
        elif kind in ("integer", "long", "float", "double"):
            _bounds(schema, meta, "minimum", "maximum")
        return schema


def wire_name(name: str, member: Shape) -> str:
    """The key of a member in the request: its member name where it travels in the uri, query or headers,
    the serialized name in a JSON body."""
    if member.serialization.get("location"):
        return name
    return str(member.serialization.get("name", name))


@functools.cache
def wire_members(shape: Shape) -> dict[str, tuple[str, Shape]]:
    """A structure's members by wire name: ``{wire: (member name, member shape)}``."""
    return {wire_name(name, member): (name, member) for name, member in shape.members.items()}


def _bounds(schema: Schema, meta: Mapping[str, Any], low: str, high: str) -> None:
    if "min" in meta:
        schema[low] = meta["min"]
    if "max" in meta:
        schema[high] = meta["max"]


def compile_shape(shape: Shape | None) -> Schema:
    """A self-contained JSON Schema (draft 7) for a shape of the model."""
    if shape is None:
        return {"type": "object", "additionalProperties": False}
    compiler = _Compiler()
    root = compiler.shape(shape)
    return {"$schema": "http://json-schema.org/draft-07/schema#", **root, "definitions": compiler.definitions}


# ---------------------------------------------------------------------------------------------- messages


def _render(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={_render(item)}" for key, item in value.items()) + "}"
    return str(value)


def _quoted(value: Any, sensitive: bool) -> str:
    if value is None:
        return "null"
    return f"'{REDACTED}'" if sensitive else f"'{_render(value)}'"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _walk(shape: Shape | None, path: Iterable[str | int]) -> tuple[str, Shape | None, bool]:
    """The AWS member path (``additionalSearchKeys.1.member.keyName``), the shape at its end, and whether
    a shape on the way is sensitive (then the value is redacted, as AWS does)."""
    if shape is None:
        return "", None, False
    parts: list[str] = []
    sensitive = bool(shape.metadata.get("sensitive"))
    for step in path:
        if shape.type_name == "structure":
            parts.append(_lower_first(str(step)))
            shape = wire_members(shape)[str(step)][1]
        elif shape.type_name == "list":
            parts.append(f"{int(step) + 1}.member")
            shape = shape.member
        else:  # a map: the step is a key
            parts.append(str(step))
            shape = shape.value
        sensitive = sensitive or bool(shape.metadata.get("sensitive"))
    return ".".join(parts), shape, sensitive


def _constraint(keyword: str, expected: Any, shape: Shape | None) -> str:
    kind = shape.type_name if shape is not None else None
    if kind == "timestamp" and keyword in ("minimum", "maximum"):
        return "Member must be a timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
    if kind == "blob" and keyword == "pattern":
        return "Member must be base64-encoded binary data"
    if kind == "structure" and keyword in ("minProperties", "maxProperties"):
        assert shape is not None
        return "Member must have exactly one of its members set: [" + ", ".join(wire_members(shape)) + "]"
    if keyword in ("minLength", "minItems", "minProperties"):
        return f"Member must have length greater than or equal to {expected}"
    if keyword in ("maxLength", "maxItems", "maxProperties"):
        return f"Member must have length less than or equal to {expected}"
    if keyword == "minimum":
        return f"Member must have value greater than or equal to {expected}"
    if keyword == "maximum":
        return f"Member must have value less than or equal to {expected}"
    if keyword == "pattern":
        original = shape.metadata.get("pattern", expected) if shape is not None else expected
        return f"Member must satisfy regular expression pattern: {original}"
    if keyword == "enum":
        return "Member must satisfy enum value set: [" + ", ".join(str(v) for v in expected) + "]"
    if keyword == "type":
        aws_type = shape.type_name if shape is not None else str(expected)
        return f"Member must be of type {aws_type}"
    return f"Member must satisfy {keyword} {expected}"


def _fast_failure() -> type[Exception]:
    from fastjsonschema import JsonSchemaException

    return JsonSchemaException


class ShapeValidator:
    """Validates instances of one shape: a compiled fast check, and the reference walk for messages."""

    def __init__(self, shape: Shape | None) -> None:
        self.shape = shape
        self.schema = compile_shape(shape)
        self._fast: Callable[[Any], Any] | None = None
        self._reference: Any = None

    @property
    def fast(self) -> Callable[[Any], Any]:
        """The hot path: the schema compiled to Python by fastjsonschema (once); raises
        ``fastjsonschema.JsonSchemaException`` at the first failure."""
        if self._fast is None:
            import fastjsonschema

            self._fast = fastjsonschema.compile(self.schema)
        return self._fast

    @property
    def reference(self) -> Any:
        """The reference: a ``jsonschema`` Draft 7 validator of the same schema, which names every failure."""
        if self._reference is None:
            import jsonschema

            self._reference = jsonschema.Draft7Validator(self.schema)
        return self._reference

    def check(self, instance: Any) -> None:
        """Raise ``BadRequest`` naming every failure when ``instance`` does not satisfy the shape."""
        try:
            (self._fast or self.fast)(instance)
        except _fast_failure():  # evaluated only when something was raised
            failures = self.describe(instance)
            if failures:
                raise BadRequest(validation_message(failures)) from None

    def describe(self, instance: Any) -> list[str]:
        """Every validation failure of ``instance``, one AWS-style sentence each, in a stable order."""
        found: dict[str, None] = {}
        errors = sorted(self.reference.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors:
            for text in self._sentences(error):
                found[text] = None
        return list(found)

    def _sentences(self, err: Any) -> Iterator[str]:
        path, at, sensitive = _walk(self.shape, err.absolute_path)
        prefix = f"{path}." if path else ""
        if err.validator == "required":
            for name in err.validator_value:
                if name not in err.instance:
                    yield (
                        f"Value null at '{prefix}{_lower_first(name)}' failed to satisfy constraint: "
                        "Member must not be null"
                    )
        elif err.validator == "additionalProperties":  # only structures forbid them: unknown members
            known = wire_members(at) if at is not None else {}
            for name in err.instance:
                if name not in known:
                    yield (
                        f"Value {_quoted(err.instance[name], False)} at '{prefix}{name}' failed to "
                        f"satisfy constraint: Member must be a member of {at.name if at is not None else 'the input'}"
                    )
        elif "propertyNames" in err.schema_path:  # a map key broke the key shape's constraint
            key_shape = at.key if at is not None else None
            yield (
                f"Value {_quoted(err.instance, sensitive)} at '{path}' failed to satisfy constraint: "
                f"Map keys must satisfy constraint: [{_constraint(str(err.validator), err.validator_value, key_shape)}]"
            )
        else:
            yield (
                f"Value {_quoted(err.instance, sensitive)} at '{path}' failed to satisfy constraint: "
                f"{_constraint(str(err.validator), err.validator_value, at)}"
            )


def validation_message(failures: list[str]) -> str:
    count = len(failures)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(failures)


@functools.cache
def input_validator(operation: str) -> ShapeValidator:
    return ShapeValidator(operation_model(operation).input_shape)


@functools.cache
def output_validator(operation: str) -> ShapeValidator:
    return ShapeValidator(operation_model(operation).output_shape)
