"""The sandbox imports nothing from the component: it checks the client, it must not echo it."""

import ast
import subprocess
import sys
from pathlib import Path

import mws_sandbox

PACKAGE = Path(mws_sandbox.__file__).parent


def imported_modules(path):
    """Absolute names of the modules a file imports (relative ones resolved), and module-name strings."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            names.append(".".join([*base, *([node.module] if node.module else [])]))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                node.value.startswith("mws_component"):
            names.append(node.value)  # importlib.import_module("mws_component...") and the like
    return names


def test_no_module_of_the_sandbox_names_the_component():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        bad = [name for name in imported_modules(path) if name.split(".")[0] != "mws_sandbox"
               and name.split(".")[0] in ("mws_component", "mws_sailor", "mws_tools")]
        if bad:
            offenders[str(path.relative_to(PACKAGE.parent))] = bad
    assert offenders == {}


def test_the_sandbox_needs_only_the_standard_library_and_the_projects_own_dependencies():
    # lxml for its XML; jsonschema for the product types' JSON Schemas; dateutil for SP-API's date-times
    allowed = set(sys.stdlib_module_names) | {"mws_sandbox", "lxml", "jsonschema", "dateutil"}
    outside = {name for path in PACKAGE.rglob("*.py") for name in imported_modules(path)
               if name.split(".")[0] not in allowed}
    assert outside == set()


def test_the_scan_sees_imports():
    # The scanner itself: it must find the imports this package does have.
    assert "mws_sandbox.tables" in imported_modules(PACKAGE / "gateway.py")
    assert "mws_sandbox.apierror" in imported_modules(PACKAGE / "feeds" / "section.py")


def test_importing_and_running_the_sandbox_loads_no_component_module():
    script = (
        "import pkgutil, importlib, sys, mws_sandbox\n"
        "for info in pkgutil.walk_packages(mws_sandbox.__path__, 'mws_sandbox.'):\n"
        "    importlib.import_module(info.name)\n"
        "with mws_sandbox.Sandbox(orders=3) as sb:\n"
        "    sb.url\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mws_component', 'mws_sailor', 'mws_tools')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
