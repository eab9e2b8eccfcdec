"""The package's rooms import only rooms below them, in the order the README's architecture
section lists them, and no module imports itself back through others.

The imports are read from the source (every `import`, also inside functions), so a lazy import
cannot hide a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dashboard"
# Bottom to top. Modules at the top of the package (cli, __main__) sit above every room.
LAYERS = (
    "reference",
    "definition",
    "store",
    "protection",
    "coding",
    "importer",
    "publish",
    "web",
)
TOP = "(top)"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else TOP


def rank(room: str) -> int:
    return LAYERS.index(room) if room in LAYERS else len(LAYERS)


def imported_modules(source: str, module: str, known: set[str]) -> set[str]:
    """The `dashboard` modules that `source` imports (a `from x import y` counts y when it is a
    module itself, else x)."""
    found: set[str] = set()
    package = module if module in known and _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {name for name in found if name == "dashboard" or name.startswith("dashboard.")}


def _is_package(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/") / "__init__.py").exists()


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    known = set(sources)
    return {
        module: {m for m in imported_modules(text, module, known) if m != module}
        for module, text in sources.items()
    }


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import from a room into a room above it, as readable lines."""
    wrong = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if target == "dashboard":
                continue
            if rank(room_of(target)) > rank(room_of(module)):
                wrong.append(f"{module} ({room_of(module)}) imports {target} ({room_of(target)})")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_sources() -> dict[str, str]:
    return {
        module_name(path): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
        # Page scripts are run by Streamlit, never imported: they count as the web room.
        if "__pycache__" not in path.parts
    }


def test_no_room_imports_a_room_above_it() -> None:
    graph = import_graph(package_sources())
    assert len(graph) > 40, "the walk found too few modules to be checking the package"
    assert upward_imports(graph) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph(package_sources())) == []


def test_every_room_is_a_folder_whose_init_says_what_it_may_import() -> None:
    for room in LAYERS:
        init = PACKAGE / room / "__init__.py"
        assert init.exists(), f"dashboard/{room}/ has no __init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"dashboard/{room}/__init__.py opens with no docstring"
        assert "import" in doc.lower(), (
            f"dashboard/{room}/__init__.py does not say what it may import"
        )
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(LAYERS), "a folder of dashboard/ is missing from the layering"


def test_the_readme_lists_the_rooms_in_this_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^[├└]── (\w+)/ ", readme, flags=re.M)
    rooms_in_readme = [name for name in listed if name in LAYERS]
    # The README's tree is drawn top room first.
    assert rooms_in_readme == list(reversed(LAYERS))


# The checks themselves, on made-up packages: they must catch what they are for.


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            {
                "dashboard.store.database": "from dashboard.web import data\n",
                "dashboard.web.data": "import dashboard.store.database\n",
            },
            ["dashboard.store.database (store) imports dashboard.web.data (web)"],
        ),
        (
            {
                "dashboard.reference.geo": "def f():\n    from dashboard.coding import codebook\n",
                "dashboard.coding.codebook": "",
            },
            ["dashboard.reference.geo (reference) imports dashboard.coding.codebook (coding)"],
        ),
        (
            {"dashboard.web.ui": "from dashboard import cli\n", "dashboard.cli": ""},
            ["dashboard.web.ui (web) imports dashboard.cli ((top))"],
        ),
        (
            {
                "dashboard.publish.charts": "from dashboard.reference.geo import MAP_DIR\n",
                "dashboard.reference.geo": "",
            },
            [],
        ),
    ],
)
def test_upward_imports_are_found(sources: dict[str, str], expected: list[str]) -> None:
    assert upward_imports(import_graph(sources)) == expected


def test_a_cycle_is_found() -> None:
    graph = import_graph(
        {
            "dashboard.store.a": "from dashboard.store import b\n",
            "dashboard.store.b": "import dashboard.store.c\n",
            "dashboard.store.c": "from dashboard.store.a import thing\n",
            "dashboard.store.d": "from dashboard.store import a\n",
        }
    )
    assert cycles(graph) == [["dashboard.store.a", "dashboard.store.b", "dashboard.store.c"]]
