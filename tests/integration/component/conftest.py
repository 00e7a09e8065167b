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
