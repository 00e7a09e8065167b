"""The SP-API face keeps its own tables: nothing it imports, directly or through the sandbox, is the component's."""

import ast
from pathlib import Path

import mws_sandbox

PACKAGE = Path(mws_sandbox.__file__).parent


def imported_modules(path):
    """Absolute names of the modules a file of mws_sandbox imports."""
    package = ".".join(("mws_sandbox", *path.relative_to(PACKAGE).parent.parts))
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def file_of(module):
    parts = module.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"), PACKAGE.joinpath(*parts, "__init__.py")):
        if parts and candidate.is_file():
            return candidate
    return None


def test_the_spapi_face_imports_nothing_from_the_component():
    todo = list((PACKAGE / "spapi").glob("*.py"))
    seen = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for module in imported_modules(path):
            assert not module.startswith("mws_component"), f"{path.name} imports {module}"
            if module.startswith("mws_sandbox.") and file_of(module) is not None:
                todo.append(file_of(module))
    assert len(seen) > 8  # the face's own modules and the sandbox modules it stands on
