"""SP-API credentials against the sandbox over real HTTP: the LWA token grant, its cache, its refresh
after expiry in the middle of a run, and every reason verifyCredentials gives, naming the part."""

import pytest

from mws_component.account import open_account
from mws_component.credentials import credentials_from_cfg
from mws_component.errors import CredentialsRefused
from mws_component.verify_credentials import RETRY
from mws_sandbox import Sandbox
from mws_sandbox.spapi.lwa import DEFAULT_ROLELESS_REFRESH_TOKEN
from mws_tools.runner import LocalContext, run_function

from .conftest import TIME_SCALE, grants, spapi_calls

EU_MARKETPLACE = "A1PA6795UKMFR9"  # Germany: served by the EU endpoint only


def run(name, cfg, body, snapshot=None, flow_type="ordinary"):
    ctx = LocalContext(out=None, flow_type=flow_type)
    run_function(name, cfg, {"body": body}, snapshot or {}, ctx=ctx)
    return ctx


def na_order(sb, status=None):
    from mws_sandbox.spapi.tables import MARKETPLACES
    return next(o for o in sb.store.all() if MARKETPLACES[o.marketplace_id].region == "NA"
                and (status is None or o.status == status))


def verified(cfg):
    ctx = run("verifyCredentials", cfg, {})
    data = [e["body"] for e in ctx.events if e["event"] == "data"]
    assert len(data) == 1, ctx.events
    return data[0]


def refusal(cfg):
    """The CredentialsRefused account.verify() raises (the field it names), and verifyCredentials' reason."""
    account = open_account(credentials_from_cfg(cfg), retry=RETRY)
    with pytest.raises(CredentialsRefused) as refused:
        account.verify()
    outcome = verified(cfg)
    assert outcome["verified"] is False
    return refused.value, outcome["reason"]


# -- the token grant and its cache ------------------------------------------------------------------

def test_the_token_grant_is_the_documented_form_and_every_call_carries_the_token(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    before = len(sb.requests)
    assert verified(spapi_cfg) == {"verified": True}
    log = sb.requests.snapshot()[before:]
    assert [r.action for r in log] == ["LwaToken", "searchOrders"]
    grant = log[0]
    assert grant.method == "POST" and grant.status == 200 and grant.path == "/auth/o2/token"
    assert grant.params == {"grant_type": "refresh_token", "refresh_token": "<redacted>",
                            "client_id": spapi_cfg["lwaClientId"], "client_secret": "<redacted>"}
    assert log[1].status == 200  # the sandbox accepted the access token (no 403 missing/invalid)


def test_one_grant_serves_many_calls_across_functions_in_one_process(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    order = na_order(sb)
    before = len(sb.requests)
    for _ in range(3):
        assert [e["event"] for e in run("listOrderItems", spapi_cfg, {"amazonOrderId": order.amazon_order_id}).events] \
            == ["data"] * len(order.items)
        assert [e["event"] for e in run("getOrder", spapi_cfg, {"amazonOrderIds": [order.amazon_order_id]}).events] \
            == ["data"]
    assert not [e for e in run("listOrders", spapi_cfg, {}).events if e["event"] == "error"]
    assert verified(spapi_cfg) == {"verified": True}
    assert len(grants(sb, before)) == 1
    assert len(spapi_calls(sb, before)) >= 8
    assert all(r.status == 200 for r in spapi_calls(sb, before))


def test_an_expired_token_is_refreshed_once_in_the_middle_of_a_run_and_nothing_is_lost(fast_quotas, fresh_tokens):
    # The sandbox scales token lifetimes by its time scale: this one lasts 120 s of its clock; the
    # component, told expires_in 36000, thinks it is still good when the clock has moved past it.
    lifetime = 120
    with Sandbox(seed=12, orders=60, time_scale=TIME_SCALE, token_lifetime=lifetime * TIME_SCALE) as sb:
        sb.clock.advance(130)
        cfg = sb.spapi_credentials | {"marketplaceIds": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"],
                                      "maxResultsPerPage": "5"}

        class ExpiringContext(LocalContext):
            """Moves the sandbox's clock past the token's lifetime after the second page's snapshot."""

            def emit(self, event, payload=None):
                super().emit(event, payload)
                if event == "snapshot" and sum(e["event"] == "snapshot" for e in self.events) == 2:
                    sb.clock.advance(lifetime + 1)

        ctx = ExpiringContext(out=None, flow_type="ordinary")
        run_function("listOrders", cfg, {"body": {}}, {}, ctx=ctx)
        assert not [e for e in ctx.events if e["event"] == "error"], ctx.events[-1]
        log = sb.requests.snapshot()
        expired = [r for r in log if r.status == 403]
        assert len(expired) == 1  # the expired answer, once
        assert [r.action for r in log].count("LwaToken") == 2  # the first grant and one refresh
        at = log.index(expired[0])
        assert [r.action for r in log[at + 1:at + 3]] == ["LwaToken", "searchOrders"]
        assert log[at + 2].status == 200 and log[at + 2].params == expired[0].params  # the same page again
        emitted = [(e["body"]["amazonOrderId"], e["body"]["lastUpdateDate"]) for e in ctx.events if e["event"] == "data"]
        na = {"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"}
        upper = ctx.snapshot["cursor"]
        # the run's window: everything of the NA marketplaces updated up to the snapshot's cursor
        expected = {(o.amazon_order_id, v.last_update_date) for o in sb.store.all() if o.marketplace_id in na
                    for v in [next(v for v in sb.store.versions() if v.amazon_order_id == o.amazon_order_id)]
                    if v.last_update_date <= upper}
        assert len(emitted) == len(set(emitted)) and set(emitted) == expected
        # the refreshed token serves other functions too: no further grant
        order = next(o for o in sb.store.all() if o.marketplace_id in na)
        assert [e["event"] for e in run("getOrder", cfg, {"amazonOrderIds": [order.amazon_order_id]}).events] == ["data"]
        assert [r.action for r in sb.requests.snapshot()].count("LwaToken") == 2


def test_concurrent_calls_share_one_grant(spapi_sandbox, spapi_cfg):
    import threading
    sb = spapi_sandbox
    order = na_order(sb)
    before = len(sb.requests)
    results = []

    def one():
        results.append([e["event"] for e in run("getOrder", spapi_cfg, {"amazonOrderIds": [order.amazon_order_id]}).events])

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [["data"]] * 6
    assert len(grants(sb, before)) == 1


# -- every reason of verifyCredentials -------------------------------------------------------------

@pytest.mark.parametrize("field, value, part, fields", [
    ("lwaClientId", "amzn1.application-oa2-client.someoneelse000000000000000000", "LWA client id or client secret",
     ("lwaClientId", "lwaClientSecret")),
    ("lwaClientSecret", "amzn1.oa2-cs.v1.not-the-secret-0000000000000000000000000000000000",
     "LWA client id or client secret", ("lwaClientId", "lwaClientSecret")),
    ("refreshToken", "Atzr|IwEBI-revoked-or-of-another-app+000000000000000000000000", "refresh token",
     ("refreshToken",)),
])
def test_a_refused_grant_names_the_part_and_no_operation_is_called(spapi_sandbox, spapi_cfg, field, value, part, fields):
    sb = spapi_sandbox
    before = len(sb.requests)
    exc, reason = refusal(spapi_cfg | {field: value})
    assert reason.startswith(part + ": ")
    assert exc.field in fields and field in fields
    assert value not in reason and spapi_cfg["lwaClientSecret"] not in reason
    log = sb.requests.snapshot()[before:]
    assert [r.action for r in log] == ["LwaToken", "LwaToken"]  # one grant each (final: not retried)
    assert {r.status for r in log} == ({401} if field != "refreshToken" else {400})


def test_a_seller_without_the_orders_role_is_told_so(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    before = len(sb.requests)
    exc, reason = refusal(spapi_cfg | {"refreshToken": DEFAULT_ROLELESS_REFRESH_TOKEN})
    assert reason.startswith("the seller's authorisation: ")
    assert "role" in reason and "Unauthorized" in reason
    assert exc.field == "refreshToken"
    calls = spapi_calls(sb, before)
    assert [(r.status, r.error_code) for r in calls] == [(403, "Unauthorized")] * 2  # final: not retried


def test_an_eu_marketplace_on_the_na_endpoint_names_the_marketplace_and_region(spapi_sandbox, spapi_cfg):
    exc, reason = refusal(spapi_cfg | {"marketplaceId": EU_MARKETPLACE})
    assert reason.startswith("marketplaceId: ")
    assert EU_MARKETPLACE in reason and "(EU)" in reason and spapi_cfg["endpoint"] in reason
    assert exc.field == "marketplaceId"


def test_the_eu_marketplace_on_the_eu_endpoint_is_verified(spapi_sandbox, spapi_cfg):
    assert verified(spapi_sandbox.spapi.credentials(spapi_sandbox.url, "EU")) == {"verified": True}


def test_an_unreachable_endpoint_is_named(spapi_cfg):
    exc, reason = refusal(spapi_cfg | {"endpoint": "http://127.0.0.1:9"})
    assert "http://127.0.0.1:9" in reason and "unreachable" in reason
    assert exc.field == "endpoint"


def test_an_unreachable_lwa_endpoint_is_named(spapi_cfg):
    exc, reason = refusal(spapi_cfg | {"lwaEndpoint": "http://127.0.0.1:9/auth/o2/token"})
    assert "LWA endpoint" in reason and "unreachable" in reason
    assert exc.field == "lwaEndpoint"


def test_an_lwa_endpoint_that_is_not_a_token_url_is_named(spapi_sandbox, spapi_cfg):
    exc, reason = refusal(spapi_cfg | {"lwaEndpoint": spapi_sandbox.url + "/Orders/2013-09-01"})
    assert reason.startswith("LWA endpoint: ") and "not like Login with Amazon" in reason
    assert exc.field == "lwaEndpoint"


def test_an_lwa_endpoint_of_another_environment_is_named(spapi_sandbox, spapi_cfg, fast_quotas):
    with Sandbox(seed=2, orders=1) as other:  # its tokens mean nothing to spapi_sandbox
        exc, reason = refusal(spapi_cfg | {"lwaEndpoint": other.spapi_credentials["lwaEndpoint"]})
    assert "lwaEndpoint" in reason and "access token" in reason
    assert exc.field == "lwaEndpoint"
