"""The console's navigation: the entries of the side menu and the tabs of Settings, declared by
the apps that own the screens (from their AppConfig.ready()), so console names no app above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    """A menu entry: lit up on its own page and on the pages named in `active`."""

    key: str
    label: str
    url_name: str
    icon: str
    order: int
    active: frozenset[str] = field(default_factory=frozenset)
    shown: Callable[[], bool] = lambda: True


@dataclass(frozen=True)
class SettingsTab:
    label: str
    url_name: str
    order: int
    admin_only: bool = False


_ENTRIES: dict[str, Entry] = {}
_SETTINGS_TABS: dict[str, SettingsTab] = {}
SETTINGS_KEY = "settings"


def add_entry(entry: Entry) -> None:
    _ENTRIES[entry.key] = entry


def add_settings_tab(tab: SettingsTab) -> None:
    _SETTINGS_TABS[tab.url_name] = tab


def entries() -> list[Entry]:
    return sorted((e for e in _ENTRIES.values() if e.shown()), key=lambda e: e.order)


def settings_tabs(is_admin: bool) -> list[SettingsTab]:
    return sorted((t for t in _SETTINGS_TABS.values() if is_admin or not t.admin_only),
                  key=lambda t: t.order)


def home_url(project) -> str:
    """Where a project opens: its first menu entry."""
    return reverse(entries()[0].url_name, kwargs={"project": project.slug})


def menu(request: HttpRequest, project) -> list[dict]:
    match = request.resolver_match
    current = match.view_name if match else ""
    result = []
    for entry in entries():
        names = {entry.url_name, *entry.active}
        if entry.key == SETTINGS_KEY:
            names |= set(_SETTINGS_TABS)
        result.append({"key": entry.key, "label": entry.label, "icon": entry.icon,
                       "active": current in names,
                       "url": reverse(entry.url_name, kwargs={"project": project.slug})})
    return result
