"""Which API section serves a path, and which handler serves an action in it.

A section is registered with its handlers; adding the Feeds section is
`router.add(SectionRoute(FEEDS, feeds_actions, accepts_root_path=True))`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectionRoute:
    section: object  # mws_component.operations.Section
    actions: dict = field(default_factory=dict)  # Action name -> handler(call) -> Answer
    # The older official Feeds client posts to "/" (MWS_API.md §1.1); Amazon then routed by Action.
    accepts_root_path: bool = False


class Router:
    def __init__(self):
        self._by_path = {}

    def add(self, route):
        self._by_path[route.section.path] = route

    @property
    def routes(self):
        return list(self._by_path.values())

    def resolve(self, path, action=None):
        """The SectionRoute for a request path (and, for "/", its Action), or None."""
        normalized = path.rstrip("/") or "/"
        if normalized != "/":
            return self._by_path.get(normalized)
        for route in self._by_path.values():
            if route.accepts_root_path and action in route.actions:
                return route
        return None
