"""The MWS quota model: quota groups with a burst and, for Feeds, an hourly cap.

One bucket per quota group (operations that share a quota share a bucket,
e.g. ListOrders and ListOrdersByNextToken), seeded from Amazon's published
figures on the operation's row and corrected by the x-mws-quota-max,
-remaining and -resetsOn headers when the server sends them (Amazon MWS
Developer Guide, Throttling: "Quota headers"; the figures are the hourly ones
for groups that have an hourly quota). A group with an hourly quota gets a
second bucket for the hour. A server throttle (RequestThrottled) blocks the
group for one restore interval; QuotaExceeded blocks the hour until its reset.
"""

from dataclasses import dataclass

from ..quota import TokenBucket
from ..times import parse_time
from .envelope import error_code


@dataclass
class MwsQuota:
    group: object  # the operation's QuotaGroup
    burst: TokenBucket
    hourly: TokenBucket | None

    def buckets(self):
        return (self.burst, self.hourly) if self.hourly else (self.burst,)


class MwsQuotaModel:
    def __init__(self, endpoint):
        self.book = endpoint.quotas
        self.server_clock = endpoint.clock

    def quota_for(self, request, seller_key):
        group = request.operation.quota
        burst = self.book.bucket(seller_key, group.name, group.max_request, group.restore_seconds)
        hourly = (self.book.bucket(seller_key, f"{group.name} per hour", group.hourly, 3600.0 / group.hourly)
                  if group.hourly else None)
        return MwsQuota(group, burst, hourly)

    def acquire(self, quota, deadline):
        self.book.acquire(quota.buckets(), deadline, what=quota.group.name)

    def observe(self, quota, answer):
        """Correct the buckets from x-mws-quota-* headers (int or float values; RFC 1123 or ISO 8601
        reset times)."""
        remaining = _number(answer.headers.get("x-mws-quota-remaining"))
        if remaining is None:
            return
        bucket = quota.hourly or quota.burst
        self.book.set_remaining(bucket, remaining, capacity=_number(answer.headers.get("x-mws-quota-max")))
        resets_on = parse_time(answer.headers.get("x-mws-quota-resetson"))
        if remaining < 1 and resets_on is not None:
            self.book.block_for(bucket, self._until(resets_on))

    def throttled(self, quota, answer):
        """The server refused for quota: block about one restore interval (or the hour until its
        reset), not a blind exponential; return the seconds until a request may go again."""
        if error_code(answer) == "QuotaExceeded" and quota.hourly:
            resets_on = parse_time(answer.headers.get("x-mws-quota-resetson"))
            if resets_on is not None:
                self.book.block_for(quota.hourly, self._until(resets_on))
            else:
                self.book.block_one_interval(quota.hourly)
        else:
            self.book.block_one_interval(quota.burst)
        return self.book.delay(quota.buckets())

    def _until(self, when):
        """Real seconds from the server's now until `when` (a time on the server's clock)."""
        return (when - self.server_clock.now()).total_seconds()


def _number(value):
    if value is None:
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None
