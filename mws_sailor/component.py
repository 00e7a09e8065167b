"""Finding and importing a component's functions from its component.json.

A function's "main" is a path relative to the component root, such as
"./mws_component/triggers/list_orders.py"; it is imported as the dotted module
mws_component.triggers.list_orders with the component root on sys.path, so the
component's own relative and absolute imports work as usual.
"""

import importlib
import json
import sys
from pathlib import Path, PurePosixPath

VERIFY_CREDENTIALS_KEY = "verifyCredentials"
VERIFY_CREDENTIALS_CONVENTION = "./mws_component/verify_credentials.py"


class ComponentError(Exception):
    pass


def module_name_for(main):
    """'./pkg/sub/mod.py' -> 'pkg.sub.mod'."""
    path = PurePosixPath(str(main).replace("\\", "/"))
    if path.suffix != ".py":
        raise ComponentError(f"'main' must be a .py file relative to the component root, got {main!r}")
    parts = [p for p in path.with_suffix("").parts if p not in (".", "")]
    if not parts or path.is_absolute() or ".." in parts or not all(p.isidentifier() for p in parts):
        raise ComponentError(f"'main' must be a .py file relative to the component root, got {main!r}")
    return ".".join(parts)


class Component:
    def __init__(self, root):
        self.root = Path(root).resolve()
        try:
            with open(self.root / "component.json", encoding="utf-8") as fh:
                self.descriptor = json.load(fh)
        except (OSError, ValueError) as exc:
            raise ComponentError(f"cannot read component.json in {self.root}: {exc}") from None

    def function_entry(self, name):
        for kind in ("triggers", "actions"):
            entry = (self.descriptor.get(kind) or {}).get(name)
            if entry is not None:
                return entry
        raise ComponentError(f"Trigger or action '{name}' is not found in component.json!")

    def import_module(self, main):
        root = str(self.root)
        if root not in sys.path:
            sys.path.insert(0, root)
        return importlib.import_module(module_name_for(main))

    def load_function(self, name):
        entry = self.function_entry(name)
        if not entry.get("main"):
            raise ComponentError(f"function '{name}' has no 'main' in component.json")
        return self.import_module(entry["main"])

    def load_verify_credentials(self):
        """The verifyCredentials module, or None when the component has none."""
        main = self.descriptor.get(VERIFY_CREDENTIALS_KEY)
        if not main:
            if not (self.root / VERIFY_CREDENTIALS_CONVENTION).is_file():
                return None
            main = VERIFY_CREDENTIALS_CONVENTION
        return self.import_module(main)
