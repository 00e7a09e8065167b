"""Amazon's MWS endpoints and marketplace ids (Amazon MWS Developer Guide, "Amazon MWS endpoints and MarketplaceId values")."""

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import shown


@dataclass(frozen=True)
class Marketplace:
    country: str
    name: str
    region: str
    endpoint: str
    marketplace_id: str


MARKETPLACES = (
    Marketplace("BR", "Brazil", "NA", "https://mws.amazonservices.com", "A2Q3Y263D00KWC"),
    Marketplace("CA", "Canada", "NA", "https://mws.amazonservices.ca", "A2EUQ1WTGCTBG2"),
    Marketplace("MX", "Mexico", "NA", "https://mws.amazonservices.com.mx", "A1AM78C64UM0Y8"),
    Marketplace("US", "United States", "NA", "https://mws.amazonservices.com", "ATVPDKIKX0DER"),
    Marketplace("AE", "United Arab Emirates", "EU", "https://mws.amazonservices.ae", "A2VIGQ35RCS4UG"),
    Marketplace("DE", "Germany", "EU", "https://mws-eu.amazonservices.com", "A1PA6795UKMFR9"),
    Marketplace("EG", "Egypt", "EU", "https://mws-eu.amazonservices.com", "ARBP9OOSHTCHU"),
    Marketplace("ES", "Spain", "EU", "https://mws-eu.amazonservices.com", "A1RKKUPIHCS9HS"),
    Marketplace("FR", "France", "EU", "https://mws-eu.amazonservices.com", "A13V1IB3VIYZZH"),
    Marketplace("BE", "Belgium", "EU", "https://mws-eu.amazonservices.com", "AMEN7PMS3EDWL"),
    Marketplace("GB", "United Kingdom", "EU", "https://mws-eu.amazonservices.com", "A1F83G8C2ARO7P"),
    # India is listed under Europe in Amazon's own table.
    Marketplace("IN", "India", "EU", "https://mws.amazonservices.in", "A21TJRUUN4KGV"),
    Marketplace("IT", "Italy", "EU", "https://mws-eu.amazonservices.com", "APJ6JRA9NG5V4"),
    Marketplace("NL", "Netherlands", "EU", "https://mws-eu.amazonservices.com", "A1805IZSGTT6HS"),
    Marketplace("PL", "Poland", "EU", "https://mws-eu.amazonservices.com", "A1C3SOZRARQ6R3"),
    Marketplace("SA", "Saudi Arabia", "EU", "https://mws-eu.amazonservices.com", "A17E79C6D8DWNP"),
    Marketplace("SE", "Sweden", "EU", "https://mws-eu.amazonservices.com", "A2NODRKZP88ZB9"),
    Marketplace("TR", "Turkey", "EU", "https://mws-eu.amazonservices.com", "A33AVAJ2PDY3EV"),
    Marketplace("SG", "Singapore", "FE", "https://mws-fe.amazonservices.com", "A19VAU5U5O7RUS"),
    Marketplace("AU", "Australia", "FE", "https://mws.amazonservices.com.au", "A39IBJ37TRP1C6"),
    Marketplace("JP", "Japan", "FE", "https://mws.amazonservices.jp", "A1VC38T7YXB528"),
    # Legacy: removed from python-amazon-mws in 2020, still in Amazon's PHP samples.
    Marketplace("CN", "China", "CN", "https://mws.amazonservices.com.cn", "AAHKV2X7AFYLW"),
)

BY_ID = {m.marketplace_id: m for m in MARKETPLACES}

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def marketplace(marketplace_id):
    try:
        return BY_ID[marketplace_id]
    except KeyError:
        raise ValueError(f"unknown marketplaceId {marketplace_id!r}") from None


def select_model():
    """{marketplaceId: label} for the credentials form's SelectView."""
    return {m.marketplace_id: f"{m.name} ({m.country}, {m.marketplace_id})" for m in MARKETPLACES}


def is_loopback(host):
    """localhost or a loopback address; a name such as 127.example.com is not (it resolves anywhere)."""
    host = (host or "").lower().strip("[]")
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_DNS_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


def _is_host(host):
    """A DNS name (international ones too) or an IP address, as an HTTP client can connect to it."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    return len(name) <= 253 and all(_DNS_LABEL.match(label) for label in name.removesuffix(".").split("."))


def resolve_endpoint(marketplace_id, endpoint=None):
    """The base URL to call: the `endpoint` override, else the marketplace's.

    Plain http is refused except on loopback (the embedded sandbox), so a
    typo can never send signed requests in clear text across a network.
    """
    url = (endpoint or "").strip() or marketplace(marketplace_id).endpoint
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"endpoint must be an http(s) URL with a host, got {shown(url)}")
    if not _is_host(parts.hostname):
        raise ValueError(f"endpoint: {shown(parts.hostname)} is not a host name or IP address")
    try:
        parts.port
    except ValueError as exc:  # not a number, or beyond 65535
        raise ValueError(f"endpoint: bad port ({exc})") from None
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError("endpoint: plain http is only allowed for loopback hosts; use https")
    if parts.query or parts.fragment:
        raise ValueError("endpoint must not carry a query string or fragment")
    return url.rstrip("/")
