"""Login with Amazon: the refresh-token grant, its errors, and the access tokens SP-API accepts."""

import json

import pytest
import requests

from mws_sandbox import Sandbox

from .conftest import EARLY, SpApi, checked, error_of

DENIED = "Access to requested resource is denied."


def test_the_refresh_grant_answers_a_bearer_token_for_an_hour(spapi):
    response = spapi.grant()
    assert response.status_code == 200
    body = response.body
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["access_token"].startswith("Atza|") and len(body["access_token"]) >= 60
    assert "refresh_token" not in body  # not documented for refresh answers; nobody may rely on it
    assert spapi.grant().body["access_token"] != body["access_token"]
    assert spapi.search(createdAfter=EARLY, maxResultsPerPage=1, token=body["access_token"]).status_code == 200


def test_the_grant_accepts_a_json_body_as_amazons_java_client_posts_it(spapi):
    creds = spapi.credentials
    fields = {"grant_type": "refresh_token", "refresh_token": creds["refreshToken"],
              "client_id": creds["lwaClientId"], "client_secret": creds["lwaClientSecret"]}
    response = checked(requests.post(creds["lwaEndpoint"], data=json.dumps(fields),
                                     headers={"Content-Type": "application/json"}, timeout=10))
    assert response.status_code == 200 and response.body["access_token"].startswith("Atza|")


@pytest.mark.parametrize("overrides, status, error, description", [
    ({"client_secret": "wrong"}, 401, "invalid_client", "Client authentication failed"),
    ({"client_id": "amzn1.application-oa2-client.other"}, 401, "invalid_client", "Client authentication failed"),
    ({"refresh_token": "Atzr|revoked"}, 400, "invalid_grant",
     "The request has an invalid grant parameter : refresh_token"),
    ({"refresh_token": None}, 400, "invalid_grant", "The request has an invalid grant parameter : refresh_token"),
    ({"grant_type": "password"}, 400, "unsupported_grant_type",
     "The authorization grant type is not supported : password"),
    ({"grant_type": None}, 400, "invalid_request", "The request is missing a required parameter : grant_type"),
])
def test_grant_errors_carry_amazons_codes_and_texts(spapi, overrides, status, error, description):
    response = spapi.grant(**overrides)
    assert (response.status_code, response.body) == (status, {"error": error, "error_description": description})


def test_a_missing_or_unknown_token_is_refused_with_403(spapi):
    assert error_of(spapi.search(createdAfter=EARLY, token=None)) == \
        (403, "Unauthorized", DENIED, "Access token is missing in the request header.")
    made_up = "Atza|" + "A" * 64
    assert error_of(spapi.search(createdAfter=EARLY, token=made_up)) == \
        (403, "Unauthorized", DENIED, "The access token you provided is revoked, malformed or invalid.")
    # The refresh token is not an access token.
    assert error_of(spapi.order("111-1111111-1111111", token=spapi.credentials["refreshToken"]))[3] == \
        "The access token you provided is revoked, malformed or invalid."


def test_tokens_expire_after_their_lifetime_in_sandbox_time():
    with Sandbox(seed=1, orders=5, quotas=False, token_lifetime=600) as sandbox:
        spapi = SpApi(sandbox)
        grant = spapi.grant()
        assert grant.body["expires_in"] == 600
        token = grant.body["access_token"]
        sandbox.clock.advance(599)
        assert spapi.search(createdAfter=EARLY, token=token).status_code == 200
        sandbox.clock.advance(1)
        assert error_of(spapi.search(createdAfter=EARLY, token=token)) == \
            (403, "Unauthorized", DENIED, "The access token you provided has expired.")
        # A fresh token works again.
        assert spapi.search(createdAfter=EARLY, token=spapi.grant().body["access_token"]).status_code == 200


def test_the_time_scale_shortens_the_lifetime_as_it_speeds_up_quotas():
    with Sandbox(seed=1, orders=5, quotas=False, time_scale=60) as sandbox:
        spapi = SpApi(sandbox)
        grant = spapi.grant()
        assert grant.body["expires_in"] == 3600  # the nominal lifetime, as Amazon states it
        sandbox.clock.advance(59)
        assert spapi.search(createdAfter=EARLY, token=grant.body["access_token"]).status_code == 200
        sandbox.clock.advance(1)
        assert error_of(spapi.search(createdAfter=EARLY, token=grant.body["access_token"]))[3] == \
            "The access token you provided has expired."


def test_the_request_log_records_token_requests_without_their_secrets(fresh, fresh_sandbox):
    fresh.grant()
    fresh.grant(client_secret="typo-secret")
    fresh.search(createdAfter=EARLY, maxResultsPerPage=1)
    records = fresh_sandbox.requests.snapshot()
    assert [(r.action, r.status, r.error_code) for r in records] == [
        ("LwaToken", 200, None), ("LwaToken", 401, "invalid_client"), ("LwaToken", 200, None),
        ("searchOrders", 200, None)]
    creds = fresh.credentials
    logged = repr([(r.params, r.path) for r in records])
    for secret in (creds["lwaClientSecret"], creds["refreshToken"], "typo-secret", fresh.token):
        assert secret not in logged
    assert records[0].params == {"grant_type": "refresh_token", "client_id": creds["lwaClientId"],
                                 "client_secret": "<redacted>", "refresh_token": "<redacted>"}


def test_the_token_endpoint_wants_post(spapi):
    response = checked(requests.get(spapi.credentials["lwaEndpoint"], timeout=10))
    assert response.status_code == 400 and response.body["error"] == "invalid_request"
