"""The pipeline runs any API's stages: here made-up ones, with no HTTP, to show what each stage is asked."""

import pytest

from mws_component.errors import ApiError, QuotaExhausted, TransportError
from mws_component.pipeline import Pipeline, RawAnswer, Request, TransportFailure
from mws_component.retry import RetryPolicy


class Op:
    name, idempotent, quota = "getThing", True, "q"


class FakeClock:
    def __init__(self):
        self.learnt = []

    def now(self):
        return "NOW"

    def learn(self, headers):
        self.learnt.append(headers)


class FakeEndpoint:
    """Answers from a script: a RawAnswer, or an exception to raise."""

    def __init__(self, script):
        self.script = list(script)
        self.sent = []
        self.clock = FakeClock()

    def exchange(self, request, *, deadline=None, sink=None):
        self.sent.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


class TokenAuthoriser:
    secrets = ("tok-secret",)

    def __init__(self):
        self.invalidated = 0
        self.prepared = 0

    def prepare(self):
        self.prepared += 1

    def authorise(self, request, now):
        return request.but(headers=request.headers | {"x-token": f"tok-{self.invalidated}", "x-now": now})

    def invalidate(self):
        self.invalidated += 1


class JsonishEnvelope:
    def parse(self, request, answer):
        if answer.status == 429:
            raise ApiError("slow down", code="QuotaExceeded", status=429, outcome_kind="throttled")
        if answer.status == 403:
            raise ApiError("expired", code="Unauthorized", status=403, outcome_kind="auth_expired")
        if answer.status >= 400:
            raise ApiError("no", code="InvalidInput", status=answer.status)
        return {"parsed": answer.body.decode()}


class CountingQuota:
    def __init__(self, exhausted=False):
        self.log = []
        self.exhausted = exhausted

    def quota_for(self, request, seller_key):
        return (seller_key, request.operation.quota)

    def acquire(self, quota, deadline):
        self.log.append(("acquire", quota))
        if self.exhausted:
            raise QuotaExhausted("used up", retry_after=42)

    def observe(self, quota, answer):
        self.log.append(("observe", answer.status))

    def throttled(self, quota, answer):
        self.log.append(("throttled", answer.status))
        return 3.0


def pipeline(script, quota=None):
    sleeps = []
    p = Pipeline(FakeEndpoint(script), TokenAuthoriser(), JsonishEnvelope(), quota or CountingQuota(),
                 RetryPolicy(max_attempts=4), seller_key="S1", sleep=sleeps.append, clock=lambda: 0.0)
    return p, sleeps


def build():
    return Request(Op(), "GET", "https://api.example/things", {"id": "1"})


def test_each_stage_in_turn_and_the_parsed_success():
    p, sleeps = pipeline([RawAnswer(200, {"x-amz-date": "d"}, b"thing")])
    assert p.run(build) == {"parsed": "thing"}
    [sent] = p.endpoint.sent
    assert sent.headers == {"x-token": "tok-0", "x-now": "NOW"}  # authorised with the endpoint's clock
    assert p.quota_model.log == [("acquire", ("S1", "q")), ("observe", 200)]
    assert p.endpoint.clock.learnt == [{"x-amz-date": "d"}]  # every answer teaches the endpoint's clock
    assert sleeps == []


def test_a_throttle_waits_what_the_quota_model_says_then_sends_again():
    p, sleeps = pipeline([RawAnswer(429, {}, b""), RawAnswer(200, {}, b"late")])
    assert p.run(build) == {"parsed": "late"}
    assert ("throttled", 429) in p.quota_model.log and len(sleeps) == 1 and 2.7 <= sleeps[0] <= 3.3
    assert [entry[0] for entry in p.quota_model.log].count("acquire") == 2  # every attempt draws on the quota


def test_an_expired_token_is_refreshed_once():
    p, _ = pipeline([RawAnswer(403, {}, b""), RawAnswer(200, {}, b"ok")])
    assert p.run(build) == {"parsed": "ok"}
    assert [r.headers["x-token"] for r in p.endpoint.sent] == ["tok-0", "tok-1"]
    p, _ = pipeline([RawAnswer(403, {}, b""), RawAnswer(403, {}, b"")])
    with pytest.raises(ApiError, match="expired"):
        p.run(build)


def test_a_final_error_is_raised_at_once():
    p, sleeps = pipeline([RawAnswer(400, {}, b"")])
    with pytest.raises(ApiError) as caught:
        p.run(build)
    assert caught.value.code == "InvalidInput" and sleeps == [] and len(p.endpoint.sent) == 1


def test_transport_failures_retried_then_a_transport_error():
    p, sleeps = pipeline([TransportFailure("cannot connect", safe=True)] * 4)
    with pytest.raises(TransportError, match="getThing: cannot connect; gave up after 4 attempt"):
        p.run(build)
    assert len(sleeps) == 3


def test_an_unsafe_failure_of_a_non_idempotent_call_is_not_sent_again():
    class Submit(Op):
        idempotent = False
    p, _ = pipeline([TransportFailure("timed out", safe=False)])
    with pytest.raises(TransportError, match="may have been accepted"):
        p.run(lambda: Request(Submit(), "POST", "https://api.example/feeds"))
    assert len(p.endpoint.sent) == 1


def test_local_quota_exhaustion_is_raised_as_itself_and_nothing_is_sent():
    p, _ = pipeline([], quota=CountingQuota(exhausted=True))
    with pytest.raises(QuotaExhausted) as caught:
        p.run(build)
    assert caught.value.retry_after == 42 and p.endpoint.sent == []


def test_a_request_sent_just_before_the_deadline_has_the_policys_call_time_for_its_answer():
    # A run's budget bounds when a request may start; the answer of one sent in time is read.
    seen = []

    class DeadlineEndpoint(FakeEndpoint):
        def exchange(self, request, *, deadline=None, sink=None):
            seen.append(deadline)
            return super().exchange(request, deadline=deadline, sink=sink)

    now = [100.0]
    p = Pipeline(DeadlineEndpoint([RawAnswer(200, {}, b"page")]), TokenAuthoriser(), JsonishEnvelope(),
                 CountingQuota(), RetryPolicy(max_attempts=4, max_elapsed=30.0), seller_key="S1",
                 sleep=lambda s: None, clock=lambda: now[0])
    assert p.run(build, deadline=100.5) == {"parsed": "page"}
    assert seen == [130.0]  # not 100.5: the answer may take the policy's 30 s
    p.endpoint.script = [RawAnswer(200, {}, b"page")]
    assert p.run(build, deadline=1000.0) == {"parsed": "page"}
    assert seen[-1] == 1000.0  # a later deadline stands


def test_an_expired_token_in_an_answer_after_the_deadline_is_still_refreshed_once():
    # The request went in time; its answer says the token expired: refresh and send again at once.
    now = [100.0]

    class SlowEndpoint(FakeEndpoint):
        def exchange(self, request, *, deadline=None, sink=None):
            now[0] += 1.0  # the answer comes after the caller's deadline
            return super().exchange(request, deadline=deadline, sink=sink)

    p = Pipeline(SlowEndpoint([RawAnswer(403, {}, b""), RawAnswer(200, {}, b"ok")]), TokenAuthoriser(),
                 JsonishEnvelope(), CountingQuota(), RetryPolicy(max_attempts=4, max_elapsed=30.0), seller_key="S1",
                 sleep=lambda s: None, clock=lambda: now[0])
    assert p.run(build, deadline=100.5) == {"parsed": "ok"}
    assert [r.headers["x-token"] for r in p.endpoint.sent] == ["tok-0", "tok-1"]


def test_a_retry_that_waits_must_still_fit_before_the_deadline():
    class ServerErrors(JsonishEnvelope):
        def parse(self, request, answer):
            if answer.status == 500:
                raise ApiError("busy", code="InternalFailure", status=500, outcome_kind="server_error")
            return super().parse(request, answer)

    now = [100.0]
    p = Pipeline(FakeEndpoint([RawAnswer(500, {}, b""), RawAnswer(200, {}, b"ok")]), TokenAuthoriser(),
                 ServerErrors(), CountingQuota(), RetryPolicy(max_attempts=4, max_elapsed=30.0), seller_key="S1",
                 sleep=lambda s: None, clock=lambda: now[0])
    with pytest.raises(ApiError, match="busy"):
        p.run(build, deadline=100.1)  # a backoff of about a second does not fit in 0.1 s
    assert len(p.endpoint.sent) == 1
    p.endpoint.script = [RawAnswer(500, {}, b""), RawAnswer(200, {}, b"ok")]
    assert p.run(build, deadline=200.0) == {"parsed": "ok"}  # with time left it is sent again


def test_the_authoriser_prepares_before_the_quota_is_drawn():
    # A token grant must not sit between taking the quota and sending: the server counts from arrival.
    order = []
    p, _ = pipeline([RawAnswer(200, {}, b"ok")])
    p.authoriser.prepare = lambda: order.append("prepare")
    acquire = p.quota_model.acquire
    p.quota_model.acquire = lambda quota, deadline: (order.append("acquire"), acquire(quota, deadline))
    p.run(build)
    assert order == ["prepare", "acquire"]
