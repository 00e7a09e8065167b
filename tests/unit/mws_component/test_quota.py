"""The quota buckets shared by every API: refill, corrections from the server, waiting, running out."""

import pytest

from mws_component.errors import QuotaExhausted
from mws_component.quota import QuotaBook, TokenBucket
from .fake_time import FakeTime


@pytest.fixture
def fake():
    return FakeTime(100.0)


def test_a_bucket_allows_its_burst_then_one_per_interval():
    bucket = TokenBucket(3, 2.0, now=0.0)
    for _ in range(3):
        assert bucket.delay(0.0) == 0
        bucket.take(0.0)
    assert bucket.delay(0.0) == pytest.approx(2.0)
    assert bucket.delay(1.0) == pytest.approx(1.0)
    assert bucket.delay(2.0) == 0
    assert bucket.delay(100.0) == 0 and bucket.tokens == 3  # never above the burst


def test_the_server_corrects_remaining_and_capacity():
    bucket = TokenBucket(6, 60.0, now=0.0)
    bucket.set_remaining(0.0, 0.0, capacity=10)
    assert bucket.capacity == 10 and bucket.delay(0.0) == pytest.approx(60.0)
    bucket.set_remaining(50, 0.0)  # more than the capacity: capped
    assert bucket.tokens == 10


def test_blocked_until_a_time_then_one_request_at_least():
    bucket = TokenBucket(2, 1000.0, now=0.0)
    bucket.block_until(30.0, 0.0)
    assert bucket.delay(10.0) == pytest.approx(20.0)
    assert bucket.delay(30.0) == 0  # the server's wait is over: one may go even though little was restored


def test_a_new_rate():
    bucket = TokenBucket(1, 10.0, now=0.0)
    bucket.take(0.0)
    bucket.set_interval(2.0, 0.0)
    assert bucket.delay(0.0) == pytest.approx(2.0)


def test_book_shares_a_bucket_per_seller_and_quota_and_scales_the_interval(fake):
    book = QuotaBook(time_scale=10, clock=fake.clock, sleep=fake.sleep)
    a = book.bucket("SELLER1", "ListOrders", 6, 60.0)
    assert book.bucket("SELLER1", "ListOrders", 6, 60.0) is a
    assert book.bucket("SELLER2", "ListOrders", 6, 60.0) is not a
    assert book.bucket("SELLER1", "GetOrder", 6, 60.0) is not a
    assert a.interval == pytest.approx(6.0)


def test_acquire_waits_for_a_token_in_naps(fake):
    book = QuotaBook(clock=fake.clock, sleep=fake.sleep)
    bucket = book.bucket("S", "q", 1, 12.0)
    assert book.acquire([bucket]) == 0
    assert book.acquire([bucket]) == pytest.approx(12.0)
    assert fake.sleeps == [5.0, 5.0, pytest.approx(2.0)]  # naps of at most 5 s: another thread may correct the bucket


def test_acquire_draws_on_every_bucket_of_the_call(fake):
    book = QuotaBook(clock=fake.clock, sleep=fake.sleep)
    burst, hourly = book.bucket("S", "q", 5, 1.0), book.bucket("S", "q/h", 1, 3600.0)
    book.acquire([burst, hourly])
    assert burst.tokens == 4 and hourly.tokens == 0
    assert book.delay([burst, hourly]) == pytest.approx(3600.0)


def test_running_out_before_the_deadline_is_quota_exhausted_and_takes_nothing(fake):
    book = QuotaBook(clock=fake.clock, sleep=fake.sleep)
    bucket = book.bucket("S", "SubmitFeed", 1, 120.0)
    book.acquire([bucket])
    with pytest.raises(QuotaExhausted) as caught:
        book.acquire([bucket], deadline=fake.now + 60, what="SubmitFeed")
    assert caught.value.retry_after == pytest.approx(120.0)
    assert "SubmitFeed" in str(caught.value) and fake.sleeps == []
    assert bucket.tokens == pytest.approx(0.0)


def test_block_for_is_real_time_scaled(fake):
    book = QuotaBook(time_scale=60, clock=fake.clock, sleep=fake.sleep)
    bucket = book.bucket("S", "q", 5, 60.0)
    book.block_for(bucket, 600.0)  # ten real minutes = ten seconds on a 60x clock
    assert book.delay([bucket]) == pytest.approx(10.0)
    book.block_one_interval(bucket)
    assert book.delay([bucket]) == pytest.approx(10.0)  # the longer block stands


def test_a_lead_waits_a_little_past_the_token_once_then_exactly_one_interval_apart():
    bucket = TokenBucket(3, 2.0, now=0.0, lead=0.05)
    for _ in range(3):
        bucket.take(0.0)
    assert bucket.delay(0.0) == pytest.approx(2.0 + 0.1)  # 5 % of the interval past the token
    bucket.take(2.1)
    assert bucket.delay(2.1) == pytest.approx(2.0)  # what the lead waited stays in the bucket
    bucket.take(4.1)
    assert bucket.delay(4.1) == pytest.approx(2.0)
    assert TokenBucket(1, 2.0, now=0.0).margin == 0  # no lead unless asked for


def test_a_lead_is_at_most_a_second():
    bucket = TokenBucket(20, 178.6, now=0.0, lead=0.05)
    assert bucket.margin == pytest.approx(1.0)
    for _ in range(20):
        bucket.take(0.0)
    assert bucket.delay(0.0) == pytest.approx(178.6 + 1.0)


def test_the_book_gives_a_new_bucket_its_lead(fake):
    book = QuotaBook(time_scale=10, clock=fake.clock, sleep=fake.sleep)
    assert book.bucket("S", "q", 1, 20.0, lead=0.05).margin == pytest.approx(0.1)  # 5 % of 2 s


def test_a_lead_on_a_fast_operation_is_at_least_the_floor_but_at_most_half_an_interval():
    assert TokenBucket(5, 0.2, now=0.0, lead=0.05).margin == pytest.approx(0.05)     # 5 % would be 10 ms
    assert TokenBucket(5, 0.04, now=0.0, lead=0.05).margin == pytest.approx(0.02)    # half of 40 ms
    assert TokenBucket(5, 0.2, now=0.0).margin == 0                                   # no lead, no floor


def test_the_first_answer_moves_the_count_to_the_answer_once():
    bucket = TokenBucket(2, 1.0, now=0.0, lead=0.05)
    bucket.take(0.0)
    bucket.take(0.0)
    bucket.count_from_answer(sent=0.0, now=0.3)    # the call took 0.3 s: the server took it somewhere in there
    assert bucket.delay(0.3) == pytest.approx(1.0 + 0.05)   # one interval from the answer, plus the lead
    bucket.take(1.35)
    bucket.count_from_answer(sent=1.35, now=1.9)   # only the first answer counts
    assert bucket.delay(1.9) == pytest.approx(1.0 - 0.55)
