"""The credentials form's fields (cfg) as a checked object."""

import os
import re
from dataclasses import dataclass

import requests

from .errors import ConfigurationError, shown
from .marketplaces import BY_ID, resolve_endpoint

_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
# What sellers type into the original component's required token field when
# they have no third-party authorisation; sending it would be refused.
_NO_TOKEN = {"", "test", "none", "-", "n/a"}


@dataclass(frozen=True)
class Credentials:
    seller_id: str
    access_key_id: str
    secret_access_key: str
    marketplace_id: str
    endpoint: str
    mws_auth_token: str | None = None

    @classmethod
    def from_cfg(cls, cfg):
        def text(name, required=True):
            value = cfg.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if required:
                    raise ConfigurationError(f"{name}: is required", field=name)
                return None
            if not isinstance(value, str):
                raise ConfigurationError(f"{name}: must be text", field=name)
            return value.strip()

        seller_id = text("sellerId")
        if not _ID.match(seller_id):
            raise ConfigurationError("sellerId: must be letters and digits (e.g. A1EXAMPLE23)", field="sellerId")
        access_key = text("accessKeyId")
        if not re.match(r"^[A-Za-z0-9]{8,128}$", access_key):
            raise ConfigurationError("accessKeyId: must be letters and digits", field="accessKeyId")
        secret = text("secretAccessKey")
        marketplace_id = text("marketplaceId")
        if marketplace_id not in BY_ID:
            raise ConfigurationError(f"marketplaceId: {shown(marketplace_id)} is not an Amazon marketplace id",
                                     field="marketplaceId")
        token = text("mwsAuthToken", required=False)
        if token is not None and token.lower() in _NO_TOKEN:
            token = None
        endpoint = checked_endpoint(marketplace_id, text("endpoint", required=False))
        return cls(seller_id, access_key, secret, marketplace_id, endpoint, token)

    @property
    def secrets(self):
        return tuple(s for s in (self.secret_access_key, self.mws_auth_token) if s)

    def __repr__(self):  # never print the secret or the token
        return (f"Credentials(seller_id={self.seller_id!r}, access_key_id={self.access_key_id!r}, "
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


def time_scale():
    """Quota clock speed-up for testing against a sandbox started with --time-scale."""
    try:
        value = float(os.environ.get("MWS_TIME_SCALE", "1"))
    except ValueError:
        return 1.0
    return value if value > 0 else 1.0
