"""A fake monotonic clock and sleep for the unit tests of quotas, retries and clients: sleeping advances
the clock at once and is recorded, so waits are asserted exactly and take no time."""


class FakeTime:
    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def clock(self):
        return self.now

    __call__ = clock

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def slept(self):
        return self.sleeps
