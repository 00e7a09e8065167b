"""SP-API credentials (cfg with api "spapi") as a checked object, and the SP-API marketplaces.

The marketplace selects the region and so the host (SP-API: SP-API Endpoints;
SP-API: Marketplace IDs). The ids are the MWS ones, but MWS's per-country hosts
are gone: three regional hosts serve every marketplace, and Ireland and South
Africa are new. The LWA token URL is one for all regions.
"""

import re
from dataclasses import dataclass

from ..errors import ConfigurationError, shown
# The loopback and URL rules are the MWS endpoint's (plain http only on loopback); reused, not copied.

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"


@dataclass(frozen=True)
class Region:
    code: str
    host: str  # production
    sandbox_host: str  # Amazon's static sandbox


REGIONS = {r.code: r for r in (
    Region("NA", "https://sellingpartnerapi-na.amazon.com", "https://sandbox.sellingpartnerapi-na.amazon.com"),
    Region("EU", "https://sellingpartnerapi-eu.amazon.com", "https://sandbox.sellingpartnerapi-eu.amazon.com"),
    Region("FE", "https://sellingpartnerapi-fe.amazon.com", "https://sandbox.sellingpartnerapi-fe.amazon.com"),
)}


@dataclass(frozen=True)
class Marketplace:
    country: str  # as Amazon's Marketplace IDs page writes it (UK, not GB)
    name: str
    region: str
    marketplace_id: str

    @property
    def endpoint(self):
        return REGIONS[self.region].host


MARKETPLACES = (
    Marketplace("CA", "Canada", "NA", "A2EUQ1WTGCTBG2"),
    Marketplace("US", "United States", "NA", "ATVPDKIKX0DER"),
    Marketplace("MX", "Mexico", "NA", "A1AM78C64UM0Y8"),
    Marketplace("BR", "Brazil", "NA", "A2Q3Y263D00KWC"),
    Marketplace("IE", "Ireland", "EU", "A28R8C7NBKEWEA"),
    Marketplace("ES", "Spain", "EU", "A1RKKUPIHCS9HS"),
    Marketplace("UK", "United Kingdom", "EU", "A1F83G8C2ARO7P"),
    Marketplace("FR", "France", "EU", "A13V1IB3VIYZZH"),
    Marketplace("BE", "Belgium", "EU", "AMEN7PMS3EDWL"),
    Marketplace("NL", "Netherlands", "EU", "A1805IZSGTT6HS"),
    Marketplace("DE", "Germany", "EU", "A1PA6795UKMFR9"),
    Marketplace("IT", "Italy", "EU", "APJ6JRA9NG5V4"),
    Marketplace("SE", "Sweden", "EU", "A2NODRKZP88ZB9"),
    Marketplace("ZA", "South Africa", "EU", "AE08WJ6YKNBMC"),
    Marketplace("PL", "Poland", "EU", "A1C3SOZRARQ6R3"),
    Marketplace("EG", "Egypt", "EU", "ARBP9OOSHTCHU"),
    Marketplace("TR", "Turkey", "EU", "A33AVAJ2PDY3EV"),
    Marketplace("SA", "Saudi Arabia", "EU", "A17E79C6D8DWNP"),
    Marketplace("AE", "United Arab Emirates", "EU", "A2VIGQ35RCS4UG"),
    # India is served by the EU host.
    Marketplace("IN", "India", "EU", "A21TJRUUN4KGV"),
    Marketplace("SG", "Singapore", "FE", "A19VAU5U5O7RUS"),
    Marketplace("AU", "Australia", "FE", "A39IBJ37TRP1C6"),
    Marketplace("JP", "Japan", "FE", "A1VC38T7YXB528"),
)

BY_ID = {m.marketplace_id: m for m in MARKETPLACES}


def marketplace(marketplace_id):
    try:
        return BY_ID[marketplace_id]
    except KeyError:
        raise ValueError(f"unknown SP-API marketplaceId {marketplace_id!r}") from None


def region_of(marketplace_id):
    return marketplace(marketplace_id).region


def select_model():
    """{marketplaceId: label} of the SP-API marketplaces."""
    return {m.marketplace_id: f"{m.name} ({m.country}, {m.marketplace_id})" for m in MARKETPLACES}


APIS = {"spapi": "Selling Partner API (SP-API)",
        "mws": "Marketplace Web Service (MWS, retired by Amazon; for MWS-compatible endpoints)"}


def api_of(cfg):
    """Which API a saved cfg speaks: its `api` field; without one (a cfg saved before the field
    existed) MWS when it has an accessKeyId (or secretAccessKey), SP-API otherwise."""
    api = cfg.get("api")
    if api in (None, ""):
        # A step saved before the field existed carries the MWS keys (even when one is blank or wrong,
        # the error must then name that MWS field, not an SP-API one).
        def given(name):
            return isinstance(cfg.get(name), str) and bool(cfg[name].strip())
        if given("accessKeyId"):
            return "mws"
        if any(given(name) for name in ("lwaClientId", "lwaClientSecret", "refreshToken")):
            return "spapi"
        return "mws" if "accessKeyId" in cfg or "secretAccessKey" in cfg else "spapi"
    if api not in APIS:
        raise ConfigurationError(f"api: must be one of {', '.join(APIS)}, got {shown(api)}", field="api")
    return api


_SELLER_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
# LWA values are printable ASCII without spaces (amzn1.application-oa2-client.…, Atzr|…).
_LWA_VALUE = re.compile(r"^[\x21-\x7e]{1,2048}$")
# A URL-checking call needs a marketplace id only for its default endpoint, which is never used here.
_ANY_MWS_MARKETPLACE = "ATVPDKIKX0DER"


def _checked_url(url, field):
    """An https URL (http only on loopback) with a host and no query, checked as the MWS endpoint is
    (credentials.checked_endpoint), the error in the one form "<field>: <what is wrong>"."""
    from ..credentials import checked_endpoint  # imported here: that module imports this one
    try:
        return checked_endpoint(_ANY_MWS_MARKETPLACE, url)
    except ConfigurationError as exc:
        raise ConfigurationError(field + str(exc)[len("endpoint"):], field=field) from None


@dataclass(frozen=True)
class SpApiCredentials:
    lwa_client_id: str
    lwa_client_secret: str
    refresh_token: str
    seller_id: str
    marketplace_id: str
    region: str
    endpoint: str  # the base URL to call: the override, else the region's host
    lwa_endpoint: str = LWA_TOKEN_URL
    api: str = "spapi"

    @classmethod
    def from_cfg(cls, cfg):
        def text(name, required=True):
            value = cfg.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if required:
                    raise ConfigurationError(f"{name}: is required", field=name)
                return None
            if not isinstance(value, str):
                raise ConfigurationError(f"{name}: must be a string", field=name)
            return value.strip()

        def lwa_value(name, what):
            value = text(name)
            if not _LWA_VALUE.match(value):  # never quoted: it may be a secret
                raise ConfigurationError(f"{name}: must be the {what} as Amazon shows it "
                                         "(no spaces or line breaks inside)", field=name)
            return value

        client_id = lwa_value("lwaClientId", "LWA client identifier")
        client_secret = lwa_value("lwaClientSecret", "LWA client secret")
        refresh_token = lwa_value("refreshToken", "refresh token")
        if refresh_token.startswith("Atza|"):
            raise ConfigurationError("refreshToken: holds an access token (Atza|…), which lasts one "
                                     "hour; paste the refresh token (Atzr|…)", field="refreshToken")
        if client_secret == client_id:
            raise ConfigurationError("lwaClientSecret: repeats the client identifier; paste the "
                                     "client secret shown beside it", field="lwaClientSecret")
        seller_id = text("sellerId")
        if not _SELLER_ID.match(seller_id):
            raise ConfigurationError("sellerId: must be letters and digits (the merchant token, "
                                     "e.g. A1EXAMPLE23)", field="sellerId")
        marketplace_id = text("marketplaceId")
        if marketplace_id not in BY_ID:
            raise ConfigurationError(f"marketplaceId: {shown(marketplace_id)} is not an SP-API "
                                     "marketplace id", field="marketplaceId")
        market = BY_ID[marketplace_id]
        endpoint = _checked_url(text("endpoint", required=False) or market.endpoint, "endpoint")
        lwa_endpoint = _checked_url(text("lwaEndpoint", required=False) or LWA_TOKEN_URL, "lwaEndpoint")
        return cls(client_id, client_secret, refresh_token, seller_id, marketplace_id, market.region,
                   endpoint, lwa_endpoint)

    @property
    def secrets(self):
        return tuple(s for s in (self.lwa_client_secret, self.refresh_token) if s)

    @property
    def seller_key(self):
        """Amazon counts usage plans per selling partner and region."""
        return (self.seller_id, self.region, self.endpoint)

    def __repr__(self):  # never the client secret or the refresh token
        return (f"SpApiCredentials(seller_id={self.seller_id!r}, lwa_client_id={self.lwa_client_id!r}, "
                f"marketplace_id={self.marketplace_id!r}, region={self.region!r}, endpoint={self.endpoint!r}, "
                f"lwa_endpoint={self.lwa_endpoint!r})")

    __str__ = __repr__
