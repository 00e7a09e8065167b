import pytest

from mws_sandbox import Sandbox

TIME_SCALE = 300  # quotas restore 300× faster, on the sandbox and in the client alike


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
