"""The Python API: lifecycle, credentials, concurrency, and request bodies read the hard way."""

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mws_component.mws import signing
from mws_sandbox import Sandbox

from .conftest import ORDERS_PATH, Caller, error_of, parsed


def test_lifecycle_and_credentials():
    sb = Sandbox(seed=1, orders=5, quotas=False)
    assert sb.start() is sb
    try:
        assert sb.url.startswith("http://127.0.0.1:") and sb.port > 0
        assert sb.credentials == {"accessKeyId": sb.account.access_key, "secretAccessKey": sb.account.secret_key,
                                  "sellerId": sb.account.seller_id, "marketplaceId": "ATVPDKIKX0DER",
                                  "endpoint": sb.url}
        assert sb.account.secret_key not in repr(sb) + repr(sb.account)
        assert Caller(sb).call("GetServiceStatus").status_code == 200
    finally:
        sb.stop()
        sb.stop()  # twice is harmless
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{sb.port}{ORDERS_PATH}", timeout=2)


def test_constructor_refuses_a_marketplace_the_seller_is_not_in():
    with pytest.raises(ValueError):
        Sandbox(orders=1, marketplace_id="A39IBJ37TRP1C6")


def test_parallel_clients(shared_sandbox):
    def one(_):
        mws = Caller(shared_sandbox)
        return [mws.list_orders(CreatedAfter="2000-01-01T00:00:00Z").status_code for _ in range(5)]
    with ThreadPoolExecutor(8) as pool:
        assert {s for batch in pool.map(one, range(8)) for s in batch} == {200}


def test_chunked_form_body(mws):
    wire = signing.encode_query(mws.signed("GetServiceStatus")).encode()
    chunks = (wire[i:i + 40] for i in range(0, len(wire), 40))  # a generator: requests sends it chunked
    response = parsed(mws.session.post(mws.sandbox.url + ORDERS_PATH, data=chunks,
                                       headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert response.status_code == 200, response.text


def test_body_shorter_than_its_content_length_is_input_stream_disconnected(shared_sandbox):
    host, port = shared_sandbox.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(f"POST {ORDERS_PATH} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=".encode())
        conn.shutdown(socket.SHUT_WR)
        raw = b""
        while chunk := conn.recv(4096):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"<Code>InputStreamDisconnected</Code>" in body and b"x-mws-request-id" in head


def test_unknown_parameters_are_ignored_but_signed(mws):
    assert mws.call("GetServiceStatus", {"SomethingNew": "x"}).status_code == 200
    signed = mws.signed("GetServiceStatus", {"SomethingNew": "x"})
    signed["SomethingNew"] = "y"
    assert error_of(mws.send(signed))[2] == "SignatureDoesNotMatch"
