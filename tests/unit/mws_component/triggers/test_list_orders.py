"""The List Orders trigger against a made-up seller account (no HTTP): what it asks, what it emits."""

from datetime import datetime, timedelta, timezone

import pytest

from mws_component import errors
from mws_component.account import OrdersPage
from mws_component.triggers import list_orders
from mws_tools.runner import LocalContext

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
CFG = {"sellerId": "A1SELLER", "accessKeyId": "AKIDEXAMPLE1", "secretAccessKey": "s", "marketplaceId": "ATVPDKIKX0DER",
       "startTime": "2026-02-01T00:00:00Z"}


def order(n, minutes):
    return {"amazonOrderId": f"111-0000000-{n:07d}",
            "lastUpdateDate": (NOW - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")}


class FakeAccount:
    """Pages from a script; a script step may be an exception, raised when that page is asked for."""

    api, seller_id, marketplace_id, max_marketplaces = "fake", "A1SELLER", "ATVPDKIKX0DER", 50

    def __init__(self, script, knows_server_time=True):
        self.script = list(script)
        self.knows_server_time = knows_server_time
        self.asked = []

    def server_now(self):
        return NOW

    def orders_updated(self, **asked):
        self.asked.append(asked)
        while self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            yield step
            if step.next_token is None:
                return


@pytest.fixture
def run(monkeypatch):
    def run(account, snapshot=None, cfg=CFG):
        monkeypatch.setattr(list_orders, "open_account", lambda credentials: account)
        ctx = LocalContext(out=None, flow_type="ordinary")
        list_orders.process(ctx, {"body": {}}, dict(cfg), snapshot or {})
        return ctx
    return run


def events(ctx, kind):
    return [e["body"] if kind == "data" else e.get("body", e) for e in ctx.events if e["event"] == kind]


def test_quota_used_up_ends_the_run_cleanly_and_the_snapshot_says_where_to_go_on(run):
    bound = NOW - timedelta(minutes=3)
    account = FakeAccount([OrdersPage([order(1, 50)], "T1", bound), OrdersPage([order(2, 40)], "T2", bound),
                           errors.QuotaExhausted("ListOrders: next in 60 s", retry_after=60)])
    ctx = run(account)
    assert [o["amazonOrderId"] for o in events(ctx, "data")] == ["111-0000000-0000001", "111-0000000-0000002"]
    assert not events(ctx, "error")
    assert ctx.snapshot["window"]["nextToken"] == "T2"
    assert ctx.snapshot["cursor"] == "2026-02-01T00:00:00.000Z"  # the window is not finished: the cursor stays
    # the next run goes on from the token, inside the same window, and finishes it
    account = FakeAccount([OrdersPage([order(3, 30)], None, bound)])
    ctx = run(account, ctx.snapshot)
    assert account.asked[0]["resume"] == "T2" and account.asked[0]["before"] == bound
    assert [o["amazonOrderId"] for o in events(ctx, "data")] == ["111-0000000-0000003"]
    assert ctx.snapshot["cursor"] == "2026-03-01T11:57:00.000Z" and "window" not in ctx.snapshot


def test_quota_used_up_before_a_resumed_window_keeps_the_snapshot(run):
    snapshot = {"startTime": CFG["startTime"], "cursor": "2026-02-01T00:00:00.000Z", "boundaryIds": [],
                "window": {"before": "2026-03-01T11:57:00.000Z", "nextToken": "T9", "endIds": []}}
    ctx = run(FakeAccount([errors.QuotaExhausted("used up", retry_after=30)]), snapshot)
    assert not events(ctx, "error") and not events(ctx, "data")
    assert not events(ctx, "snapshot")  # nothing new: the platform keeps the last snapshot, which says where to go on


def test_a_refused_token_reads_the_window_again_from_its_start(run):
    snapshot = {"startTime": CFG["startTime"], "cursor": "2026-02-01T00:00:00.000Z", "boundaryIds": [],
                "window": {"before": "2026-03-01T11:57:00.000Z", "nextToken": "OLD", "endIds": []}}
    refused = FakeAccount([errors.PageTokenRefused("the saved NextToken was refused"),
                           OrdersPage([order(4, 20)], None, NOW - timedelta(minutes=2, seconds=5))])
    ctx = run(refused, snapshot)
    assert [a["resume"] for a in refused.asked] == ["OLD", None]
    assert refused.asked[1]["after"] == datetime(2026, 2, 1, tzinfo=timezone.utc)
    assert [o["amazonOrderId"] for o in events(ctx, "data")] == ["111-0000000-0000004"]


def test_with_the_servers_clock_unknown_the_server_bounds_the_first_window(run):
    account = FakeAccount([OrdersPage([order(5, 10)], None, NOW - timedelta(minutes=2))], knows_server_time=False)
    ctx = run(account)
    assert account.asked[0]["before"] is None  # let the server say where the window ends
    assert ctx.snapshot["cursor"] == "2026-03-01T11:58:00.000Z"  # and adopt its echoed bound


def test_the_forms_statuses_and_marketplaces_go_to_the_account_as_chosen(run):
    account = FakeAccount([OrdersPage([], None, NOW - timedelta(minutes=3))])
    run(account, cfg=CFG | {"orderStatus": ["Unshipped", "Pending"], "marketplaceIds": ["A1PA6795UKMFR9"],
                            "maxResultsPerPage": "25"})
    asked = account.asked[0]
    assert asked["statuses"] == ["Unshipped", "Pending"]  # each API maps them (MWS adds PartiallyShipped)
    assert asked["marketplace_ids"] == ["A1PA6795UKMFR9"] and asked["page_size"] == 25


def test_more_marketplaces_than_the_account_takes_are_refused(run):
    account = FakeAccount([])
    account.max_marketplaces = 1
    with pytest.raises(errors.ConfigurationError, match="at most 1 marketplaces") as refused:
        run(account, cfg=CFG | {"marketplaceIds": ["A1PA6795UKMFR9", "ATVPDKIKX0DER"]})
    assert refused.value.field == "marketplaceIds" and account.asked == []
