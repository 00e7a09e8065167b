"""Fixtures for the SP-API face's tests: a started Sandbox and an SP-API caller over real HTTP.

The caller checks every answer it gets against the Orders API 2026-01-01 model (spapi_model), and every
token answer against Login with Amazon's documented shape, so no test can see an answer the model
would not allow.
"""

import pytest
import requests

from mws_sandbox import Sandbox

from .spapi_model import declared_headers, validate_response

SEARCH = "/orders/2026-01-01/orders"
EARLY = "2000-01-01T00:00:00Z"
US, CA, DE, GB, JP, IN = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1PA6795UKMFR9", "A1F83G8C2ARO7P",
                          "A1VC38T7YXB528", "A21TJRUUN4KGV")
NA_MARKETS = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8")
ALL_DATA = "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS"


def operation_of(path):
    rest = path.split("?")[0]
    for prefix in ("/na/", "/eu/", "/fe/"):
        if rest.startswith(prefix):
            rest = rest[3:]
    if rest == SEARCH:
        return "searchOrders"
    if rest.startswith(SEARCH + "/"):
        return "getOrder"
    return None


def checked(response):
    """`response` after checking its body and headers against the model (SP-API) or LWA's shape."""
    assert response.headers.get("x-amzn-RequestId"), "every answer carries x-amzn-RequestId"
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    response.body = body
    path = requests.utils.urlparse(response.url).path
    operation = operation_of(path)
    if operation is not None:
        validate_response(operation, response.status_code, body)
        # x-amzn-RateLimit-Limit where the model declares it (2xx, 400, 404), nowhere else.
        assert ("x-amzn-RateLimit-Limit" in response.headers) == \
            ("x-amzn-RateLimit-Limit" in declared_headers(operation, response.status_code)), response.status_code
    elif path.endswith("/auth/o2/token"):
        if response.status_code == 200:
            assert set(body) == {"access_token", "token_type", "expires_in"}
        else:
            assert set(body) == {"error", "error_description"} and all(isinstance(v, str) for v in body.values())
    return response


class SpApi:
    """Gets an access token with the sandbox's SP-API credentials and calls the Orders API."""

    def __init__(self, sandbox, region_prefix=""):
        self.sandbox = sandbox
        self.credentials = sandbox.spapi_credentials
        self.base = self.credentials["endpoint"] + region_prefix
        self.session = requests.Session()
        self.token = None

    def grant(self, **overrides):
        fields = {"grant_type": "refresh_token", "refresh_token": self.credentials["refreshToken"],
                  "client_id": self.credentials["lwaClientId"],
                  "client_secret": self.credentials["lwaClientSecret"], **overrides}
        fields = {k: v for k, v in fields.items() if v is not None}
        return checked(self.session.post(self.credentials["lwaEndpoint"], data=fields, timeout=10))

    def access_token(self):
        if self.token is None:
            response = self.grant()
            assert response.status_code == 200, response.text
            self.token = response.body["access_token"]
        return self.token

    def get(self, path, params=None, *, token="default", headers=None):
        """GET `path`; `params` is a dict (encoded by requests) or a ready query string."""
        headers = dict(headers or {})
        if token == "default":
            token = self.access_token()
        if token is not None:
            headers["x-amz-access-token"] = token
        url = self.base + path
        if isinstance(params, str):
            url, params = f"{url}?{params}", None
        return checked(self.session.get(url, params=params, headers=headers, timeout=10))

    def search(self, token="default", **params):
        return self.get(SEARCH, params, token=token)

    def order(self, order_id, token="default", **params):
        return self.get(f"{SEARCH}/{order_id}", params, token=token)

    def search_all(self, **params):
        """Every order searchOrders serves for `params`, following nextToken; (orders, pages)."""
        orders, pages = [], 0
        while True:
            response = self.search(**params)
            assert response.status_code == 200, response.text
            pages += 1
            orders += response.body["orders"]
            token = response.body.get("pagination", {}).get("nextToken")
            if not token:
                return orders, pages
            params["paginationToken"] = token


def error_of(response):
    """(status, code, message, details) of the single error in an ErrorList."""
    [error] = response.body["errors"]
    return response.status_code, error["code"], error["message"], error.get("details")


@pytest.fixture(scope="module")
def shared_sandbox():
    """A sandbox that tests only read (no ticks, clock moves or fault changes); quotas off."""
    with Sandbox(seed=3, orders=150, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def spapi(shared_sandbox):
    return SpApi(shared_sandbox)


@pytest.fixture
def fresh_sandbox():
    with Sandbox(seed=7, orders=60, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture
def fresh(fresh_sandbox):
    return SpApi(fresh_sandbox)
