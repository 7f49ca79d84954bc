"""Does an answer have the shape the published reference gives? Every field a table lists must be
there, of the type it names (String, Integer, Long, Boolean, NesDateTime, a linked data type,
List<…>), and not null when the table says it is required (but where the reference's own
examples show null)."""

from __future__ import annotations

import re

from tests.contract.reference import DATA_TYPES, OPERATIONS

PAGE_FIELDS = [("totalElements", "Integer"), ("totalPages", "Integer"),
               ("numberOfElements", "Integer"), ("first", "Boolean"), ("last", "Boolean"),
               ("number", "Integer"), ("size", "Integer"), ("sort", "List<Sort>")]
# Required in the tables, null in the reference's own examples.
NULL_IN_EXAMPLES = {
    ("SendBlockHistoryResponse", "sendResultCode"), ("SendBlockHistoryResponse",
                                                     "sendResultMessage"),
    ("getSendBlockList", "expectedDeleteDate"), ("getMail", "senderName"),
    ("getMail", "referencesHeader"), ("getMail", "reservationDate"),
    ("getMail", "templateSid"), ("getMail", "templateName"), ("getMail", "sendDate"),
    ("getMailRequestStatus", "reservationDate"), ("createConfig", "subType"),
    ("getConfig", "subType"),
    # Optional in the reference's example answers of templates (description: None).
    ("getTemplate", "description"), ("getTemplate", "senderName"),
    ("createTemplate", "description"), ("updateTemplate", "description"),
    ("deleteTemplate", "description"), ("restoreTemplate", "description"),
    ("updateTemplateLocationOrName", "description"),
}
SCALARS = {"String": str, "Integer": int, "Long": int, "Boolean": bool}
# Typed wrongly in a table, right in the same page's syntax block (DATA_TYPE_NOTES) or in its
# own example and older edition (the operation's notes).
TYPE_FIXES = {("Category", "name"): "String"}
RESPONSE_TYPE_FIXES = {("getTemplateStructure", "contents"): "List<TemplateStructureResponse>"}


def _normal(type_name: str) -> str:
    type_name = type_name.strip().replace("[", "<").replace("]", ">")
    return {"List": "List<Object>"}.get(type_name, type_name)


def check(value, type_name: str, where: str) -> list[str]:
    """What is wrong with `value` as a `type_name` of the reference (an empty list if nothing)."""
    type_name = _normal(type_name)
    listed = re.fullmatch(r"List<(.+)>", type_name)
    if listed:
        if not isinstance(value, list):
            return [f"{where}: a list expected, not {value!r:.60}"]
        return [problem for index, item in enumerate(value)
                for problem in check(item, listed[1], f"{where}[{index}]")]
    if type_name in SCALARS:
        kind = SCALARS[type_name]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            return [f"{where}: {type_name} expected, not {value!r:.60}"]
        return []
    if type_name == "Object":
        return []
    if type_name in DATA_TYPES:
        if not isinstance(value, dict):
            return [f"{where}: a {type_name} object expected, not {value!r:.60}"]
        return check_fields(value, [(f["name"], TYPE_FIXES.get((type_name, f["name"]),
                                                               f["type"]), f["required"])
                                    for f in DATA_TYPES[type_name]], type_name, where)
    return [f"{where}: the reference type {type_name!r} is not known to the checker"]


def check_fields(value: dict, fields, owner: str, where: str) -> list[str]:
    problems = []
    for name, type_name, required in fields:
        if name not in value:
            problems.append(f"{where}.{name}: missing")
        elif value[name] is None:
            if required is True and (owner, name) not in NULL_IN_EXAMPLES:
                problems.append(f"{where}.{name}: required, but null")
        else:
            problems += check(value[name], type_name, f"{where}.{name}")
    return problems


def response_fields(operation: str) -> list[tuple[str, str, bool | str]]:
    """The top-level fields of an operation's answer: its page's table, or, where the table was
    not visible, its data type's fields (as a Spring page for the lists)."""
    spec = OPERATIONS[operation]
    fields = [(f["name"], RESPONSE_TYPE_FIXES.get((operation, f["name"]), f["type"]),
               f.get("required") in (True, "Required"))
              for f in spec.get("response") or []]
    if operation in ("getMailRequestList", "getUnsubscribers", "getMailList"):
        fields = [(n, t, r) for n, t, r in fields if n != "content"]
        fields += [("content", f"List<{spec['response_type']}>", True), *[
            (n, t, True) for n, t in PAGE_FIELDS if n not in {f[0] for f in fields}]]
    return fields


def conforms(operation: str, answer: dict) -> list[str]:
    return check_fields(answer, response_fields(operation), operation, operation)
