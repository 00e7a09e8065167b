"""Reading the generated feed descriptions (schemas/feeds/descriptions, written by
tools/gen_category_schemas.py). The runtime never reads Amazon's XSDs."""

import json
import threading
from pathlib import Path

from ..schemas import SCHEMAS_DIR

DEFAULT_FOLDER = SCHEMAS_DIR / "feeds" / "descriptions"
FORMAT = "mws-feed-description/1"


class DescriptionStore:
    """Named element and type definitions; a root's file is read the first time it is needed."""

    def __init__(self, folder=None):
        self.folder = Path(folder or DEFAULT_FOLDER)
        self.roots = self._read("index.json")["roots"]      # root element -> file
        self.elements, self.types = {}, {}
        self._merged = set()
        self._lock = threading.Lock()
        self._merge("common.json")

    def element(self, name):
        if name not in self.elements and name in self.roots:
            self._merge(self.roots[name])
        try:
            return self.elements[name]
        except KeyError:
            raise LookupError(f"no description of element {name} in {self.folder}") from None

    def type(self, name):
        try:
            return self.types[name]
        except KeyError:
            raise LookupError(f"no description of type {name} in {self.folder}") from None

    def _read(self, relative):
        data = json.loads((self.folder / relative).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise LookupError(f"{self.folder / relative}: not a {FORMAT} file")
        return data

    def _merge(self, relative):
        with self._lock:
            if relative in self._merged:
                return
            data = self._read(relative)
            # Names are global in the XSD set, so one flat table per section is enough.
            self.types.update(data["types"])
            self.elements.update(data["elements"])
            self._merged.add(relative)
