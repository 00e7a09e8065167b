"""The credentials form's fields (cfg) as checked credentials of one Amazon API.

`credentials_from_cfg(cfg)` picks the API from cfg["api"] and checks that API's
fields, raising ConfigurationError that names the bad field; the functions then
open the seller's account with them (account.py). Secrets never appear in a repr.
"""

import re
from dataclasses import dataclass
from typing import ClassVar

import requests

from .errors import ConfigurationError, shown
from .marketplaces import BY_ID, resolve_endpoint

_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
# What sellers type into the original component's required token field when
# they have no third-party authorisation; sending it would be refused.
_NO_TOKEN = {"", "test", "none", "-", "n/a"}


def _text(cfg, name, required=True):
    value = cfg.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ConfigurationError(f"{name}: is required", field=name)
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"{name}: must be text", field=name)
    return value.strip()


@dataclass(frozen=True)
class MwsCredentials:
    api: ClassVar[str] = "mws"
    seller_id: str
    access_key_id: str
    secret_access_key: str
    marketplace_id: str
    endpoint: str
    mws_auth_token: str | None = None

    @classmethod
    def from_cfg(cls, cfg):
        seller_id = _text(cfg, "sellerId")
        if not _ID.match(seller_id):
            raise ConfigurationError("sellerId: must be letters and digits (e.g. A1EXAMPLE23)", field="sellerId")
        access_key = _text(cfg, "accessKeyId")
        if not re.match(r"^[A-Za-z0-9]{8,128}$", access_key):
            raise ConfigurationError("accessKeyId: must be letters and digits", field="accessKeyId")
        secret = _text(cfg, "secretAccessKey")
        marketplace_id = _text(cfg, "marketplaceId")
        if marketplace_id not in BY_ID:
            raise ConfigurationError(f"marketplaceId: {shown(marketplace_id)} is not an Amazon marketplace id",
                                     field="marketplaceId")
        token = _text(cfg, "mwsAuthToken", required=False)
        if token is not None and token.lower() in _NO_TOKEN:
            token = None
        endpoint = checked_endpoint(marketplace_id, _text(cfg, "endpoint", required=False))
        return cls(seller_id, access_key, secret, marketplace_id, endpoint, token)

    @property
    def secrets(self):
        return tuple(s for s in (self.secret_access_key, self.mws_auth_token) if s)

    def __repr__(self):  # never print the secret or the token
        return (f"MwsCredentials(seller_id={self.seller_id!r}, access_key_id={self.access_key_id!r}, "
                f"marketplace_id={self.marketplace_id!r}, endpoint={self.endpoint!r}, "
                f"mws_auth_token={'set' if self.mws_auth_token else None})")


def checked_endpoint(marketplace_id, given):
    """The base URL to call, or ConfigurationError "endpoint: <what is wrong>" for any malformed URL
    (urllib's own errors such as "Invalid IPv6 URL" included)."""
    try:
        url = resolve_endpoint(marketplace_id, given)
        requests.models.PreparedRequest().prepare_url(url, None)    # what the transport will do with it
        return url
    except (ValueError, requests.exceptions.RequestException) as exc:
        what = str(exc).removeprefix("endpoint: ").removeprefix("endpoint ")
        if what == str(exc) and given is not None:     # urllib's words: say which value they are about
            what = f"{shown(given)} is not a usable URL: {exc}"
        raise ConfigurationError(f"endpoint: {what}", field="endpoint") from None


def _spapi_credentials(cfg):
    from .spapi.credentials import SpApiCredentials
    return SpApiCredentials.from_cfg(cfg)


# cfg["api"] -> what checks that API's fields. A cfg without "api" (saved before the field existed)
# is MWS when it has an accessKeyId, SP-API otherwise (spapi.credentials.api_of).
_BY_API = {"mws": MwsCredentials.from_cfg, "spapi": _spapi_credentials}


def credentials_from_cfg(cfg):
    """The checked credentials of the API the cfg names (ConfigurationError names a bad field)."""
    if not isinstance(cfg, dict):
        raise ConfigurationError("cfg: the step's configuration must be an object", field="cfg")
    from .spapi.credentials import api_of
    return _BY_API[api_of(cfg)](cfg)


def _all_marketplace_ids():
    from .marketplaces import BY_ID
    from .spapi.credentials import MARKETPLACES
    return tuple(dict.fromkeys([*BY_ID, *(m.marketplace_id for m in MARKETPLACES)]))


# Every marketplace id either API knows (SP-API adds Ireland and South Africa; MWS had China).
ALL_MARKETPLACE_IDS = _all_marketplace_ids()


def marketplace_choices(cfg):
    """{marketplaceId: label} of the API the cfg names, for a step's marketplace select model."""
    from .marketplaces import select_model
    from .spapi.credentials import api_of, select_model as spapi_select_model
    try:
        api = api_of(cfg if isinstance(cfg, dict) else {})
    except ConfigurationError:
        api = "mws"
    return spapi_select_model() if api == "spapi" else select_model()
