"""Faces: the server hands each request to the face that serves its path; a second face plugs in beside MWS."""

import json

import requests

from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.router import UNREADABLE_BODY, HttpAnswer, HttpRequest

from .conftest import ORDERS_PATH, Caller, error_of


class EchoFace:
    """A minimal second face: JSON answers under /echo, its own refusals."""

    name = "Echo"

    def __init__(self):
        self.handled = []

    def serves(self, path):
        return path == "/echo" or path.startswith("/echo/")

    def entry_points(self):
        return {"Echo": "/echo"}

    def handle(self, http):
        self.handled.append((http.method, http.path, http.body))
        body = json.dumps({"path": http.path, "body": http.body.decode("utf-8")}).encode("utf-8")
        return HttpAnswer(200, body, {"Content-Type": "application/json"}, action="Echo")

    def refusal(self, http, reason):
        body = json.dumps({"refused": reason}).encode("utf-8")
        return HttpAnswer(429 if reason == "throttle" else 500, body, {"Content-Type": "application/json"},
                          action="Echo", error_code=reason)


def test_a_registered_face_answers_its_paths_and_mws_keeps_its_own():
    with Sandbox(seed=3, orders=5, quotas=False) as sb:
        echo = EchoFace()
        sb.router.add(echo)
        response = requests.post(sb.url + "/echo/v1/things", data=b"hello", timeout=10)
        assert (response.status_code, response.json()) == (200, {"path": "/echo/v1/things", "body": "hello"})
        assert echo.handled == [("POST", "/echo/v1/things", b"hello")]
        assert sb.requests.count(action="Echo", status=200) == 1

        assert Caller(sb).call("GetServiceStatus").status_code == 200  # MWS still serves its sections
        assert len(echo.handled) == 1
        # A path nobody serves is the fallback's (MWS): its 404 in the root namespace.
        status, _, code, _ = error_of(requests.post(sb.url + "/nowhere", timeout=10))
        assert (status, code) == (404, "InvalidAddress")
        assert sb.router.entry_points() == {"SP-API Login with Amazon": "/auth/o2/token",
                                            "SP-API Orders": "/orders/2026-01-01/orders",
                                            "Orders": ORDERS_PATH, "Feeds": "/Feeds/2009-01-01", "Echo": "/echo"}


def test_faults_are_answered_by_the_requests_own_face():
    with Sandbox(seed=3, orders=5, quotas=False, faults=FaultConfig(throttle=1.0)) as sb:
        echo = EchoFace()
        sb.router.add(echo)
        response = requests.get(sb.url + "/echo", timeout=10)
        assert (response.status_code, response.json()) == (429, {"refused": "throttle"})
        assert echo.handled == []  # refused, not handled
        status, _, code, _ = error_of(Caller(sb).call("GetServiceStatus"))
        assert (status, code) == (503, "RequestThrottled")


def test_the_mws_face_names_every_refusal_reason():
    with Sandbox(seed=3, orders=5) as sb:
        mws = sb.router.fallback
        for reason, (status, code) in {"throttle": (503, "RequestThrottled"), "error500": (500, "InternalError"),
                                       "drop": (500, "InternalError"),
                                       UNREADABLE_BODY: (400, "InputStreamDisconnected")}.items():
            answer = mws.refusal(HttpRequest("POST", ORDERS_PATH, "Action=ListOrders", "localhost"), reason)
            assert (answer.status, answer.error_code, answer.action) == (status, code, "ListOrders")
            assert b"https://mws.amazonservices.com/Orders/2013-09-01" in answer.body
