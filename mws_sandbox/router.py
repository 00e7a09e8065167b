"""Which face of the sandbox answers a request: the contract between the HTTP server and a face.

A face is one API's way of being spoken to (the MWS face: Signature Version 2,
query parameters, XML answers; gateway.MwsFace). It is an object with:

    name: str                          # for logs and the banner
    serves(path) -> bool               # the request paths it answers
    entry_points() -> {label: path}    # what the CLI banner prints
    handle(http) -> HttpAnswer         # a request, in full
    refusal(http, reason) -> HttpAnswer  # an answer without handling the request:
                                       # reason is faults.THROTTLE, faults.ERROR500,
                                       # faults.DROP or UNREADABLE_BODY

The Sandbox builds each face from the services it needs and registers it with
`router.add(face)`; the server asks `router.face_for(path)`. Faces are asked
in the order they were added; a path no face serves goes to the fallback face
(the MWS face, which answers Amazon's 404).
"""

from dataclasses import dataclass, field

# A refusal reason of the server's own: the body could not be read (next to the faults' kinds).
UNREADABLE_BODY = "unreadable_body"


@dataclass
class HttpRequest:
    method: str
    path: str  # as requested, without the query string
    query: str
    host: str
    content_type: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # names in lower case
    body_too_large: bool = False  # the body exceeded the sandbox's limit and was not kept


@dataclass
class HttpAnswer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)
    # For the request log:
    action: str | None = None  # the operation asked for, as the face names it
    params: dict = field(default_factory=dict)  # what the request carried, without its signature
    error_code: str | None = None
    request_id: str = ""


class Router:
    def __init__(self, fallback):
        self.fallback = fallback
        self._faces = []

    def add(self, face):
        self._faces.append(face)

    def face_for(self, path):
        """The first registered face that serves `path`, else the fallback."""
        for face in self._faces:
            if face.serves(path):
                return face
        return self.fallback

    def entry_points(self):
        """{label: path} of every face, for the banner."""
        points = {}
        for face in self._faces:
            points.update(face.entry_points())
        return points
