"""Finding and importing a component's functions from its component.json.

The one loader of the runtime (`mws-component sail`, `serve`) and of the local
runner (`mws-component run`). A function's "main" is a path relative to the
component root, such as "./mws_component/triggers/list_orders.py"; it is
imported as the dotted module mws_component.triggers.list_orders with the
component root on sys.path, so the component's own relative and absolute imports
work as usual. verifyCredentials is found the same way, from the top-level
"verifyCredentials" key of component.json.
"""

import importlib
import json
import sys
from pathlib import Path, PurePosixPath

VERIFY_CREDENTIALS = "verifyCredentials"
KINDS = ("triggers", "actions")


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

    def function_names(self):
        return sorted(name for kind in KINDS for name in (self.descriptor.get(kind) or {}))

    def function_entry(self, name):
        for kind in KINDS:
            entry = (self.descriptor.get(kind) or {}).get(name)
            if entry is not None:
                return entry
        # The Node sailor's words, then the names there are.
        raise ComponentError(f"Trigger or action '{name}' is not found in component.json! "
                             f"Known: {', '.join(self.function_names())}.")

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
        """The module named by component.json's "verifyCredentials", or None when it names none."""
        main = self.descriptor.get(VERIFY_CREDENTIALS)
        return self.import_module(main) if main else None
