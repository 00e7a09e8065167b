"""Fixtures for the sandbox tests: a started Sandbox and a small signing MWS caller.

Requests are signed with the component's signer (mws_component.mws.signing);
test_signature.py also signs with an independent hand-built canonical string.
"""

import pytest
import requests
from lxml import etree

from mws_component.mws import signing
from mws_sandbox import Sandbox

ORDERS_PATH = "/Orders/2013-09-01"
ORDERS_NS = "https://mws.amazonservices.com/Orders/2013-09-01"
NS = {"o": ORDERS_NS}
US = "ATVPDKIKX0DER"
JP = "A1VC38T7YXB528"
ALL_MARKETPLACES = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A1PA6795UKMFR9",
                    "A1F83G8C2ARO7P", "A13V1IB3VIYZZH", "A1VC38T7YXB528", "A21TJRUUN4KGV")
EARLY = "2000-01-01T00:00:00Z"


class Caller:
    """Signs and sends MWS requests to one sandbox; answers come back with `.xml` parsed by lxml."""

    def __init__(self, sandbox, path=ORDERS_PATH, version="2013-09-01"):
        self.sandbox = sandbox
        self.path = path
        self.version = version
        self.session = requests.Session()

    def base_params(self, action):
        creds = self.sandbox.credentials
        return {"AWSAccessKeyId": creds["accessKeyId"], "Action": action, "SellerId": creds["sellerId"],
                "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
                "Timestamp": signing.timestamp(self.sandbox.clock.now()), "Version": self.version}

    def signed(self, action, params=None, *, method="POST", drop=(), secret=None, **overrides):
        values = {**self.base_params(action), **(params or {}), **overrides}
        for name in drop:
            values.pop(name, None)
        url = self.sandbox.url + self.path
        return signing.sign_params(values, secret or self.sandbox.credentials["secretAccessKey"], method, url,
                                   self.path)

    def call(self, action, params=None, *, method="POST", drop=(), secret=None, signed=None, **overrides):
        """Send `action`; POST puts parameters in a form body, GET in the query string."""
        signed = signed or self.signed(action, params, method=method, drop=drop, secret=secret, **overrides)
        return self.send(signed, method=method)

    def send(self, signed, method="POST"):
        url = self.sandbox.url + self.path
        wire = signing.encode_query(signed)
        if method == "GET":
            response = self.session.get(f"{url}?{wire}", timeout=120)
        else:
            response = self.session.post(url, data=wire.encode("ascii"), timeout=120,
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        return parsed(response)

    def list_orders(self, **params):
        params.setdefault("MarketplaceId.Id.1", US)
        return self.call("ListOrders", params)

    def all_markets(self, **params):
        for i, marketplace_id in enumerate(ALL_MARKETPLACES, 1):
            params[f"MarketplaceId.Id.{i}"] = marketplace_id
        return params


def parsed(response):
    """`response` with its XML body parsed by lxml as `.xml` (None when the body is not XML)."""
    response.xml = etree.fromstring(response.content) if response.content.startswith(b"<?xml") else None
    return response


def error_of(response):
    """(HTTP status, Type, Code, Message) of an ErrorResponse."""
    root = parsed(response).xml
    assert etree.QName(root).localname == "ErrorResponse", response.text
    return (response.status_code, root.findtext("{*}Error/{*}Type"), root.findtext("{*}Error/{*}Code"),
            root.findtext("{*}Error/{*}Message"))


def order_ids(response):
    return [e.text for e in response.xml.iterfind(".//o:Order/o:AmazonOrderId", NS)]


def result(response):
    root = response.xml
    assert response.status_code == 200, response.text
    return root[0]


@pytest.fixture(scope="session")
def shared_sandbox():
    """A read-only sandbox shared by tests that neither tick, advance the clock nor change faults."""
    with Sandbox(seed=1, orders=200, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def mws(shared_sandbox):
    return Caller(shared_sandbox)


@pytest.fixture
def fresh_sandbox():
    """A sandbox of its own, for tests that change data, time, quotas or faults."""
    with Sandbox(seed=7, orders=60, quotas=False) as sandbox:
        yield sandbox


# -- the Feeds section (helpers in feedkit.py) -----------------------------------------------

@pytest.fixture(scope="session")
def envelope_schema(shared_dir):
    """Amazon's amzn-envelope.xsd from the shared reference folder (the sandbox itself never reads it)."""
    return etree.XMLSchema(etree.parse(str(shared_dir / "mws-xsd" / "amzn-envelope.xsd")))


@pytest.fixture
def instant():
    """A sandbox whose feeds are done as soon as anything looks; no quotas."""
    with Sandbox(seed=7, orders=60, quotas=False, feed_processing_seconds=0) as sandbox:
        yield sandbox


@pytest.fixture
def feeds(instant):
    from .feedkit import FeedsCaller  # feedkit imports this module
    return FeedsCaller(instant)


def every_order_element(mws):
    """Every Order element ListOrders serves (created since EARLY, all markets), across its pages."""
    response = mws.list_orders(**mws.all_markets(CreatedAfter=EARLY))
    elements = list(result(response).iterfind("o:Orders/o:Order", NS))
    token = result(response).findtext("o:NextToken", namespaces=NS)
    while token:
        response = mws.call("ListOrdersByNextToken", {"NextToken": token})
        elements += list(result(response).iterfind("o:Orders/o:Order", NS))
        token = result(response).findtext("o:NextToken", namespaces=NS)
    return elements
