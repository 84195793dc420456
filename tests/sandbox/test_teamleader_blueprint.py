"""A reader of the MSON attributes of Teamleader's API Blueprint (the answers' documented fields,
their types, enum members and nullability) and a validator of JSON answers against them (no API
Blueprint parser is installed), with its own tests; test_teamleader_emulator.py validates the
emulator's answers with it. Only what the Blueprint sections we serve use is read: named
fields, `(object)` array items, Members, Include, and the data structures they name (Money,
Customer, Periodicity, Pagination, Currency) as introduction.apib describes them.

TRANSCRIBED: the answer attributes of the calls whose Blueprint sections are not among the
shared spec files, transcribed (field names, types, nullability; no descriptions) in MSON from
teamleadercrm/api: src/01-general/users.apib (users.me), src/01-general/departments.apib
(departments.list, departments.info), src/09-time-tracking/time-tracking.apib
(timeTracking.list) and src/12-nextgen-projects/materials.apib (projects-v2 materials.list).
Address and Telephone are Teamleader data structures not in those files: transcribed as
assumptions (line_1, postal_code, city, country; type, number)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPECS = Path("/work/shared/providers/specs/teamleader")
_LINE = re.compile(r"^(?P<indent>\s*)\+ (?P<body>.*)$")
# `name`: `example`, `another` (type, flags) - note; examples in backticks may hold " - ".
_FIELD = re.compile(r"^(?P<name>`[^`]+`|[A-Za-z_][\w.-]*)?\s*"
                    r"(?::\s*(?P<example>(?:`[^`]*`\s*,?\s*)+|[^(`]+?))?\s*"
                    r"(?:\((?P<spec>[^)]*)\))?\s*(?:-\s*(?P<note>.*))?$")
_OPTIONAL_NOTES = ("only included", "only returned", "only accessible")


@dataclass
class Node:
    name: str | None
    kind: str = "string"
    item: str | None = None  # array[<item>]
    nullable: bool = False
    optional: bool = False
    members: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def _node(body: str) -> Node:
    match = _FIELD.match(body.strip())
    if match is None:
        raise ValueError(f"unread MSON line: {body!r}")
    name = (match["name"] or "").strip("`") or None
    spec = [part.strip() for part in (match["spec"] or "").split(",") if part.strip()]
    kind = spec[0] if spec else ("string" if match["example"] else "object")
    item = None
    if kind.startswith(("array[", "enum[")):
        kind, item = kind.split("[", 1)[0], kind.split("[", 1)[1].rstrip("]")
    note = (match["note"] or "").lower()
    return Node(name, kind, item, "nullable" in spec[1:],
                "optional" in spec[1:] or note.startswith(_OPTIONAL_NOTES))


def _tree(lines: list[tuple[int, str]]) -> list[Node]:
    """Nodes from (indent, body) lines: deeper lines belong to the line above them."""
    nodes: list[Node] = []
    index = 0
    while index < len(lines):
        indent, body = lines[index]
        end = index + 1
        while end < len(lines) and lines[end][0] > indent:
            end += 1
        inner = lines[index + 1:end]
        if body.strip() == "Members":
            # Enum values of the node above: "value", "`value` - note".
            nodes.append(Node("__members__", members=[
                b.split(" - ")[0].strip().strip("`") for i, b in inner
                if i == min(j for j, _ in inner)]))
        elif body.startswith("Include "):
            nodes.append(Node("__include__", kind=body.removeprefix("Include ").strip()))
        elif body.strip() in ("Default", "One Of", "Properties"):
            pass  # request defaults and alternatives: not part of an answer's shape
        else:
            node = _node(body)
            for child in _tree(inner):
                if child.name == "__members__":
                    node.members = child.members
                elif child.name == "__include__":
                    node.kind = child.kind
                else:
                    node.children.append(child)
            nodes.append(node)
        index = end
    return nodes


def response_schema(file: str, action: str, status: int = 200) -> Node:
    """The documented answer of an action (`### deals.list [POST /deals.list]`)."""
    text = (SPECS / file).read_text(encoding="utf-8")
    section = re.search(rf"^### {re.escape(action)} \[.*?$(.*?)(?=^### |\Z)", text,
                        re.M | re.S)
    if section is None:
        raise KeyError(f"{file} documents no {action}")
    answer = re.search(rf"^\+ Response {status}.*?$(.*)", section[1], re.M | re.S)
    attributes = re.search(r"^\s*\+ Attributes.*?$(.*)", answer[1], re.M | re.S)
    lines = [(len(m["indent"]), m["body"]) for m in map(_LINE.match, attributes[1].splitlines())
             if m]
    return Node(None, "object", children=_tree(lines))


def schema_of(mson: str) -> Node:
    """An answer's attributes written in MSON (as under `+ Attributes`)."""
    lines = [(len(m["indent"]), m["body"]) for m in map(_LINE.match, mson.splitlines()) if m]
    return Node(None, "object", children=_tree(lines))


_MONEY = Node("Money", "object", children=[Node("amount", "number"),
                                           Node("currency", "string")])
NAMED: dict[str, Node] = {
    "Money": _MONEY,
    "Currency": Node("Currency", "string"),
    "Customer": Node("Customer", "object", children=[
        Node("type", "enum", members=["contact", "company"]), Node("id", "string")]),
    "Periodicity": Node("Periodicity", "object", children=[
        Node("unit", "enum", members=["week", "month", "year"]), Node("period", "number")]),
    "Pagination": Node("Pagination", "object", children=[Node("size", "number"),
                                                        Node("number", "number")]),
}


def problems(value: Any, node: Node, path: str = "$") -> list[str]:
    """Where the value differs from the documented shape (an empty list: it validates)."""
    if value is None:
        return [] if node.nullable else [f"{path}: null, documented {node.kind}"]
    kind = node.kind
    if kind in NAMED:
        named = NAMED[kind]
        return problems(value, Node(node.name, named.kind, named.item, node.nullable,
                                    node.optional, named.members, named.children), path)
    if kind == "enum":
        if node.members and str(value).lower() not in [str(m).lower() for m in node.members]:
            return [f"{path}: {value!r} is not one of {node.members}"]
        expected = {"number": (int, float)}.get(node.item or "", str)
        return [] if isinstance(value, expected) and not isinstance(value, bool) else [
            f"{path}: {value!r} is not an enum of {node.item or 'string'}"]
    if kind == "string":
        return [] if isinstance(value, str) else [f"{path}: {value!r} is not a string"]
    if kind == "number":
        return [] if isinstance(value, int | float) and not isinstance(value, bool) else [
            f"{path}: {value!r} is not a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a boolean"]
    if kind == "array":
        if not isinstance(value, list):
            return [f"{path}: not an array"]
        item = node.children[0] if node.children else Node(None, node.item or "string")
        return [p for i, v in enumerate(value) for p in problems(v, item, f"{path}[{i}]")]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        found: list[str] = []
        documented = {c.name: c for c in node.children if c.name}
        for name, child in documented.items():
            if name not in value:
                if not child.optional:
                    found.append(f"{path}.{name}: missing")
                continue
            found += problems(value[name], child, f"{path}.{name}")
        found += [f"{path}.{name}: not documented" for name in value if name not in documented
                  and documented]
        return found
    raise ValueError(f"{path}: unknown documented type {kind!r}")


NAMED["Telephone"] = Node("Telephone", "object", children=[
    Node("type", "enum", members=["phone", "mobile", "fax"]), Node("number", "string")])
NAMED["Address"] = Node("Address", "object", children=[
    Node("line_1", "string"), Node("postal_code", "string"), Node("city", "string"),
    Node("country", "string")])

_REFERENCE = """
            + type (string)
            + id (string)"""

TRANSCRIBED = {
    "users.me": schema_of("""
+ data (object)
    + id (string)
    + account (object)
        + type (string)
        + id (string)
    + first_name (string)
    + last_name (string)
    + email (string)
    + telephones (array[Telephone])
    + language (string)
    + function (string)
    + time_zone (string)
    + preferences (object)
        + invoiceable (boolean)
"""),
    "departments.list": schema_of("""
+ data (array)
    + (object)
        + id (string)
        + name (string)
        + vat_number (string)
        + website (string)
        + currency (string)
"""),
    "departments.info": schema_of("""
+ data (object)
    + id (string)
    + name (string)
    + vat_number (string)
    + address (Address)
    + emails (array)
        + (object)
            + type (enum[string])
                + Members
                    + primary
                    + invoicing
            + email (string)
    + telephones (array[Telephone])
    + website (string)
    + currency (string)
    + iban (string)
    + bic (string)
"""),
    "timeTracking.list": schema_of(f"""
+ data (array)
    + (object)
        + id (string)
        + user (object){_REFERENCE}
        + work_type (object){_REFERENCE}
        + started_on (string)
        + started_at (string, nullable)
        + ended_at (string, nullable)
        + duration (number)
        + description (string)
        + subject (object)
            + type (enum)
                + Members
                    + company
                    + contact
                    + event
                    + todo
                    + milestone
                    + ticket
            + id (string)
        + invoiceable (boolean)
        + billing_info (object, nullable)
            + type (enum)
                + Members
                    + invoice
                    + prepaid
            + invoice (object, nullable){_REFERENCE}
        + materials (array, optional)
        + relates_to (array, optional)
            + (object)
                + type (string)
                + id (string)
        + hourly_rate (Money, optional)
"""),
    "projects-v2/materials.list": schema_of(f"""
+ data (array)
    + (object)
        + id (string)
        + project (object){_REFERENCE}
        + group (object, nullable){_REFERENCE}
        + title (string)
        + status (enum[string])
            + Members
                + to_do
                + in_progress
                + on_hold
                + done
        + billing_method (enum[string])
            + Members
                + fixed_price
                + unit_price
                + non_billable
        + billing_status (enum[string])
            + Members
                + not_billable
                + not_billed
                + partially_billed
                + fully_billed
        + quantity (number, nullable)
        + unit_price (Money, nullable)
        + unit_cost (Money, nullable)
        + unit (object, nullable){_REFERENCE}
        + amount_billed (Money, nullable)
        + external_budget (Money, nullable)
        + external_budget_spent (Money, nullable)
        + internal_budget (Money, nullable)
        + price (Money, nullable)
        + fixed_price (Money, nullable)
        + cost (Money, nullable)
        + margin (Money, nullable)
        + margin_percentage (number, nullable)
        + assignees (array)
            + (object)
                + assignee (object){_REFERENCE}
                + assign_type (enum)
        + start_date (string, nullable)
        + end_date (string, nullable)
        + product (object, nullable){_REFERENCE}
"""),
}


def test_a_documented_answer_is_read_with_types_members_and_nullability():
    deal = response_schema("03-deals_deals.apib", "deals.list").children[0].children[0]
    fields = {c.name: c for c in deal.children}
    assert fields["status"].members == ["new", "open", "won", "lost"]
    assert (fields["summary"].kind, fields["summary"].nullable) == ("string", True)
    assert fields["estimated_value"].kind == "Money" and fields["custom_fields"].optional
    subscription = response_schema("05-invoicing_subscriptions.apib", "subscriptions.list")
    ends_on = next(c for c in subscription.children[0].children[0].children
                   if c.name == "ends_on")
    assert ends_on.nullable  # an example with dashes is not read as a note


def test_the_validator_names_every_difference():
    schema = TRANSCRIBED["departments.list"]
    answer = {"data": [{"id": "x", "name": 3, "vat_number": None, "website": "w",
                        "currency": "EUR", "extra": True}]}
    assert sorted(problems(answer, schema)) == [
        "$.data[0].extra: not documented", "$.data[0].name: 3 is not a string",
        "$.data[0].vat_number: null, documented string"]
