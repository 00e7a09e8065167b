"""Stand-ins for the pipeline's Request and RawAnswer (core's pipeline.py is not merged yet),
and a hand-driven clock."""

from dataclasses import dataclass, field

from mws_component.spapi.credentials import SpApiCredentials
from ..fake_time import FakeTime as Clock  # noqa: F401  (the spapi tests call it Clock)

SECRET = "amzn1.oa2-cs.v1.SECRET+MARKER/7f3e"
REFRESH = "Atzr|IwEBIREFRESH-MARKER+x/y=z"
ACCESS = "Atza|ACCESS-TOKEN-MARKER+q/r=s"
CFG = {"api": "spapi", "lwaClientId": "amzn1.application-oa2-client.0123456789abcdef",
       "lwaClientSecret": SECRET, "refreshToken": REFRESH, "sellerId": "A1EXAMPLE23",
       "marketplaceId": "ATVPDKIKX0DER"}


def credentials(**overrides):
    return SpApiCredentials.from_cfg(CFG | overrides)


@dataclass
class Request:
    operation: object
    method: str
    url: str
    params: dict
    headers: dict
    body: object = None


@dataclass
class RawAnswer:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes | None = b""
    file: object = None
    size: int = 0
    md5: str | None = None
    attempts: int = 1


