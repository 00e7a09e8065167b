import pytest
from lxml import etree

from mws_sandbox import Sandbox

TIME_SCALE = 300  # quotas restore 300× faster, on the sandbox and in the client alike
PROCESSING = 30  # seconds of sandbox time a feed takes (the feed action tests' sandbox)


@pytest.fixture
def fast_quotas(monkeypatch):
    monkeypatch.setenv("MWS_TIME_SCALE", str(TIME_SCALE))
    return TIME_SCALE


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=3, orders=150, time_scale=TIME_SCALE) as sb:
        yield sb


@pytest.fixture
def cfg(sandbox, fast_quotas):
    return dict(sandbox.credentials)


# -- the feed actions' tests (MWS and SP-API): a sandbox per module, feeds processed in PROCESSING s --

@pytest.fixture(scope="module")
def feeds_sandbox():
    with Sandbox(seed=9, orders=80, time_scale=TIME_SCALE, feed_processing_seconds=PROCESSING) as sb:
        yield sb


@pytest.fixture
def sb(feeds_sandbox, fast_quotas):
    return feeds_sandbox


@pytest.fixture(scope="module")
def envelope(shared_dir):
    return etree.XMLSchema(etree.parse(str(shared_dir / "mws-xsd/amzn-envelope.xsd")))


# -- SP-API ------------------------------------------------------------------------------------
# Every request the component sends over SP-API in these tests is checked against the operation's
# parameters in Amazon's Orders API 2026-01-01 model, after each test, for every sandbox started.

_STARTED = []


@pytest.fixture(scope="session", autouse=True)
def _record_started_sandboxes():
    original = Sandbox.start

    def start(self):
        if all(self is not sb for sb, _ in _STARTED):
            _STARTED.append((self, [0]))
        return original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Sandbox, "start", start)
        yield


@pytest.fixture(autouse=True)
def _spapi_requests_follow_the_model(_record_started_sandboxes):
    yield
    from tests.integration.sandbox_spapi.spapi_model import validate_logged
    problems = []
    for sb, done in _STARTED:
        records = sb.requests.snapshot()
        for record in records[done[0]:]:
            if record.action in ("searchOrders", "getOrder"):
                try:
                    validate_logged(record)
                except AssertionError as exc:
                    problems.append(str(exc))
        done[0] = len(records)
    assert not problems, problems[:5]


SPAPI_OPERATIONS = ("searchOrders", "getOrder")


def spapi_calls(sb, since=0):
    """The SP-API operations (not token grants) the sandbox saw from `since` on."""
    return [r for r in sb.requests.snapshot()[since:] if r.action in SPAPI_OPERATIONS]


def grants(sb, since=0):
    return [r for r in sb.requests.snapshot()[since:] if r.action == "LwaToken"]


@pytest.fixture
def fresh_tokens():
    """An empty process-wide LWA token cache for the test (and emptied again after it)."""
    from mws_component.spapi.lwa import TOKEN_CACHE
    TOKEN_CACHE.clear()
    yield TOKEN_CACHE
    TOKEN_CACHE.clear()


@pytest.fixture(scope="module")
def spapi_sandbox():
    with Sandbox(seed=3, orders=150, time_scale=TIME_SCALE) as sb:
        sb.clock.advance(130)
        yield sb


@pytest.fixture
def spapi_cfg(spapi_sandbox, fast_quotas, fresh_tokens):
    return dict(spapi_sandbox.spapi_credentials)
