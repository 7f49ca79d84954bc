"""Templates and their categories: the rules of names and sizes (the reference's), the category
tree and the order in it, moving, soft deletion and restoring, and the export file that an
import reads back. The screen and the API both go through here."""

from __future__ import annotations

import json
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from addressbook.addresses import is_valid_address
from addressbook.models import GROUP_NAME
from console import jobs
from console.models import Project
from mailer.models import BodyType, Template, TemplateCategory, TemplateExport, TemplateImport
from mailer.rules import Refused, byte_length

ROOT = -1  # the root category's SID in the API
MAX_NAME_CHARS = 100
MAX_DESCRIPTION_BYTES = 300
MAX_TITLE_BYTES = 500
MAX_SENDER_NAME_BYTES = 69
MAX_IMPORT_BYTES = 10 * 1024 * 1024
FILE_TYPE = "outbound-templates"
FILE_VERSION = 1


def _check_name(name: str, field: str) -> str:
    name = (name or "").strip()
    if not GROUP_NAME.match(name):
        raise Refused(_("%(field)s: 1 to 100 characters of Hangul, letters, digits, periods (.), "
                        "underscores (_) and hyphens (-)") % {"field": field})
    return name


@dataclass
class TemplateFields:
    """What a template is made of, checked against the reference's limits."""

    name: str
    title: str
    body: str
    sender_address: str
    description: str = ""
    sender_name: str = ""
    body_type: str = BodyType.EDITOR
    is_use: bool = True

    def checked(self, name_field: str = "templateName") -> TemplateFields:
        self.name = _check_name(self.name, name_field)
        self.description = self.description or ""
        self.sender_name = self.sender_name or ""
        self.sender_address = (self.sender_address or "").strip()
        if byte_length(self.description) > MAX_DESCRIPTION_BYTES:
            raise Refused(_("description: at most %(n)d bytes, not %(given)d") % {
                "n": MAX_DESCRIPTION_BYTES, "given": byte_length(self.description)})
        if not self.title or byte_length(self.title) > MAX_TITLE_BYTES:
            raise Refused(_("title: 1 to %(n)d bytes, not %(given)d") % {
                "n": MAX_TITLE_BYTES, "given": byte_length(self.title or "")})
        if "\n" in self.title or "\r" in self.title:
            raise Refused(_("title: must be one line"))
        if not self.body:
            raise Refused(_("body: required"))
        if not is_valid_address(self.sender_address):
            raise Refused(_("senderAddress: %(address)r is not a valid mail address") % {
                "address": self.sender_address})
        if byte_length(self.sender_name) > MAX_SENDER_NAME_BYTES:
            raise Refused(_("senderName: at most %(n)d bytes, not %(given)d") % {
                "n": MAX_SENDER_NAME_BYTES, "given": byte_length(self.sender_name)})
        if self.body_type not in BodyType.values:
            raise Refused(_("bodyType: one of %(types)s") % {"types": ", ".join(BodyType.values)})
        return self

    @classmethod
    def of(cls, template: Template) -> TemplateFields:
        return cls(name=template.name, title=template.title, body=template.body,
                   sender_address=template.sender_address, description=template.description,
                   sender_name=template.sender_name, body_type=template.body_type,
                   is_use=template.is_use)


# Categories ------------------------------------------------------------------------------------

def category_of(project: Project, sid: int | None, field: str = "parentSid"
                ) -> TemplateCategory | None:
    """The category of a SID (None for the root, -1 or nothing), or Refused."""
    if sid is None or int(sid) == ROOT:
        return None
    found = TemplateCategory.objects.filter(project=project, pk=sid).first()
    if found is None:
        raise Refused(_("%(field)s: there is no category %(sid)s") % {"field": field, "sid": sid})
    return found


def _next_position(model, **siblings) -> int:
    return (model.objects.filter(**siblings).aggregate(n=Max("position"))["n"] or 0) + 1


def _name_taken(project: Project, parent: TemplateCategory | None, name: str,
                but: TemplateCategory | None = None) -> bool:
    same = TemplateCategory.objects.filter(project=project, parent=parent, name=name)
    if but is not None:
        same = same.exclude(pk=but.pk)
    return same.exists()


def create_category(project: Project, name: str, parent: TemplateCategory | None
                    ) -> TemplateCategory:
    name = _check_name(name, "categoryName")
    if _name_taken(project, parent, name):
        raise Refused(_("categoryName: %(name)s exists in this category already") % {
            "name": name})
    return TemplateCategory.objects.create(
        project=project, parent=parent, name=name,
        position=_next_position(TemplateCategory, project=project, parent=parent))


def _ancestors(category: TemplateCategory | None) -> list[int]:
    seen = []
    while category is not None:
        seen.append(category.pk)
        category = category.parent
    return seen


def _place(item, siblings, lower) -> None:
    """Put `item` just above `lower` among its siblings (at the end without one)."""
    ordered = list(siblings.exclude(pk=item.pk).order_by("position", "name", "id"))
    index = next((i for i, s in enumerate(ordered) if lower is not None and s.pk == lower),
                 len(ordered))
    ordered.insert(index, item)
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position or sibling.pk == item.pk:
            sibling.position = position
            type(sibling).objects.filter(pk=sibling.pk).update(position=position)


def update_category(category: TemplateCategory, *, name: str | None = None,
                    parent_sid: int | None = None, lower_sid: int | None = None
                    ) -> TemplateCategory:
    """Rename and/or move a category (under `parent_sid`, above `lower_sid`)."""
    project = category.project
    parent = category.parent if parent_sid is None else category_of(project, parent_sid)
    if parent is not None and category.pk in _ancestors(parent):
        raise Refused(_("parentSid: a category cannot move into itself or below itself"))
    name = category.name if name is None else _check_name(name, "categoryName")
    if _name_taken(project, parent, name, but=category):
        raise Refused(_("categoryName: %(name)s exists in this category already") % {
            "name": name})
    with transaction.atomic():
        category.name, category.parent = name, parent
        category.save(update_fields=["name", "parent"])
        _place(category, TemplateCategory.objects.filter(project=project, parent=parent),
               lower_sid)
    return category


def delete_category(category: TemplateCategory) -> None:
    """Only an empty category goes: no sub-category, no template (deleted ones count)."""
    if category.children.exists() or category.templates.exists():
        raise Refused(_("categorySid: the category %(name)s is not empty; move or delete its "
                        "templates and sub-categories first") % {"name": category.name})
    category.delete()


# Templates -------------------------------------------------------------------------------------

def _save(template: Template, fields: list[str]) -> Template:
    try:
        with transaction.atomic():
            template.save(update_fields=fields) if template.pk else template.save()
    except IntegrityError:
        raise Refused(_("templateName: a template named %(name)s exists already") % {
            "name": template.name}) from None
    return template


def _unique_name(project: Project, name: str, but: Template | None = None) -> None:
    same = Template.objects.alive().filter(project=project, name=name)
    if but is not None:
        same = same.exclude(pk=but.pk)
    if same.exists():
        raise Refused(_("templateName: a template named %(name)s exists already") % {
            "name": name})


def create_template(project: Project, category: TemplateCategory | None,
                    fields: TemplateFields) -> Template:
    fields.checked()
    _unique_name(project, fields.name)
    return _save(Template(
        project=project, category=category,
        position=_next_position(Template, project=project, category=category),
        **vars(fields)), [])


def update_template(template: Template, fields: TemplateFields) -> Template:
    fields.checked()
    _unique_name(template.project, fields.name, but=template)
    for name, value in vars(fields).items():
        setattr(template, name, value)
    template.updated = timezone.now()
    return _save(template, [*vars(fields), "updated"])


def _check_new_name(name: str) -> str:
    """A name given to updateTemplateLocationOrName: its page gives only a length (its own
    example, "AD Template", has a space), so only that and one line are asked for here."""
    name = (name or "").strip()
    if not 1 <= len(name) <= MAX_NAME_CHARS or "\n" in name or "\r" in name or "\x00" in name:
        raise Refused(_("templateName: 1 to 100 characters on one line"))
    return name


def move_template(template: Template, *, name: str | None = None,
                  parent_sid: int | None = None, lower_sid: int | None = None) -> Template:
    """Rename and/or move a template (into `parent_sid`, above `lower_sid`)."""
    category = template.category if parent_sid is None else category_of(template.project,
                                                                          parent_sid)
    if name is not None:
        template.name = _check_new_name(name)
        _unique_name(template.project, template.name, but=template)
    with transaction.atomic():
        template.category = category
        template.updated = timezone.now()
        _save(template, ["name", "category", "updated"])
        _place(template, Template.objects.filter(project=template.project, category=category),
               lower_sid)
    return template


def set_in_use(template: Template, in_use: bool) -> None:
    template.is_use = in_use
    template.updated = timezone.now()
    template.save(update_fields=["is_use", "updated"])


def delete_template(template: Template) -> None:
    """Soft: the template leaves the lists and sends, and can be restored."""
    if template.deleted is None:
        template.deleted = timezone.now()
        template.save(update_fields=["deleted"])


def restore_template(template: Template) -> None:
    if template.deleted is None:
        return
    _unique_name(template.project, template.name, but=template)
    template.deleted = None
    _save(template, ["deleted"])


def purge_template(template: Template) -> None:
    """Delete for good a template already deleted (requests that used it keep its name)."""
    if template.deleted is None:
        raise Refused(_("templateSid: delete the template first; only a deleted template can "
                        "be deleted for good"))
    template.delete()


# The tree --------------------------------------------------------------------------------------

@dataclass
class Node:
    """A category or a template in the tree (TemplateStructureResponse)."""

    sid: int
    parent_sid: int
    created: datetime
    name: str
    is_category: bool
    is_use: bool
    children: list[Node]
    templates: list[Node]


def tree(project: Project, in_use_only: bool = False) -> list[Node]:
    """The project's categories and templates (not deleted) as a tree, in their order; the
    root's templates come after its categories."""
    categories = list(TemplateCategory.objects.filter(project=project))
    templates = Template.objects.alive().filter(project=project)
    if in_use_only:
        templates = templates.filter(is_use=True)
    nodes = {c.pk: Node(c.pk, c.parent_id or ROOT, c.created, c.name, True, True, [], [])
             for c in categories}
    root: list[Node] = []
    for category in categories:
        (nodes[category.parent_id].children if category.parent_id else root).append(
            nodes[category.pk])
    loose: list[Node] = []
    for template in templates:
        node = Node(template.pk, template.category_id or ROOT, template.created, template.name,
                    False, template.is_use, [], [])
        (nodes[template.category_id].templates if template.category_id else loose).append(node)
    return root + loose


def path_of(category: TemplateCategory | None) -> list[str]:
    names = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return names


def category_paths(project: Project) -> dict[int, list[str]]:
    """Every category's path of names from the root, read in one query."""
    rows = {pk: (parent, name) for pk, parent, name in TemplateCategory.objects.filter(
        project=project).values_list("pk", "parent_id", "name")}
    paths: dict[int, list[str]] = {}

    def path(pk: int) -> list[str]:
        if pk not in paths:
            parent, name = rows[pk]
            paths[pk] = [*(path(parent) if parent else []), name]
        return paths[pk]

    for pk in rows:
        path(pk)
    return paths


# Export and import ------------------------------------------------------------------------------

def export_document(project: Project, template_ids: list[int]) -> dict:
    """Every template asked for (all when none is named), with the path of its category."""
    templates = Template.objects.alive().filter(project=project).order_by(
        "category_id", "position", "id")
    if template_ids:
        templates = templates.filter(pk__in=template_ids)
    paths = category_paths(project)
    rows = []
    for template in templates:
        rows.append({"category": paths.get(template.category_id, []), "name": template.name,
                     "description": template.description, "title": template.title,
                     "body": template.body, "bodyType": template.body_type,
                     "senderAddress": template.sender_address,
                     "senderName": template.sender_name, "isUse": template.is_use})
    return {"type": FILE_TYPE, "version": FILE_VERSION, "exported": timezone.now().isoformat(),
            "templates": rows}


class ImportRefused(Refused):
    """The file cannot be imported; `problems` lists what is wrong, nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_import(data: bytes) -> list[tuple[list[str], TemplateFields]]:
    """Every template of an export file, checked, or ImportRefused listing every problem."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused([_("The file is larger than 10 MB.")])
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportRefused([_("The file is not a template export (not JSON).")]) from None
    if not isinstance(document, dict) or document.get("type") != FILE_TYPE or \
            not isinstance(document.get("templates"), list):
        raise ImportRefused([_("The file is not a template export of Outbound.")])
    found, problems, names = [], [], set()
    for index, row in enumerate(document["templates"], start=1):
        label = _("Template %(n)d") % {"n": index}
        if not isinstance(row, dict):
            problems.append(_("%(label)s: not a template") % {"label": label})
            continue
        label = f"{label} ({str(row.get('name'))[:100]})"
        try:
            path = row.get("category") or []
            if not isinstance(path, list) or not all(isinstance(p, str) for p in path):
                raise Refused(_("category: a list of category names"))
            path = [_check_name(part, "category") for part in path]
            text = {key: row.get(key) for key in ("name", "title", "body", "senderAddress",
                                                  "description", "senderName", "bodyType")}
            if not all(isinstance(v, str) or v is None for v in text.values()) or \
                    not isinstance(row.get("isUse", True), bool):
                raise Refused(_("a field has the wrong type"))
            fields = TemplateFields(
                name=text["name"] or "", title=text["title"] or "", body=text["body"] or "",
                sender_address=text["senderAddress"] or "",
                description=text["description"] or "", sender_name=text["senderName"] or "",
                body_type=text["bodyType"] or BodyType.EDITOR,
                is_use=row.get("isUse", True)).checked("name")
        except Refused as refused:
            problems.append(f"{label}: {refused}")
            continue
        if fields.name in names:
            problems.append(_("%(label)s: the file has this name twice") % {"label": label})
        names.add(fields.name)
        found.append((path, fields))
    if problems:
        raise ImportRefused(problems)
    if not found:
        raise ImportRefused([_("The file holds no template.")])
    return found


def import_templates(project: Project, parsed: list[tuple[list[str], TemplateFields]]) -> int:
    """Write checked templates, their categories created by path; all or none."""
    taken = set(Template.objects.alive().filter(
        project=project, name__in=[fields.name for _path, fields in parsed])
        .values_list("name", flat=True))
    if taken:
        raise ImportRefused([_("A template named %(name)s exists already.") % {"name": name}
                             for name in sorted(taken)])
    with transaction.atomic():
        for path, fields in parsed:
            parent = None
            for part in path:
                parent = (TemplateCategory.objects.filter(project=project, parent=parent,
                                                          name=part).first()
                          or create_category(project, part, parent))
            create_template(project, parent, fields)
    return len(parsed)


# The background jobs of export and import (console/jobs.py) --------------------------------------

def request_export(project: Project, user, template_ids: list[int]) -> TemplateExport:
    now = timezone.now()
    job = TemplateExport.objects.create(project=project, requested_by=user,
                                        template_ids=template_ids, created=now, heartbeat=now,
                                        expires=now + TemplateExport.LIFETIME)
    jobs.start(job)
    return job


def build_export(job_id: int) -> None:
    jobs.run(TemplateExport, job_id, _build_export)


def _build_export(job: TemplateExport, progress: jobs.Progress) -> dict:
    document = export_document(job.project, job.template_ids)
    progress(0, len(document["templates"]), force=True)
    output = jobs.FileOutput(job, ".json")
    try:
        output.partial.write_text(json.dumps(document, ensure_ascii=False, indent=1))
        relative = output.commit()
    except Exception:
        output.discard()
        raise
    created = timezone.localtime(job.created, zoneinfo.ZoneInfo(job.project.time_zone))
    return {"file": relative, "file_name": f"template_{created:%Y%m%d%H%M%S}.json",
            "progress_done": len(document["templates"])}


def request_import(project: Project, user, name: str, data: bytes) -> TemplateImport:
    """Keep the upload (checked when the worker reads it) and queue its import."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused([_("The file is larger than 10 MB.")])
    job = TemplateImport.objects.create(project=project, requested_by=user,
                                        file_name=(name or "")[:255], content=data)
    jobs.start(job)
    return job


def run_import(job_id: int) -> None:
    jobs.run(TemplateImport, job_id, _run_import)


def _run_import(job: TemplateImport, progress: jobs.Progress) -> dict:
    try:
        parsed = read_import(bytes(job.content or b""))
        progress(0, len(parsed), force=True)
        imported = import_templates(job.project, parsed)
    except ImportRefused as refused:
        raise jobs.JobRefused("\n".join(refused.problems)) from None
    return {"imported": imported, "progress_done": imported}
