"""`mws-component run` as a user meets it: --snapshot, verifyCredentials, a pipe closed early,
the notice of a long wait; and the --help of the platform entry points."""

import json
import os
import subprocess
import sys
import threading

import pytest

from mws_component.quota import QuotaBook
from mws_sailor.inputs import InputError
from mws_sandbox import Sandbox
from mws_tools.demo import shorten
from mws_tools.runner import LocalContext, WaitNotice, read_snapshot
from testkit.runtime import ROOT, wait_until


def run(*args, timeout=120, **kwargs):
    return subprocess.run([sys.executable, "-m", "mws_tools.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, **kwargs)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed=3, orders=30, quotas=False) as sb:
        sb.clock.advance(180)
        yield sb


@pytest.fixture
def cfg_file(sandbox, tmp_path):
    path = tmp_path / "cfg.json"
    markets = sorted({o.marketplace_id for o in sandbox.store.all()})
    path.write_text(json.dumps(dict(sandbox.credentials, marketplaceIds=markets, maxResultsPerPage=10)))
    return path


# -- --snapshot -----------------------------------------------------------------------------

def test_snapshot_may_be_the_bare_snapshot_or_the_whole_event_line(tmp_path):
    snapshot = {"cursor": "2026-01-01T00:00:00Z", "boundaryIds": []}
    (tmp_path / "bare.json").write_text(json.dumps(snapshot))
    (tmp_path / "line.json").write_text(json.dumps({"event": "snapshot", "snapshot": snapshot}) + "\n")
    assert read_snapshot(tmp_path / "bare.json") == snapshot
    assert read_snapshot(tmp_path / "line.json") == snapshot


@pytest.mark.parametrize("content, words", [
    ('{"event": "data", "body": {"amazonOrderId": "1"}}', "a 'data' event line is not a snapshot"),
    ('{"event": "updateSnapshot", "snapshot": {"cursor": "x"}}', "holds only the keys that changed"),
    ('{"event": "snapshot", "snapshot": [1]}', "snapshot.snapshot must be a JSON object, not a list"),
    ('{"event": "snapshot", "snapshot": {}, "body": {}}', "is not a snapshot"),
    ('{"event": "snapshot", "snapshot": {}}\n{"event": "snapshot", "snapshot": {}}\n', "pass its last"),
    ('[{"cursor": "x"}]', "snapshot must be a JSON object, not a list"),
])
def test_anything_else_is_refused_saying_what_the_file_must_hold(tmp_path, content, words):
    (tmp_path / "s.json").write_text(content)
    with pytest.raises(InputError, match=".") as caught:
        read_snapshot(tmp_path / "s.json")
    assert words in str(caught.value) and caught.value.field.startswith("snapshot")


def test_the_snapshot_line_of_one_run_continues_the_next(sandbox, cfg_file, tmp_path):
    first = run("run", "listOrders", "--cfg", str(cfg_file))
    assert first.returncode == 0, first.stderr
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert sum(e["event"] == "data" for e in lines) == len(sandbox.store)
    last_snapshot_line = [line for line in first.stdout.splitlines() if '"event": "snapshot"' in line][-1]
    (tmp_path / "snapshot.json").write_text(last_snapshot_line + "\n")
    again = run("run", "listOrders", "--cfg", str(cfg_file), "--snapshot", str(tmp_path / "snapshot.json"))
    assert again.returncode == 0, again.stderr
    # Nothing changed meanwhile: nothing is emitted again (a snapshot taken as empty would re-emit all).
    assert [json.loads(line)["event"] for line in again.stdout.splitlines()].count("data") == 0


# -- the command's output ---------------------------------------------------------------------

def test_verify_credentials_runs_like_the_other_functions(sandbox, cfg_file, tmp_path):
    good = run("run", "verifyCredentials", "--cfg", str(cfg_file))
    assert good.returncode == 0, good.stderr
    assert [json.loads(line) for line in good.stdout.splitlines()] == [{"event": "data", "body": {"verified": True}}]
    wrong = json.loads(cfg_file.read_text()) | {"secretAccessKey": "not-the-secret"}
    (tmp_path / "wrong.json").write_text(json.dumps(wrong))
    refused = run("run", "verifyCredentials", "--cfg", str(tmp_path / "wrong.json"))
    [event] = [json.loads(line) for line in refused.stdout.splitlines()]
    assert event["body"]["verified"] is False and "Secret Access Key" in event["body"]["reason"]


def test_a_reader_that_stops_early_ends_the_run_quietly(sandbox, cfg_file):
    process = subprocess.Popen([sys.executable, "-m", "mws_tools.cli", "run", "listOrders", "--cfg", str(cfg_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert json.loads(process.stdout.readline())["event"] == "data"
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(60) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_a_long_wait_for_a_quota_is_explained():
    """The notice names the quota when the function waits in the MWS client's throttle (no clock is timed:
    the notice is asked with a clock set past the quiet time)."""
    released = threading.Event()
    book = QuotaBook(sleep=lambda seconds: released.wait(seconds))
    ctx = LocalContext(out=None)
    bucket = book.bucket("seller", "ListOrders", 6, 60)
    book.block_for(bucket, 3600)
    waiting = threading.Thread(target=book.acquire, args=((bucket,),), daemon=True)
    notice = WaitNotice("listOrders", ctx, clock=lambda: ctx.last_emit + 60)
    waiting.start()
    notice.thread_id = waiting.ident
    wait_until(lambda: notice.waiting_for() == "quota", what="the thread waiting in the throttle")
    text = notice.check()
    with book.lock:     # the quota comes back, so the waiting thread takes it and ends (never left spinning)
        bucket.blocked_until, bucket.tokens = 0.0, bucket.capacity
    released.set()
    waiting.join(10)
    assert not waiting.is_alive()
    assert "listOrders has been quiet for 60 s, waiting for its request quota" in text
    assert "--no-quotas" in text and "--time-scale" in text
    assert notice.check() is None  # once per quiet spell


def test_a_function_that_is_busy_gets_no_notice_before_its_time():
    ctx = LocalContext(out=None)
    notice = WaitNotice("getOrder", ctx, clock=lambda: ctx.last_emit + 1)
    assert notice.check() is None


# -- help of the platform entry points ------------------------------------------------------------

def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}


@pytest.mark.parametrize("command, names", [
    ("sail", ["ELASTICIO_AMQP_URI", "ELASTICIO_API_URI", "ELASTICIO_FUNCTION", "ELASTICIO_LISTEN_MESSAGES_ON",
              "ELASTICIO_MESSAGE_CRYPTO_PASSWORD", "ELASTICIO_DATA_RATE_LIMIT = 10", "MWS_SAILOR_LEDGER_DIR",
              "python -m testkit.step"]),
    ("serve", ["ELASTICIO_POST_RESULT_URL", "ELASTICIO_CFG", "ELASTICIO_ACTION_OR_TRIGGER",
               "ELASTICIO_GET_MODEL_METHOD", "ELASTICIO_POST_RESULT_URL=-"]),
])
def test_the_entry_points_have_help_without_any_variable_set(command, names):
    result = run(command, "--help", env=clean_env())
    assert result.returncode == 0, result.stderr
    for name in names:
        assert name in result.stdout, name


def test_serve_prints_its_result_locally(sandbox, cfg_file):
    env = clean_env() | {"ELASTICIO_CFG": cfg_file.read_text(), "ELASTICIO_POST_RESULT_URL": "-"}
    result = run("serve", "verifyCredentials", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"status": "success", "data": {"verified": True}}
    env = clean_env() | {"ELASTICIO_CFG": "{}", "ELASTICIO_POST_RESULT_URL": "-",
                         "ELASTICIO_ACTION_OR_TRIGGER": "listOrders", "ELASTICIO_GET_MODEL_METHOD": "getMarketplaces"}
    models = json.loads(run("serve", "selectModel", env=env).stdout)
    assert models["status"] == "success" and "ATVPDKIKX0DER" in models["data"]


def test_demo_descriptions_are_cut_at_a_word():
    text = "The SKU 'NOT-IN-CATALOGUE' does not exist in the catalogue. A Product feed must create it first."
    cut = shorten(text, 70)
    assert len(cut) <= 70 and cut.endswith(" …")
    assert text.startswith(cut[:-2]) and text[len(cut) - 2] == " "  # the cut falls between words


def test_the_demo_runs_every_section_on_both_apis():
    """`make demo` as a fresh machine runs it: every section, both APIs, the order cycle closed on each,
    each listings report showing its deliberate issue by SKU, and no throttled answer of our own making."""
    done = run("demo", timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for n in range(1, 10):
        assert f"\n{n}. " in out, f"section {n} missing"
    assert "the order cycle is closed\n" in out and "the order cycle is closed over SP-API" in out
    assert "emits" in out and out.count(" as Shipped") == 2
    section9 = out.split("\n9. ", 1)[1]
    for label in ("product (SHIRT)", "inventory", "price", "image", "relationship"):
        assert f"  {label}" in section9
    assert section9.count("Complete, 1 ok, 1 error(s)") == 5          # by feed: one deliberate issue each
    assert section9.count("ACCEPTED,") == 5 and section9.count(" INVALID") == 5   # by perItem
    for sku in ("DEMO-NO-LISTING", *(f"DEMO-GONE-{n}" for n in range(1, 9))):
        assert f"'{sku}'" in section9, sku
    assert "has no SP-API counterpart" in section9
    assert "429 answers: 0" in section9 and section9.count("JSON_LISTINGS_FEED") >= 1
    assert "Traceback" not in done.stderr
