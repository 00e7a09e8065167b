"""What a handler may answer besides a dict (200): another status, or no body."""

from dataclasses import dataclass


@dataclass
class Answered:
    """`Answered(201, {...})` (createFeedDocument), `Answered(202, {...})` (createFeed), `Answered(200, None)`
    (cancelFeed: 200 without a body)."""

    status: int
    body: object  # a JSON value, or None for no body
