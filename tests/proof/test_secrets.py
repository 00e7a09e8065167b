"""The secret key and the MWS auth token appear nowhere: not in logs, messages, errors, snapshots or output;
over SP-API, neither do the LWA client secret, the refresh token or any access token the sandbox issued.

Every function runs with marker credentials, in-process (caplog at DEBUG for
every logger) and through `mws-component run` (LOG_LEVEL=DEBUG), on success and
failure paths; the sandbox CLI is started with them too. Plus: TLS verification
cannot be turned off, plain http only reaches loopback, the sandbox listens on
loopback by default.
"""

import inspect
import json
import logging
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import requests

import mws_component
from mws_component.credentials import credentials_from_cfg
from mws_component.endpoint import Endpoint
from mws_component.mws.client import MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.errors import ConfigurationError, TransportError
from mws_component.retry import RetryPolicy
from mws_component.verify_credentials import verify
from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.cli import build_parser
from mws_tools.runner import LocalContext, load_manifest, run_function

from .bad_inputs import GOOD_ITEM, STEP_FIELDS, good_body
from mws_sandbox.spapi.lwa import DEFAULT_ROLELESS_REFRESH_TOKEN
from mws_sandbox.spapi.tables import MARKETPLACES

ROOT = Path(__file__).resolve().parents[2]
TIME_SCALE = 300
# Characters that need percent-encoding, so that an encoded copy would be caught as well.
SECRET_KEY = "Sekr3t/KEY+MARKER=4f1d9c"
AUTH_TOKEN = "amzn.mws.TOKEN-MARKER-8e2b"
WRONG_SECRET_KEY = "Wr0ng/SECRET+MARKER=77aa"
FORBIDDEN = {form for secret in (SECRET_KEY, AUTH_TOKEN, WRONG_SECRET_KEY)
             for form in (secret, quote(secret, safe=""), quote_plus(secret), secret.replace("/", "\\/"))}
QUERY = re.compile(r"\?[^\s\"']*=")  # a URL with a query string


def leaks(text):
    return sorted(form for form in FORBIDDEN if form in text)


def signed_urls(lines):
    """Lines that hold a URL with a query string still carrying its Signature."""
    return [line for line in lines if QUERY.search(line) and "Signature=" in line]


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=6, orders=40, time_scale=TIME_SCALE, secret_key=SECRET_KEY, auth_token=AUTH_TOKEN,
                 feed_processing_seconds=0) as sb:
        sb.clock.advance(130)  # the generated orders are past the two-minute rule
        yield sb


@pytest.fixture
def fast_quotas(monkeypatch):
    monkeypatch.setenv("MWS_TIME_SCALE", str(TIME_SCALE))


def bodies(sandbox):
    """A valid body for every function, with ids the sandbox knows."""
    order = next(o for o in sandbox.store.all() if o.status == "Unshipped")
    sku = sorted(sandbox.catalogue.skus())[0]
    out = {function: good_body(function) for function in STEP_FIELDS}
    out["listOrderItems"] = {"amazonOrderId": order.amazon_order_id}
    out["getOrder"] = {"amazonOrderIds": [order.amazon_order_id]}
    out["submitInventory"] = {"sku": sku, "quantity": 4}
    out["acknowledgeOrder"] = dict(GOOD_ITEM["acknowledgeOrder"], amazonOrderID=order.amazon_order_id)
    return out


def run(function, cfg, body):
    ctx = LocalContext(out=None, flow_type="ordinary")
    return run_function(function, cfg | STEP_FIELDS[function], {"body": body}, {}, ctx=ctx)


def test_nothing_secret_in_logs_messages_errors_or_snapshots(sandbox, fast_quotas, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)  # every logger: the component's, urllib3's, the sandbox's
    cfg = dict(sandbox.credentials)
    assert cfg["secretAccessKey"] == SECRET_KEY and cfg["mwsAuthToken"] == AUTH_TOKEN
    every = bodies(sandbox)
    contexts = [run(function, cfg, body) for function, body in every.items()]
    submitted = next(e["body"] for e in contexts[list(every).index("submitInventory")].events if e["event"] == "data")
    feed = {"feedSubmissionId": submitted["feedSubmissionId"]}
    contexts += [run("getFeedSubmissionStatus", cfg, feed), run("getFeedSubmissionResult", cfg, feed)]
    outcomes = [verify(cfg), verify(cfg | {"secretAccessKey": WRONG_SECRET_KEY})]
    # failure paths: a wrong signature, faults until the retries give up, bad input, no endpoint, no TLS
    wrong = cfg | {"secretAccessKey": WRONG_SECRET_KEY}
    contexts += [run("getOrder", wrong, every["getOrder"]), run("submitInventory", wrong, every["submitInventory"])]
    monkeypatch.setenv("MWS_POLL_BUDGET_SECONDS", "3")  # under faults a List Orders run only has to end
    for fault in (dict(throttle=1.0), dict(error500=1.0), dict(drop=1.0), dict(truncate=1.0)):
        sandbox.faults = FaultConfig(**fault)
        contexts += [run("getOrder", cfg, every["getOrder"]), run("listOrders", cfg, {})]
    sandbox.faults = FaultConfig()
    contexts += [run("getOrder", cfg, {"amazonOrderIds": ["nope"]}),
                 run("submitInventory", cfg, {"sku": "S" * 41, "quantity": 1})]
    unreachable = cfg | {"endpoint": "http://127.0.0.1:9"}
    not_tls = cfg | {"endpoint": sandbox.url.replace("http://", "https://")}  # handshake fails after connecting
    for endpoint in (unreachable, not_tls):
        contexts += [run("getOrder", endpoint, every["getOrder"]),
                     run("submitInventory", endpoint, every["submitInventory"])]

    events = [event for ctx in contexts for event in ctx.events]
    kinds = {event["event"] for event in events}
    assert {"data", "snapshot", "error"} <= kinds
    assert {e["error"]["name"] for e in events if e["event"] == "error"} >= {
        "SignatureDoesNotMatch", "RequestThrottled", "InternalError", "TransportError", "InputError"}
    log_lines = [record.getMessage() for record in caplog.records] + caplog.text.splitlines()
    everything = "\n".join([json.dumps(events, ensure_ascii=False), json.dumps(outcomes), *log_lines])
    assert not leaks(everything)
    assert any(QUERY.search(line) for line in log_lines), "no URL with a query was logged: the next check is idle"
    assert not signed_urls(log_lines)


def cli_run(tmp_path, name, cfg, body):
    (tmp_path / "cfg.json").write_text(json.dumps(cfg | STEP_FIELDS[name]))
    (tmp_path / "msg.json").write_text(json.dumps({"body": body}))
    env = {"PATH": "/usr/bin:/bin", "MWS_TIME_SCALE": str(TIME_SCALE), "LOG_LEVEL": "DEBUG", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", name, "--cfg", str(tmp_path / "cfg.json"),
                           "--msg", str(tmp_path / "msg.json")], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)
    return done.stdout + done.stderr


def test_nothing_secret_in_the_output_of_mws_component_run(sandbox, tmp_path):
    cfg = dict(sandbox.credentials)
    runs = [(name, cfg, body) for name, body in bodies(sandbox).items()]
    runs += [("getOrder", cfg | {"secretAccessKey": WRONG_SECRET_KEY}, bodies(sandbox)["getOrder"]),
             ("submitInventory", cfg | {"endpoint": sandbox.url.replace("http://", "https://")},
              bodies(sandbox)["submitInventory"]),
             ("getOrder", cfg | {"endpoint": "http://127.0.0.1:9"}, bodies(sandbox)["getOrder"]),
             ("listOrderItems", cfg, {"amazonOrderId": "nope"})]
    output = "\n".join(cli_run(tmp_path, *one) for one in runs)
    assert '"event": "data"' in output and '"event": "error"' in output and "DEBUG" in output
    assert not leaks(output)
    lines = output.splitlines()
    assert any(QUERY.search(line) for line in lines)
    assert not signed_urls(lines)


def test_nothing_secret_in_the_sandbox_cli_output(fast_quotas):
    process = subprocess.Popen(
        [sys.executable, "-m", "mws_tools.cli", "sandbox", "--secret-key", SECRET_KEY, "--auth-token", AUTH_TOKEN,
         "--orders", "5", "--time-scale", str(TIME_SCALE)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = []
        while not banner or not banner[-1].startswith("Stop with"):
            banner.append(process.stdout.readline())
        url = banner[0].split()[4]
        credentials = json.loads("".join(banner[2:-1])) | {"secretAccessKey": SECRET_KEY, "mwsAuthToken": AUTH_TOKEN}
        ctx = run("getOrder", credentials, {"amazonOrderIds": ["123-1234567-1234567"]})
        assert [e["event"] for e in ctx.events] == ["data"] and credentials["endpoint"] == url
        spapi_banner = [process.stdout.readline()]
        while spapi_banner[-1] and spapi_banner[-1].strip() != "}":
            spapi_banner.append(process.stdout.readline())
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not leaks("".join(banner + spapi_banner) + out + err)  # the user-given secret and token are not echoed
    # After "Stop with", the SP-API block: the sandbox's own test credentials (printed so they can be used),
    # and only there: no log line repeats them.
    assert spapi_banner[0].startswith("SP-API")
    spapi = json.loads("".join(spapi_banner[1:]))
    from mws_sandbox.spapi.lwa import LwaApp
    assert (spapi["lwaClientSecret"], spapi["refreshToken"]) == (LwaApp().client_secret, LwaApp().refresh_token)
    assert spapi["endpoint"] == url and spapi["lwaEndpoint"] == url + "/auth/o2/token"
    assert LwaApp().client_secret not in out + err and LwaApp().refresh_token not in out + err


# -- SP-API: the LWA client secret, the refresh token and every access token ---------------------------

def secret_forms(*secrets):
    return {form for secret in secrets if secret
            for form in (secret, quote(secret, safe=""), quote_plus(secret), secret.replace("/", "\\/"))}


def spapi_forbidden(sb):
    """The SP-API secrets in every form an encoder could give them: the sandbox's client secret and refresh
    tokens, and every access token it issued (read from its token store after the runs)."""
    cfg = sb.spapi_credentials
    return secret_forms(cfg["lwaClientSecret"], cfg["refreshToken"], DEFAULT_ROLELESS_REFRESH_TOKEN,
                        *sb.spapi.tokens.issued()) | FORBIDDEN


def spapi_leaks(sb, text):
    return sorted(form for form in spapi_forbidden(sb) if form in text)


def spapi_bodies(sandbox):
    """bodies() with orders the SP-API face serves (the NA region's)."""
    out = bodies(sandbox)
    order = next(o for o in sandbox.store.all() if MARKETPLACES[o.marketplace_id].region == "NA" and o.paid)
    out["listOrderItems"] = {"amazonOrderId": order.amazon_order_id}
    out["getOrder"] = {"amazonOrderIds": [order.amazon_order_id, "111-0000000-0000000"]}
    return out


@pytest.fixture
def fresh_tokens():
    from mws_component.spapi.lwa import TOKEN_CACHE
    TOKEN_CACHE.clear()
    yield
    TOKEN_CACHE.clear()


def test_nothing_secret_over_spapi_in_logs_messages_errors_or_snapshots(sandbox, fast_quotas, fresh_tokens, caplog,
                                                                         monkeypatch):
    caplog.set_level(logging.DEBUG)  # every logger: the component's, urllib3's, the sandbox's
    cfg = dict(sandbox.spapi_credentials)
    every = spapi_bodies(sandbox)
    contexts = [run(function, cfg, body) for function, body in every.items()]
    sandbox.clock.advance(3600)  # every access token issued so far has expired: the next calls refresh
    contexts += [run("listOrders", cfg, {}), run("getOrder", cfg, every["getOrder"])]
    outcomes = [verify(cfg)]
    # failure paths: each refused part, faults until the retries give up, bad input, no endpoint, no TLS
    for wrong in ({"lwaClientSecret": "amzn1.oa2-cs.v1.Wr0ng/SECRET+MARKER=77aa"},
                  {"refreshToken": "Atzr|Wr0ng/REFRESH+MARKER=88bb"},
                  {"refreshToken": DEFAULT_ROLELESS_REFRESH_TOKEN}, {"marketplaceId": "A1PA6795UKMFR9"},
                  {"endpoint": "http://127.0.0.1:9"}, {"lwaEndpoint": "http://127.0.0.1:9/auth/o2/token"},
                  {"endpoint": sandbox.url.replace("http://", "https://")},
                  {"refreshToken": "Atza|" + cfg["refreshToken"][5:]}):
        outcomes.append(verify(cfg | wrong))
        contexts.append(run("getOrder", cfg | wrong, every["getOrder"]))  # retries time-scaled: quick
    monkeypatch.setenv("MWS_POLL_BUDGET_SECONDS", "3")  # under faults a List Orders run only has to end
    for fault in (dict(throttle=1.0), dict(error500=1.0), dict(drop=1.0), dict(truncate=1.0)):
        sandbox.faults = FaultConfig(**fault)
        contexts += [run("getOrder", cfg, every["getOrder"]), run("listOrders", cfg, {})]
        from mws_component.spapi.lwa import TOKEN_CACHE
        TOKEN_CACHE.clear()  # the grant meets the fault too
        contexts.append(run("listOrderItems", cfg, every["listOrderItems"]))
    sandbox.faults = FaultConfig()
    contexts += [run("listOrderItems", cfg, {"amazonOrderId": "111-0000000-0000000"}),
                 run("listOrders", cfg | {"orderStatus": ["InvoiceUnconfirmed"]}, {})]

    events = [event for ctx in contexts for event in ctx.events]
    assert {"data", "snapshot", "error"} <= {event["event"] for event in events}
    assert not all(o["verified"] for o in outcomes) and outcomes[0] == {"verified": True}
    assert len(sandbox.spapi.tokens.issued()) >= 3
    log_lines = [record.getMessage() for record in caplog.records] + caplog.text.splitlines()
    everything = "\n".join([json.dumps(events, ensure_ascii=False), json.dumps(outcomes), *log_lines])
    assert not spapi_leaks(sandbox, everything)
    assert "Wr0ng/SECRET+MARKER" not in everything and "Wr0ng/REFRESH+MARKER" not in everything
    assert any("x-amz-access-token" in line.lower() or "LWA" in line for line in log_lines)


def test_nothing_secret_over_spapi_in_the_output_of_mws_component_run(sandbox, tmp_path):
    cfg = dict(sandbox.spapi_credentials)
    every = spapi_bodies(sandbox)
    runs = [(name, cfg, body) for name, body in every.items() if name in ("listOrders", "listOrderItems", "getOrder",
                                                                         "submitInventory")]
    runs += [("getOrder", cfg | {"refreshToken": "Atzr|Wr0ng/REFRESH+MARKER=88bb"}, every["getOrder"]),
             ("getOrder", cfg | {"lwaClientSecret": "amzn1.oa2-cs.v1.Wr0ng/SECRET+MARKER=77aa"}, every["getOrder"]),
             ("listOrderItems", cfg | {"refreshToken": DEFAULT_ROLELESS_REFRESH_TOKEN}, every["listOrderItems"]),
             ("getOrder", cfg | {"endpoint": "http://127.0.0.1:9"}, every["getOrder"]),
             ("listOrderItems", cfg, {"amazonOrderId": "111-0000000-0000000"})]
    output = "\n".join(cli_run(tmp_path, *one) for one in runs)
    assert '"event": "data"' in output and '"event": "error"' in output and "DEBUG" in output
    assert sandbox.spapi.tokens.issued()
    assert not spapi_leaks(sandbox, output)
    assert "MARKER" not in output


# -- transport security ------------------------------------------------------------------------------

class RecordingSession(requests.Session):
    """Records the keyword arguments of every request instead of sending it."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append(kwargs)
        raise requests.exceptions.ConnectionError("recorded, not sent")


OFFLINE_CFG = {"sellerId": "A1SELLER", "accessKeyId": "AKIAEXAMPLE1", "secretAccessKey": "s",
               "marketplaceId": "ATVPDKIKX0DER"}


def test_tls_verification_stays_on_and_has_no_switch():
    # what someone might try: none of these is read
    cfg = OFFLINE_CFG | {"verify": False, "verifySsl": False, "insecure": True, "sslVerify": "false"}
    session = RecordingSession()
    credentials = credentials_from_cfg(cfg)
    client = MwsClient(credentials, endpoint=Endpoint(credentials.endpoint, session=session),
                       retry=RetryPolicy(max_attempts=1))
    with pytest.raises(TransportError):
        client.call("GetServiceStatus")
    assert client.session.verify is True
    assert session.calls and all("verify" not in call for call in session.calls)  # the session's True governs
    fields = load_manifest()["credentials"]["fields"]
    assert not [name for name in fields if re.search(r"verif|insecure|ssl|tls|cert", name, re.I)]
    source = "\n".join(path.read_text() for path in Path(mws_component.__file__).parent.rglob("*.py"))
    assert not re.search(r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|disable_warnings", source)


@pytest.mark.parametrize("endpoint", ["http://mws.example.com", "http://10.0.0.5:8080", "http://0.0.0.0:8080",
                                      "http://127.attacker.example", "http://localhost.attacker.example",
                                      "http://127.0.0.1.nip.io:8080", "http://[::ffff:10.0.0.1]:80"])
def test_plain_http_reaches_loopback_only(endpoint):
    with pytest.raises(ConfigurationError) as refused:
        Credentials.from_cfg(OFFLINE_CFG | {"endpoint": endpoint})
    assert refused.value.field == "endpoint"


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8080", "http://127.0.0.2:8080", "http://localhost:9",
                                      "http://[::1]:8080"])
def test_plain_http_to_loopback_is_allowed(endpoint):
    assert Credentials.from_cfg(OFFLINE_CFG | {"endpoint": endpoint}).endpoint == endpoint


def test_the_sandbox_listens_on_loopback_unless_told_otherwise():
    assert build_parser().parse_args([]).host == "127.0.0.1"
    assert inspect.signature(Sandbox).parameters["host"].default == "127.0.0.1"
    with Sandbox(orders=1) as sb:
        assert sb._server.server_address[0] == "127.0.0.1" and sb.url.startswith("http://127.0.0.1:")
