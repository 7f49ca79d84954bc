"""The rules of shared/DESIGN.md §2 that hold the code together, checked on the source itself:
imports run one way (stats → mailer → addressbook → console, the project's wiring excepted),
there is no import cycle and no import inside a function to hide one, and no module outside the
model layer writes a status."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
# Lower layers first: a module may import its own layer and the ones below.
LAYERS = {"console": 0, "addressbook": 1, "mailer": 2, "stats": 3}
# The project's wiring names the apps by design: the URL roots and the API root.
WIRING = {"console.urls", "console.api_root"}
# Django loads apps, then calls ready(): the one place a module imports inside a function. The
# benchmarks import models only after django.setup(), which they must call first.
IMPORT_IN_FUNCTION_ALLOWED = ("apps",)
IMPORT_IN_FUNCTION_PACKAGES = ("bench",)
SCANNED = [*LAYERS, "bench"]


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: list[tuple[str, int, bool]] = field(default_factory=list)  # (target, line, nested)


def load(packages: list[str], base: Path = BASE) -> dict[str, Module]:
    modules = {}
    for package in packages:
        for path in sorted((base / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join(parts)
            modules[name] = Module(name, path, tree)
    for module in modules.values():
        module.imports = list(_imports(module, modules))
    return modules


def _imports(module: Module, modules: dict[str, Module]):
    """(imported project module, line, whether inside a function) for every import statement."""
    nested_nodes = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested_nodes.update(id(n) for n in ast.walk(node) if n is not node)
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in ast.walk(module.tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module.name:
                yield target, node.lineno, id(node) in nested_nodes


def _layer(name: str) -> int | None:
    return LAYERS.get(name.split(".")[0])


def layering_violations(modules: dict[str, Module]) -> list[str]:
    found = []
    for module in modules.values():
        source = _layer(module.name)
        if source is None or module.name in WIRING:
            continue
        for target, line, _nested in module.imports:
            layer = _layer(target)
            if layer is not None and layer > source:
                found.append(f"{module.name}:{line} imports {target}, a layer above it")
    return found


def nested_imports(modules: dict[str, Module]) -> list[str]:
    return [f"{module.name}:{line} imports {target} inside a function"
            for module in modules.values()
            if module.name.rpartition(".")[2] not in IMPORT_IN_FUNCTION_ALLOWED
            and module.name.split(".")[0] not in IMPORT_IN_FUNCTION_PACKAGES
            for target, line, nested in module.imports if nested]


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph = {name: sorted({t for t, _line, _n in m.imports}) for name, m in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def _is_model_layer(name: str) -> bool:
    return name.endswith(".models") or ".migrations." in name


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def status_writes(modules: dict[str, Module]) -> list[str]:
    """`.update(status=…)`, `x.status = …`, a bulk write naming status, or SQL that sets it,
    anywhere but in a models module."""
    found = []
    for module in modules.values():
        if _is_model_layer(module.name):
            continue
        for node in ast.walk(module.tree):
            where = f"{module.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and _called(node) in ("update", "bulk_update") and any(
                    k.arg == "status" for k in node.keywords):
                found.append(f"{where} .{_called(node)}(status=…)")
            if isinstance(node, ast.Call) and _called(node) in ("update_rows", "bulk_update"):
                found += [f"{where} {_called(node)} of status" for arg in node.args
                          if isinstance(arg, ast.List | ast.Tuple)
                          and any(isinstance(e, ast.Constant) and e.value == "status"
                                  for e in arg.elts)]
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [f"{where} .status = …" for t in targets
                          if isinstance(t, ast.Attribute) and t.attr == "status"]
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.lower()
                if "update" in text and ('set "status"' in text or "set status" in text):
                    found.append(f"{where} SQL that sets status")
    return found


# The checks on the project's own source.

def test_imports_run_one_way():
    assert layering_violations(load(SCANNED)) == []


def test_there_is_no_import_cycle():
    assert cycles(load(SCANNED)) == []


def test_no_import_hides_inside_a_function():
    assert nested_imports(load(SCANNED)) == []


def test_only_the_model_layer_writes_a_status():
    assert status_writes(load(SCANNED)) == []


# The checks catch what they are meant to (on a little project written for it).

def _project(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in ("console", "addressbook", "mailer"):
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return load(["console", "addressbook", "mailer"], base=tmp_path)


def test_the_checks_find_an_upward_import_a_cycle_a_hidden_import_and_a_status_write(tmp_path):
    modules = _project(tmp_path, {
        "console/menu.py": "from mailer import views\n",
        "console/urls.py": "from mailer import views\n",
        "mailer/views.py": "from mailer.delivery import send\n",
        "mailer/delivery.py": ("def send():\n    from mailer.views import page\n"
                               "    Mail.objects.filter(pk=1).update(status='S')\n"),
        "mailer/models.py": "def move(qs):\n    qs.update(status='S')\n",
        "addressbook/book.py": "def f(row):\n    row.status = 'done'\n",
    })
    assert layering_violations(modules) == ["console.menu:1 imports mailer.views, a layer "
                                            "above it"]
    assert cycles(modules) == [["mailer.delivery", "mailer.views"]]
    assert nested_imports(modules) == ["mailer.delivery:2 imports mailer.views inside a "
                                       "function"]
    assert sorted(status_writes(modules)) == ["addressbook.book:2 .status = …",
                                              "mailer.delivery:3 .update(status=…)"]
