"""The crash-safety ledger and the deterministic message ids (see mws_sailor/ledger.py)."""

import fcntl
import os
import subprocess
import sys
import uuid

from mws_sailor.ledger import (NAMESPACE, EmitKeys, Ledger, content_digest, derived_message_id, message_key)


def test_message_key_includes_the_rebound_iteration():
    assert message_key({"messageId": "m"}) == "m|0"
    assert message_key({"messageId": "m", "reboundIteration": 3}) == "m|3"
    assert message_key({}) is None


def test_derived_ids_are_uuid5_and_deterministic():
    assert derived_message_id("f", "s", "m|0", "data:x#0") == str(uuid.uuid5(NAMESPACE, "f/s/m|0/data:x#0"))
    assert derived_message_id("f", "s", "m|0", "data:x#0") != derived_message_id("f", "s", "m|0", "data:x#1")


def test_emit_keys_depend_on_content_not_position():
    keys = EmitKeys()
    first, second, other = keys.next("data", {"a": 1, "b": 2}), keys.next("data", {"b": 2, "a": 1}), \
        keys.next("data", {"a": 2})
    assert first.endswith("#0") and second.endswith("#1") and first[:-2] == second[:-2]
    assert other.endswith("#0") and other != first
    assert content_digest({"a": 1, "b": 2}) == content_digest({"b": 2, "a": 1})


def test_a_dead_runners_unsettled_publications_are_taken_over(tmp_path):
    # A runner records publications and dies (its process ends without settling).
    script = ("import sys; from mws_sailor.ledger import Ledger; l = Ledger(sys.argv[1]); "
              "m = l.for_message('m1|0'); m.record('data:a#0'); "
              "d = l.for_message('done|0'); d.record('data:b#0'); d.discard(); d2 = l.for_message('x|0'); "
              "d2.record('data:c#0')")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True)

    ledger = Ledger(tmp_path)

    assert "data:a#0" in ledger.for_message("m1|0") and ledger.for_message("m1|0").replaying
    assert not ledger.for_message("done|0").replaying   # settled before the crash
    assert not ledger.for_message("new|0").replaying
    journals = list(tmp_path.glob("journal-*.log"))
    assert len(journals) == 1                           # the dead runner's journal was absorbed
    # Settling and closing cleanly leaves nothing behind.
    for key in ("m1|0", "x|0"):
        ledger.for_message(key).discard()
    ledger.close()
    assert list(tmp_path.iterdir()) == []


def test_a_live_runners_journal_is_left_alone(tmp_path):
    live = Ledger(tmp_path)
    live.for_message("m|0").record("data:a#0")
    other = Ledger(tmp_path)
    assert not other.for_message("m|0").replaying
    assert len(list(tmp_path.glob("journal-*.log"))) == 2


def test_entries_past_retention_are_dropped(tmp_path):
    old = tmp_path / "journal-old.log"
    old.write_text('["P","m|0","data:a#0",1000]\n["P","n|0","data:b#0",99999999999]\nbroken line\n')
    ledger = Ledger(tmp_path)
    assert not ledger.for_message("m|0").replaying
    assert ledger.for_message("n|0").replaying
    assert not old.exists()


def test_compaction_keeps_only_unsettled_entries(tmp_path, monkeypatch):
    import mws_sailor.ledger as ledger_module
    monkeypatch.setattr(ledger_module, "COMPACT_BYTES", 2000)
    ledger = Ledger(tmp_path)
    ledger.for_message("keep|0").record("data:k#0")
    for i in range(100):
        m = ledger.for_message(f"m{i}|0")
        m.record("data:x#0")
        m.discard()
    [journal] = tmp_path.glob("journal-*.log")
    assert journal.stat().st_size < 2000
    fd = os.open(journal, os.O_RDONLY)
    try:
        assert _is_locked(fd)
    finally:
        os.close(fd)
    ledger.close()
    assert Ledger(tmp_path).for_message("keep|0").replaying


def _is_locked(fd):
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


def test_without_a_directory_nothing_is_kept():
    ledger = Ledger("")
    m = ledger.for_message("m|0")
    m.record("data:a#0")
    assert "data:a#0" in m and not ledger.for_message("m|0").replaying
