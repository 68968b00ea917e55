"""The ``Source`` of an object type field: what the mock reads, what it refuses (``PutProfileObjectType``).

AWS's page "Field definitions in Customer Profiles object type mappings" (adminguide/mapping-field-definitions.html)
describes two forms, and the mock takes three:

- a JSON accessor, ``_source.Address.City`` (an item of a list by its position: ``_source.items.0.title``);
- a Handlebars expression, text with ``{{...}}`` parts, to "combine multiple source fields into one value",
  "insert a constant or apply conditional logic" and "iterate over an array". The mock evaluates the part of
  Handlebars those uses need: ``{{_source.path}}``, ``{{#if _source.path}}...{{else}}...{{/if}}``,
  ``{{#unless ...}}``, ``{{#each _source.path}}...{{/each}}`` with ``{{this}}``, ``{{this.path}}`` and
  ``{{@index}}`` inside, and ``{{! comments}}``. Anything else between braces (helpers with arguments,
  ``{{{triple}}}`` stashes, partials, ``../`` paths) is refused with a ``BadRequestException`` that names it,
  rather than read as nothing;
- an array spread, ``_source.line_items[].title``: AWS's integration templates map a source array onto the
  items of a list of a standard object, written ``line_items[].title`` -> ``OrderItems[].Title`` in their
  tables ("Mapping Shopify objects to the standard order", adminguide/mapping-shopify-objects-standard-order.html;
  "Mapping WebAnalytics-Clickstream objects", ``ItemsList[].Title`` -> ``OrderItems[].Title``). The i-th
  element fills the i-th item. The pages show the pairing, not a ``Source`` string, so the mock takes the
  spread only where the pairing is documented: a Target that is an item field of a standard object's list
  (``_order.OrderItems[].Title``), never in a key. Other bracket forms (``[*]``, ``[0]``) are refused.

A value is text: an accessor that reaches an object, a list or null gives no value, and so does a
Handlebars expression whose ``{{...}}`` parts miss a value or which renders to nothing.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from mock_customer_profiles._errors import BadRequest

SOURCE_PREFIX = "_source."
SPREAD = "[]"
_MUSTACHE = re.compile(r"(\{\{\{?)(.*?)(\}?\}\})", re.DOTALL)
_PATH = re.compile(r"^[^\s{}\[\]]+$")
_BLOCKS = ("if", "unless", "each")
_MISSING = object()


class _Refused(Exception):
    """A Handlebars expression the mock does not evaluate (the reason is the message)."""


# ------------------------------------------------------------------------------------------ accessors


def lookup(path: str, document: Any) -> Any:
    """The value at ``a.b.0.c`` in ``document`` (list items by index), or ``_MISSING``."""
    node = document
    for part in path.split(".") if path else ():
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def scalar_text(value: Any) -> str | None:
    """A JSON value as field text: strings, numbers and booleans; null, objects and lists are no value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def read_path(path: str, document: Any) -> str | None:
    """The scalar at ``_source.a.b.0.c`` in ``document``, as text."""
    if not path.startswith(SOURCE_PREFIX):
        return None
    return scalar_text(lookup(path[len(SOURCE_PREFIX) :], document))


# ------------------------------------------------------------------------------------------ spreads


@dataclass(frozen=True)
class Spread:
    """``_source.line_items[].title``: the array ``line_items`` and, in each element, ``title``."""

    array: str
    rest: str


def spread_of(source: str) -> Spread | None:
    """The spread a Source writes, or ``None`` when it is no ``_source.<path>[]...`` accessor."""
    if "{{" in source or not source.startswith(SOURCE_PREFIX) or source.count(SPREAD) != 1:
        return None
    array, _, rest = source[len(SOURCE_PREFIX) :].partition(SPREAD)
    if not array or (rest and not rest.startswith(".")) or "[" in array + rest or "]" in array + rest:
        return None
    return Spread(array, rest[1:])


def read_spread(spread: Spread, document: Any) -> list[str | None]:
    """The value of each element of the array (none when the source holds no array there)."""
    items = lookup(spread.array, document)
    if not isinstance(items, list):
        return []
    return [scalar_text(lookup(spread.rest, item)) for item in items]


# ---------------------------------------------------------------------------------------- handlebars

# A compiled expression: text, ("var", path), or (block, path, body, inverse).
Node = str | tuple[Any, ...]


def _variable(inner: str, in_each: bool) -> str:
    path = inner.strip()
    if not _PATH.match(path):
        raise _Refused(f"{{{{{inner}}}}} is a helper call or an expression the mock does not evaluate")
    if path.startswith(SOURCE_PREFIX) and len(path) > len(SOURCE_PREFIX):
        return path
    if in_each and (path in ("this", "@index") or path.startswith("this.")):
        return path
    where = "{{this}}, {{this.<path>}}, {{@index}} or " if in_each else ""
    raise _Refused(f"{{{{{inner}}}}} names no value the mock reads: write {where}{{{{_source.<path>}}}}")


def _parse(tokens: list[tuple[str, str]], at: int, closing: str | None, in_each: bool) -> tuple[list[Node], int]:
    """Nodes until ``{{/closing}}`` or ``{{else}}`` (returned at the index of that token)."""
    nodes: list[Node] = []
    while at < len(tokens):
        kind, text = tokens[at]
        if kind == "text":
            nodes.append(text)
            at += 1
            continue
        inner = text.strip()
        if kind == "triple":
            raise _Refused(f"{{{{{{{text}}}}}}} (a triple-stash): write {{{{_source.<path>}}}}")
        if inner.startswith("!"):
            at += 1
            continue
        if inner == "else" or inner.startswith("/"):
            if closing is None or (inner.startswith("/") and inner[1:].strip() != closing):
                raise _Refused(f"{{{{{inner}}}}} closes no open block")
            return nodes, at
        if inner.startswith("#"):
            name, _, argument = inner[1:].partition(" ")
            if name not in _BLOCKS:
                raise _Refused(
                    f"{{{{#{name}}}}} is a block helper the mock does not evaluate (only #if, #unless, #each are)"
                )
            path = _variable(argument, in_each)
            body, at = _parse(tokens, at + 1, name, in_each or name == "each")
            inverse: list[Node] = []  # _parse stops at this block's {{else}} or {{/name}}, or refuses
            if tokens[at][1].strip() == "else":
                inverse, at = _parse(tokens, at + 1, name, in_each)
                if tokens[at][1].strip() == "else":
                    raise _Refused(f"{{{{#{name}}}}} has two {{{{else}}}}")
            nodes.append((name, path, body, inverse))
            at += 1
            continue
        if inner.startswith((">", "^", "&", "~")) or inner.endswith("~"):
            raise _Refused(f"{{{{{inner}}}}} (partials, inverse sections, whitespace control) is not evaluated")
        nodes.append(("var", _variable(inner, in_each)))
        at += 1
    if closing is not None:
        raise _Refused(f"{{{{#{closing}}}}} is never closed with {{{{/{closing}}}}}")
    return nodes, at


@functools.lru_cache(maxsize=1024)
def _compile(source: str) -> tuple[Node, ...]:
    tokens: list[tuple[str, str]] = []
    end = 0
    for match in _MUSTACHE.finditer(source):
        if match.start() > end:
            tokens.append(("text", source[end : match.start()]))
        opening, inner, closing = match.groups()
        if (opening == "{{{") != (closing == "}}}"):
            raise _Refused(f"{match.group(0)} has unbalanced braces")
        tokens.append(("triple" if opening == "{{{" else "mustache", inner))
        end = match.end()
    if end < len(source):
        tokens.append(("text", source[end:]))
    for kind, text in tokens:
        if kind == "text" and ("{{" in text or "}}" in text):
            raise _Refused(f"the braces in {text!r} are unbalanced")
    nodes, _ = _parse(tokens, 0, None, False)
    return tuple(nodes)


def _value(path: str, document: Any, item: Any, index: int | None) -> Any:
    if path == "@index":
        return index
    if path == "this":
        return item
    if path.startswith("this."):
        return lookup(path[len("this.") :], item)
    return lookup(path[len(SOURCE_PREFIX) :], document)


def _truthy(value: Any) -> bool:
    """Handlebars' #if: false, undefined, null, "", 0 and [] are false."""
    return value is not _MISSING and value not in (None, False, "", 0, []) and value != {}


def _render(nodes: tuple[Node, ...] | list[Node], document: Any, item: Any, index: int | None) -> str | None:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        kind, path = node[0], node[1]
        value = _value(path, document, item, index)
        if kind == "var":
            text = scalar_text(value) if value is not _MISSING else None
            if text is None:
                return None  # a part without a value: the field has none
            out.append(text)
            continue
        body, inverse = node[2], node[3]
        parts: list[str | None]
        if kind == "each":
            elements = value if isinstance(value, list) else []
            if elements:
                parts = [_render(body, document, element, i) for i, element in enumerate(elements)]
            else:
                parts = [_render(inverse, document, item, index)]
        else:
            chosen = body if _truthy(value) == (kind == "if") else inverse
            parts = [_render(chosen, document, item, index)]
        if any(part is None for part in parts):
            return None
        out.extend(part for part in parts if part is not None)
    return "".join(out)


# ------------------------------------------------------------------------------------------- checks


def check(type_name: str, field_name: str, source: str, target: str | None, list_target: bool) -> None:
    """``BadRequest`` unless the mock reads ``source`` as the documentation describes it. ``list_target``:
    the field's Target is an item field of a standard object's list (``_order.OrderItems[].Title``)."""
    where = f"Field {field_name} of object type {type_name}"
    if "{{" in source or "}}" in source:
        try:
            _compile(source)
        except _Refused as error:
            raise BadRequest(
                f"mock_customer_profiles: {where}: the Handlebars Source {source!r} is not one the mock evaluates: "
                f"{error}. It evaluates {{{{_source.<path>}}}}, #if/#unless/#each blocks and {{{{else}}}} "
                '(docs/families/ingestion.md, "Sources")'
            ) from None
        return
    if not source.startswith(SOURCE_PREFIX) or len(source) == len(SOURCE_PREFIX):
        raise BadRequest(
            f"{where}: Source must be a {SOURCE_PREFIX}<path> accessor or a {{{{{SOURCE_PREFIX}<path>}}}} template, "
            f"not {source}"
        )
    if "[" not in source and "]" not in source:
        return
    if spread_of(source) is None:
        raise BadRequest(
            f"mock_customer_profiles: {where}: Source {source} has brackets the mock does not read: a list item "
            f"is _source.<list>.<position>.<path>, and _source.<list>[].<path> spreads the list over the items of a "
            'standard object\'s list Target (docs/families/ingestion.md, "Sources")'
        )
    if not list_target:
        raise BadRequest(
            f"mock_customer_profiles: {where}: Source {source} spreads an array, which only an item field of a "
            f"standard object's list can take (Target _order.OrderItems[].Title, as AWS's Shopify-Order template "
            f"maps line_items[].title), not {target or 'no Target'}"
        )


def read_source(source: str, document: Any) -> str | None:
    """A field's value: an accessor, or the text of a Handlebars expression (a spread gives none here)."""
    if "{{" not in source:
        return read_path(source, document)
    try:
        nodes = _compile(source)
    except _Refused:
        return None  # refused when the object type was written; never reached through the API
    text = _render(nodes, document, None, None)
    return text or None
