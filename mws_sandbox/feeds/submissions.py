"""Feed submissions and their processing on server time.

Timing: a feed waits `processing_seconds / 2` in _SUBMITTED_, then spends
the other half _IN_PROGRESS_, then is _DONE_ (30 s in all by default). Feeds
of the same type (and seller) are processed one at a time in submission
order, as Amazon does (Feeds_Processing): a feed starts only once the one
before it is done, so two product feeds submitted together finish 15 s apart
with the default.

Processing is lazy and deterministic: nothing runs in the background;
`catch_up(now)` replays every start and completion due by `now`, in time
order (ties by submission id), and the feed's changes are applied at its
completion. The MWS face calls it before each request, so whatever a client
reads is as of its request's server time; `clock.advance()` then any request
(or `Sandbox.process_feeds()`) moves feeds along.
"""

import random
import threading
from dataclasses import dataclass, replace

from .feed_types import CANCELLED, DONE, FINAL_STATUSES, IN_PROGRESS, SUBMITTED

# Real ids were 11-digit numbers, increasing, with gaps (other sellers' feeds in between).
FIRST_ID_LOW, FIRST_ID_HIGH = 50_000_000_000, 59_000_000_000
MAX_ID_STEP = 997


@dataclass
class Submission:
    submission_id: str
    seller_id: str
    feed_type: str
    submitted_ms: int
    content: bytes
    content_type: str = "text/xml"
    marketplace_ids: tuple = ()
    purge_and_replace: bool = False
    status: str = SUBMITTED
    started_ms: int | None = None
    completed_ms: int | None = None
    report: object = None  # processing.Report once _DONE_

    @property
    def queue(self):
        return self.seller_id, self.feed_type


class FeedSubmissions:
    def __init__(self, process, *, processing_seconds=30.0, seed=1):
        """`process(submission, now_ms) -> Report` applies a feed and writes its report."""
        if processing_seconds < 0:
            raise ValueError("feed_processing_seconds must not be negative")
        self._process = process
        total_ms = round(processing_seconds * 1000)
        self.waiting_ms = total_ms // 2
        self.running_ms = total_ms - self.waiting_ms
        self._ids = random.Random(f"mws-sandbox-feeds-{seed}")
        self._next_id = self._ids.randint(FIRST_ID_LOW, FIRST_ID_HIGH)
        self._lock = threading.RLock()
        self._all = {}  # id -> Submission, in submission order
        self._open = []  # submissions not yet _DONE_ or _CANCELLED_, in submission order
        self._queue_free_ms = {}  # (seller, feed type) -> when its last feed completed

    def submit(self, seller_id, feed_type, content, now_ms, **details):
        """Record a new submission (_SUBMITTED_); returns a snapshot of it."""
        with self._lock:
            submission = Submission(str(self._next_id), seller_id, feed_type, now_ms, content, **details)
            self._next_id += self._ids.randint(1, MAX_ID_STEP)
            self._all[submission.submission_id] = submission
            self._open.append(submission)
            return replace(submission)

    # -- reading --------------------------------------------------------------------------
    def get(self, submission_id):
        with self._lock:
            found = self._all.get(submission_id)
            return None if found is None else replace(found)

    def select(self, where):
        """Snapshots of the submissions matching `where`, newest first."""
        with self._lock:
            rows = [replace(s) for s in self._all.values() if where(s)]
        rows.sort(key=lambda s: int(s.submission_id), reverse=True)
        return rows

    def __len__(self):
        with self._lock:
            return len(self._all)

    # -- changing -------------------------------------------------------------------------
    def cancel(self, where):
        """Cancel the _SUBMITTED_ submissions matching `where`; snapshots of those cancelled, newest first."""
        with self._lock:
            cancelled = [s for s in self._open if s.status == SUBMITTED and where(s)]
            for submission in cancelled:
                submission.status = CANCELLED
                submission.content = b""
            self._open = [s for s in self._open if s.status not in FINAL_STATUSES]
        return sorted((replace(s) for s in cancelled), key=lambda s: int(s.submission_id), reverse=True)

    def catch_up(self, now_ms):
        """Start and complete every feed due by `now_ms`, in the order it would have happened."""
        with self._lock:
            while True:
                step = self._next_step()
                if step is None or step[0] > now_ms:
                    return
                at, submission = step
                if submission.status == SUBMITTED:
                    submission.status, submission.started_ms = IN_PROGRESS, at
                else:
                    self._complete(submission, at)

    def _next_step(self):
        """(time, submission) of the earliest start or completion pending, or None."""
        heads = {}
        for submission in self._open:  # the oldest open feed of each queue is the only one that can move
            heads.setdefault(submission.queue, submission)
        steps = []
        for queue, submission in heads.items():
            if submission.status == SUBMITTED:
                at = max(submission.submitted_ms + self.waiting_ms, self._queue_free_ms.get(queue, 0))
            else:
                at = submission.started_ms + self.running_ms
            steps.append((at, int(submission.submission_id), submission))
        if not steps:
            return None
        at, _, submission = min(steps, key=lambda step: step[:2])
        return at, submission

    def _complete(self, submission, at):
        submission.report = self._process(submission, at)
        submission.status, submission.completed_ms = DONE, at
        submission.content = b""  # the report is what is kept
        self._queue_free_ms[submission.queue] = at
        self._open.remove(submission)
