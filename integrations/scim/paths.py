"""SCIM attribute paths, filters and PATCH operations on a resource's JSON (pure).

PATCH is applied to the resource as SCIM shows it; the result is then saved like a
PUT, so both go through the same checks. Attribute names are case-insensitive.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any


class ScimError(Exception):
    """A request SCIM refuses; status and scimType as RFC 7644 §3.12 names them."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def is_id(value: Any) -> bool:
    """A whole number that fits a database id (ASCII digits only)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


@dataclass(frozen=True)
class Comparison:
    attribute: str  # e.g. "userName", "emails.value", "value"
    operator: str  # eq, ne, co, sw, ew, pr
    value: Any


_COMPARISON = re.compile(
    r"^\s*(?P<attr>[A-Za-z][\w.$:-]*)\s+(?P<op>eq|ne|co|sw|ew|gt|ge|lt|le)\s+"
    r'(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*$',
    re.IGNORECASE,
)
_PRESENT = re.compile(r"^\s*(?P<attr>[A-Za-z][\w.$:-]*)\s+pr\s*$", re.IGNORECASE)


def parse_filter(text: str) -> list[Comparison]:
    """A filter of comparisons joined by `and` (all Onramp needs: `userName eq "…"`,
    `externalId eq "…"`, `displayName eq "…"`, `members[value eq "…"]`-style value
    paths use `parse_value_filter`)."""
    import json

    parts = re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE)
    comparisons = []
    for part in parts:
        present = _PRESENT.match(part)
        if present:
            comparisons.append(Comparison(present["attr"], "pr", None))
            continue
        match = _COMPARISON.match(part)
        if not match:
            raise ScimError(
                400, f"The filter {text!r} is not supported.", "invalidFilter"
            )
        try:
            value = json.loads(match["value"])
        except ValueError:
            raise ScimError(
                400, f"Bad value in filter {text!r}.", "invalidFilter"
            ) from None
        comparisons.append(Comparison(match["attr"], match["op"].lower(), value))
    return comparisons


def matches(item: Any, comparison: Comparison) -> bool:
    """Whether a JSON value satisfies a comparison (strings without regard to case)."""
    found = _values_at(item, comparison.attribute)
    if comparison.operator == "pr":
        return any(v not in (None, "", []) for v in found)
    for value in found:
        left, right = value, comparison.value
        if isinstance(left, str) and isinstance(right, str):
            left, right = left.lower(), right.lower()
        if comparison.operator == "eq" and left == right:
            return True
        if comparison.operator == "ne" and left != right:
            return True
        if isinstance(left, str) and isinstance(right, str):
            if comparison.operator == "co" and right in left:
                return True
            if comparison.operator == "sw" and left.startswith(right):
                return True
            if comparison.operator == "ew" and left.endswith(right):
                return True
    return False


def _values_at(item: Any, dotted: str) -> list[Any]:
    values = [item]
    for name in _strip_urn(dotted).split("."):
        found = []
        for value in values:
            if isinstance(value, list):
                value_list = value
            else:
                value_list = [value]
            for element in value_list:
                if isinstance(element, dict):
                    key = _key(element, name)
                    if key is not None:
                        found.append(element[key])
        values = found
    flat: list[Any] = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _key(mapping: dict[str, Any], name: str) -> str | None:
    for key in mapping:
        if key.lower() == name.lower():
            return key
    return None


_URN_ATTRIBUTE = re.compile(
    r"^(urn:[^\[\]]+:[^:\[\]]+):(?P<rest>[^:]+)$", re.IGNORECASE
)


def _strip_urn(path: str) -> str:
    """`urn:ietf:params:scim:schemas:core:2.0:User:userName` → `userName`."""
    match = _URN_ATTRIBUTE.match(path)
    return match["rest"] if match and path.lower().startswith("urn:") else path


@dataclass(frozen=True)
class Path:
    schema: str | None  # an extension's URN, or None for core attributes
    attribute: str
    value_filter: list[Comparison] | None
    sub_attribute: str | None


_PATH = re.compile(
    r"^(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>[^\]]+)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)


def parse_path(text: str, extensions: list[str], core: str) -> Path:
    schema = None
    rest = text.strip()
    for urn in [*extensions, core]:
        if rest.lower().startswith(urn.lower() + ":"):
            schema = None if urn == core else urn
            rest = rest[len(urn) + 1 :]
            break
        if rest.lower() == urn.lower():
            return Path(urn, "", None, None)
    match = _PATH.match(rest)
    if not match:
        raise ScimError(400, f"The path {text!r} is not supported.", "invalidPath")
    value_filter = parse_filter(match["filter"]) if match["filter"] else None
    return Path(schema, match["attr"], value_filter, match["sub"])


def _container(resource: dict[str, Any], path: Path, create: bool) -> dict[str, Any]:
    if path.schema is None:
        return resource
    key = _key(resource, path.schema)
    if key is None:
        if not create:
            return {}
        resource[path.schema] = {}
        key = path.schema
    container: dict[str, Any] = resource[key]
    return container


def _merge(target: dict[str, Any], values: dict[str, Any], *, add: bool) -> None:
    for name, value in values.items():
        key = _key(target, name) or name
        existing = target.get(key)
        if add and isinstance(existing, list) and isinstance(value, list):
            target[key] = existing + [v for v in value if v not in existing]
        elif isinstance(existing, dict) and isinstance(value, dict):
            _merge(existing, value, add=add)
        else:
            target[key] = copy.deepcopy(value)


def apply_patch(
    resource: dict[str, Any],
    operations: list[dict[str, Any]],
    *,
    extensions: list[str],
    core: str,
) -> dict[str, Any]:
    """The resource after the operations (RFC 7644 §3.5.2), as a new dict."""
    result = copy.deepcopy(resource)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown operation {op!r}.", "invalidSyntax")
        raw_path = operation.get("path")
        value = operation.get("value")
        if raw_path is None:
            if op == "remove":
                raise ScimError(400, "remove needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise ScimError(
                    400, "Without a path, value must be an object.", "invalidValue"
                )
            for name, item in value.items():
                extension = next(
                    (urn for urn in extensions if urn.lower() == name.lower()), None
                )
                if extension is not None and isinstance(item, dict):
                    container = _container(
                        result, Path(extension, "", None, None), True
                    )
                    _merge(container, item, add=op == "add")
                elif "." in name or name.lower().startswith("urn:"):
                    _apply_one(result, op, parse_path(name, extensions, core), item)
                else:
                    _merge(result, {name: item}, add=op == "add")
            continue
        if not isinstance(raw_path, str):
            raise ScimError(400, "path must be a string.", "invalidPath")
        _apply_one(result, op, parse_path(raw_path, extensions, core), value)
    return result


def _apply_one(resource: dict[str, Any], op: str, path: Path, value: Any) -> None:
    if not path.attribute:  # the whole extension
        if op == "remove":
            key = _key(resource, path.schema or "")
            if key:
                del resource[key]
            return
        if not isinstance(value, dict):
            raise ScimError(
                400, "An extension's value must be an object.", "invalidValue"
            )
        _merge(_container(resource, path, True), value, add=op == "add")
        return
    container = _container(resource, path, op != "remove")
    key = _key(container, path.attribute) or path.attribute
    current = container.get(key)
    if path.value_filter is not None:
        items = current if isinstance(current, list) else []
        chosen = [i for i in items if all(matches(i, c) for c in path.value_filter)]
        if op == "remove":
            if path.sub_attribute is None:
                container[key] = [i for i in items if i not in chosen]
            else:
                for item in chosen:
                    sub = _key(item, path.sub_attribute)
                    if sub:
                        del item[sub]
            return
        if not chosen:
            raise ScimError(400, "No value matches the path's filter.", "noTarget")
        for item in chosen:
            if path.sub_attribute is None:
                if not isinstance(value, dict):
                    raise ScimError(400, "The value must be an object.", "invalidValue")
                _merge(item, value, add=False)
            else:
                item[_key(item, path.sub_attribute) or path.sub_attribute] = value
        return
    if path.sub_attribute is not None:
        if op == "remove":
            if isinstance(current, dict):
                sub = _key(current, path.sub_attribute)
                if sub:
                    del current[sub]
            elif isinstance(current, list):
                for item in current:
                    sub = (
                        _key(item, path.sub_attribute)
                        if isinstance(item, dict)
                        else None
                    )
                    if sub:
                        del item[sub]
            return
        if current is None:
            container[key] = current = {}
        if isinstance(current, list):
            for item in current:
                if isinstance(item, dict):
                    item[_key(item, path.sub_attribute) or path.sub_attribute] = value
        else:
            current[_key(current, path.sub_attribute) or path.sub_attribute] = value
        return
    if op == "remove":
        if key in container:
            del container[key]
        return
    if op == "add" and isinstance(current, list):
        additions = value if isinstance(value, list) else [value]
        container[key] = current + [v for v in additions if v not in current]
    elif op == "add" and isinstance(current, dict) and isinstance(value, dict):
        _merge(current, value, add=True)
    else:
        container[key] = copy.deepcopy(value)


def select_attributes(
    resource: dict[str, Any],
    *,
    attributes: list[str],
    excluded: list[str],
    always: tuple[str, ...] = ("id", "schemas", "meta"),
) -> dict[str, Any]:
    """RFC 7644 §3.9: keep only `attributes` (plus id, schemas, meta), or drop
    `excluded`."""
    if attributes:
        wanted = {_strip_urn(a).split(".")[0].lower() for a in attributes}
        sub_wanted: dict[str, set[str]] = {}
        for a in attributes:
            parts = _strip_urn(a).split(".")
            if len(parts) == 2:
                sub_wanted.setdefault(parts[0].lower(), set()).add(parts[1].lower())
        kept: dict[str, Any] = {}
        for key, value in resource.items():
            if key in always:
                kept[key] = value
            elif key.lower().startswith("urn:") and isinstance(value, dict):
                inner = {k: v for k, v in value.items() if k.lower() in wanted}
                if inner:
                    kept[key] = inner
            elif key.lower() in wanted:
                kept[key] = _only_subs(value, sub_wanted.get(key.lower()))
        return kept
    if excluded:
        dropped = {_strip_urn(a).split(".")[0].lower() for a in excluded}
        kept = {}
        for key, value in resource.items():
            if key.lower() in dropped and key not in always:
                continue
            if key.lower().startswith("urn:") and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k.lower() not in dropped}
            kept[key] = value
        return kept
    return resource


def _only_subs(value: Any, subs: set[str] | None) -> Any:
    if not subs:
        return value
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k.lower() in subs}
    if isinstance(value, list):
        return [_only_subs(item, subs) for item in value]
    return value
