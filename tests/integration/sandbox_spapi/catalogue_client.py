"""A client of the sandbox's Feeds, Listings Items and Product Type Definitions faces over real HTTP.

Every answer of an SP-API operation is checked against its Amazon model (Feeds API 2021-06-30, Listings
Items API 2021-08-01, Product Type Definitions API 2020-09-01; strict: no property the model does not
define), and x-amzn-RateLimit-Limit must be there exactly where the model declares it. Processing
reports are checked against Amazon's listings-feed processing-report schema, feed documents against
Amazon's listings-feed schema.
"""

import copy
import gzip
import json
import re
from functools import lru_cache

import jsonschema
import requests

from tests.conftest import SHARED
from .spapi_model import FORMATS, _closed

MODELS = SHARED / "spapi-models" / "models"
FEED_SCHEMAS = SHARED / "spapi-models" / "schemas" / "feeds"
MODEL_FILES = ("feeds_2021-06-30.json", "listingsItems_2021-08-01.json", "definitionsProductTypes_2020-09-01.json")
US, CA, DE = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1PA6795UKMFR9"
JSON_TYPE = "application/json; charset=UTF-8"
XML_TYPE = "text/xml; charset=UTF-8"


@lru_cache(maxsize=None)
def model(name):
    return json.loads((MODELS / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def operations():
    """[(method, compiled path pattern, model file, operationId, operation)]."""
    found = []
    for name in MODEL_FILES:
        for template, methods in model(name)["paths"].items():
            pattern = re.compile(re.sub(r"\\\{(\w+)\\\}", r"[^/]+", re.escape(template)) + r"\Z")
            for method, operation in methods.items():
                if method != "parameters":
                    found.append((method.upper(), pattern, name, operation["operationId"], operation))
    return found


def operation_for(method, path):
    for op_method, pattern, name, operation_id, operation in operations():
        if op_method == method and pattern.match(path):
            return name, operation_id, operation
    return None


@lru_cache(maxsize=None)
def _root(name):
    root = copy.deepcopy(model(name))
    root["definitions"] = _closed(root["definitions"])
    return root


def validate_answer(name, operation, status, body):
    response = operation["responses"][str(status)]  # KeyError: a status the model does not declare
    if "schema" not in response:
        assert body is None, f"{operation['operationId']} {status} has no body in the model"
        return
    jsonschema.Draft4Validator({**_root(name), **response["schema"]}, format_checker=FORMATS).validate(body)


@lru_cache(maxsize=None)
def feed_schema(file_name):
    return json.loads((FEED_SCHEMAS / file_name).read_text(encoding="utf-8"))


def validate_report(report):
    jsonschema.Draft7Validator(feed_schema("listings-feed-processing-report-schema-v2.json")).validate(report)


def validate_feed_document(document):
    jsonschema.Draft7Validator(feed_schema("listings-feed-schema-v2.json")).validate(document)


def checked(response):
    """`response` with `.body` after checking it against its operation's model."""
    assert response.headers.get("x-amzn-RequestId")
    path = re.sub(r"\A/(na|eu|fe)(?=/)", "", requests.utils.urlparse(response.url).path)
    found = operation_for(response.request.method, path)
    assert found is not None, f"{response.request.method} {path} is no operation of the models"
    name, operation_id, operation = found
    response.body = response.json() if response.content else None
    if response.content:
        assert response.headers["Content-Type"] == "application/json"
    validate_answer(name, operation, response.status_code, response.body)
    declared = set(operation["responses"][str(response.status_code)].get("headers", {}))
    assert ("x-amzn-RateLimit-Limit" in response.headers) == ("x-amzn-RateLimit-Limit" in declared), \
        (operation_id, response.status_code)
    response.operation_id = operation_id
    return response


class Client:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.credentials = sandbox.spapi_credentials
        self.base = self.credentials["endpoint"]
        self.seller_id = self.credentials["sellerId"]
        self.session = requests.Session()
        self._token = None

    def token(self):
        if self._token is None:
            c = self.credentials
            answer = self.session.post(c["lwaEndpoint"], data={
                "grant_type": "refresh_token", "refresh_token": c["refreshToken"], "client_id": c["lwaClientId"],
                "client_secret": c["lwaClientSecret"]}, timeout=10)
            assert answer.status_code == 200, answer.text
            self._token = answer.json()["access_token"]
        return self._token

    def call(self, method, path, *, params=None, body=None, token="default", headers=None, raw=None):
        headers = dict(headers or {})
        if token == "default":
            token = self.token()
        if token is not None:
            headers["x-amz-access-token"] = token
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        return checked(self.session.request(method, self.base + path, params=params, data=data, headers=headers,
                                            timeout=10))

    # -- feeds ----------------------------------------------------------------------------------
    def create_document(self, content_type=JSON_TYPE):
        answer = self.call("POST", "/feeds/2021-06-30/documents", body={"contentType": content_type})
        assert answer.status_code == 201, answer.text
        return answer.body

    def upload(self, url, content, content_type):
        return requests.put(url, data=content, headers={"Content-Type": content_type}, timeout=10)

    def submit(self, feed_type, content, content_type, marketplace_ids=(US,)):
        """feedId of a feed created the way the component does it: document, PUT, createFeed."""
        document = self.create_document(content_type)
        put = self.upload(document["url"], content, content_type)
        assert put.status_code == 200, put.text
        answer = self.create_feed(feed_type, document["feedDocumentId"], marketplace_ids)
        assert answer.status_code == 202, answer.text
        return answer.body["feedId"]

    def create_feed(self, feed_type, document_id, marketplace_ids=(US,), **extra):
        return self.call("POST", "/feeds/2021-06-30/feeds", body={
            "feedType": feed_type, "marketplaceIds": list(marketplace_ids), "inputFeedDocumentId": document_id,
            **extra})

    def feed(self, feed_id):
        answer = self.call("GET", f"/feeds/2021-06-30/feeds/{feed_id}")
        assert answer.status_code == 200, answer.text
        return answer.body

    def finish(self, feed_id, seconds=31):
        """The feed after letting sandbox time pass (the default processing takes 30 s)."""
        self.sandbox.clock.advance(seconds)
        return self.feed(feed_id)

    def report(self, feed, **params):
        """(bytes, the download answer) of a feed's result document, gunzipped."""
        answer = self.call("GET", f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}", params=params)
        assert answer.status_code == 200, answer.text
        assert answer.body["compressionAlgorithm"] == "GZIP"
        download = requests.get(answer.body["url"], timeout=10)
        assert download.status_code == 200, download.text
        content = download.content
        if download.headers.get("Content-Encoding") != "gzip":
            content = gzip.decompress(content)
        return content, download

    # -- listings -------------------------------------------------------------------------------
    def listing_path(self, sku, seller_id=None):
        return f"/listings/2021-08-01/items/{seller_id or self.seller_id}/{requests.utils.quote(sku, safe='')}"

    def put_item(self, sku, product_type, attributes, *, marketplace=US, requirements=None, **params):
        body = {"productType": product_type, "attributes": attributes}
        if requirements:
            body["requirements"] = requirements
        return self.call("PUT", self.listing_path(sku), params={"marketplaceIds": marketplace, **params}, body=body)

    def patch_item(self, sku, patches, product_type="PRODUCT", *, marketplace=US, **params):
        return self.call("PATCH", self.listing_path(sku), params={"marketplaceIds": marketplace, **params},
                         body={"productType": product_type, "patches": patches})

    def get_item(self, sku, included="summaries,attributes,issues,offers,fulfillmentAvailability", marketplace=US):
        return self.call("GET", self.listing_path(sku), params={"marketplaceIds": marketplace,
                                                                "includedData": included})

    def delete_item(self, sku, marketplace=US):
        return self.call("DELETE", self.listing_path(sku), params={"marketplaceIds": marketplace})


def error_of(answer):
    [error] = answer.body["errors"]
    return answer.status_code, error["code"], error.get("details")


def listings_feed(seller_id, messages, included=("issues",)):
    header = {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"}
    if included:
        header["report"] = {"includedData": list(included), "apiVersion": "2021-08-01"}
    document = {"header": header, "messages": messages}
    validate_feed_document(document)
    return document
