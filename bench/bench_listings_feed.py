#!/usr/bin/env python3
"""Time and peak memory to build a JSON_LISTINGS_FEED, and to build and upload it to the sandbox, beside
json.dumps of the same document held whole.

    python bench/bench_listings_feed.py [--messages 25000] [--repeat 3]

"listings feed": mws_component.spapi.listings.feed.build_feed_for_items on price items (each mapped
to a PATCH of purchasable_offer with a standard price, a sale and a business offer), streamed into a
spooled temporary file one message at a time.
"held whole": the same items mapped into a list of messages, the whole document json.dumps'd into one
string and written to a temporary file (the same bytes: the MD5s are compared).
"built and uploaded": the same price items submitted through the component's own SP-API path
(open_account(credentials_from_cfg(cfg)).submit_feed of a price FeedRequest: the feed built, then
createFeedDocument, the PUT to the presigned URL, createFeed and getFeed, the LWA token included) to a
sandbox running in another process (`python -m mws_tools.cli sandbox --no-quotas`, started once for the
whole run, its SP-API credentials read from its banner), so the child's peak is the component's alone.
The sandbox answers the PUT with the S3 ETag (the MD5 of the body it received) and the request carries
its Content-Length: the uploaded document is checked to be the streamed build's bytes, and the feed's
status is asked afterwards (not timed). submit_feed maps and writes the items one at a time into the
spooled file and uploads only once every one passed, so its peak stays flat too (an action's items are
in memory anyway: they arrive as one platform message).
All modes consume the same lazily generated items. Each run is a fresh subprocess, so its ru_maxrss is
its own peak; a run with a tenth of the messages shows whether memory stays flat. The modes run in turn
and the best run of each counts. Goal: peak memory of the built-and-uploaded feed flat and under 100 MB.
"""

import argparse
import base64
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SELLER = "A1BENCHSELLER"
MARKETPLACE = "ATVPDKIKX0DER"


def price_items(count):
    """Lazily generated items, as a platform message would carry them."""
    for i in range(count):
        yield {"sku": f"SKU-{i:08d}", "standardPrice": {"value": f"{10 + i % 90}.99", "currency": "USD"},
               "sale": {"startDate": "2026-12-01T00:00:00Z", "endDate": "2026-12-31T00:00:00Z",
                        "salePrice": {"value": f"{9 + i % 90}.49", "currency": "USD"}},
               "businessPrice": f"{9 + i % 90}.79"}


def _context():
    from mws_component.spapi.listings.mapping import ListingsContext
    return ListingsContext(MARKETPLACE)


def build_streamed(count):
    from mws_component.spapi.listings.feed import build_feed_for_items
    feed = build_feed_for_items("price", price_items(count), _context(), SELLER)
    feed.file.close()
    return feed.size, feed.content_md5


def build_held_whole(count):
    from mws_component.spapi.listings.feed import _encode, feed_header
    from mws_component.spapi.listings.mapping import map_items
    document = {"header": feed_header(SELLER),
                "messages": [m.feed_message(n) for n, m in enumerate(map_items("price", price_items(count),
                                                                               _context()), 1)]}
    data = _encode(document).encode()
    with tempfile.TemporaryFile() as out:
        out.write(data)
    return len(data), base64.b64encode(hashlib.md5(data).digest()).decode()


def build_and_upload(count):
    """Submit the items through the component's SP-API account to the sandbox named by BENCH_SPAPI_CFG."""
    import requests

    from mws_component.account import open_account
    from mws_component.credentials import credentials_from_cfg
    from mws_component.endpoint import Endpoints
    from mws_component.feeds import describe

    uploads = []        # (ETag, Content-Length) of each PUT the sandbox answered

    class Recording(requests.Session):
        def request(self, method, url, **kwargs):
            answer = super().request(method, url, **kwargs)
            if method == "PUT":
                uploads.append((answer.status_code, answer.headers.get("ETag"),
                                answer.request.headers.get("Content-Length")))
            return answer

    cfg = json.loads(os.environ["BENCH_SPAPI_CFG"])
    account = open_account(credentials_from_cfg(cfg), endpoints=Endpoints(session_factory=Recording))
    request = SimpleNamespace(kind=describe("price"), operation_type="Update", category=None,
                              items=price_items(count), marketplace_ids=())
    out = account.submit_feed(request)
    [(status, etag, length)] = [u for u in uploads if u[0] == 200]
    md5 = base64.b64encode(bytes.fromhex(etag.strip('"'))).decode()
    return int(length), md5, out, account


def _after_upload(result):
    """Not timed: the feed's status as the sandbox tells it."""
    _, _, out, account = result
    status = account.feed_status(out["feedSubmissionId"])
    return {"feedType": out["feedType"], "messageCount": out["messageCount"],
            "submitted": out["feedProcessingStatus"], "status": status.get("feedProcessingStatus")}


MODES = {"listings feed": build_streamed, "built and uploaded": build_and_upload, "held whole": build_held_whole}
UPLOAD = "built and uploaded"


def run_one(mode, count):
    """Runs in the child process; prints one JSON line."""
    import mws_component.spapi.listings.feed  # noqa: F401  (imports are not what is measured)
    import mws_component.spapi.listings.mapping  # noqa: F401
    if mode == UPLOAD:
        import requests  # noqa: F401
        import mws_component.account  # noqa: F401
        import mws_component.spapi.account  # noqa: F401
        import mws_component.spapi.feeds  # noqa: F401
    started, cpu_started = time.perf_counter(), time.process_time()
    result = MODES[mode](count)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = _after_upload(result) if mode == UPLOAD else {}
    print(json.dumps({"seconds": seconds, "cpu": cpu, "size": result[0], "md5": result[1],
                      "maxrss_mb": maxrss_mb, **extra}))


def measure(mode, count, spapi_cfg):
    command = [sys.executable, __file__, "--child", mode, "--messages", str(count)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "BENCH_SPAPI_CFG": json.dumps(spapi_cfg)}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"the {mode!r} run of {count:,} messages failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_sandbox():
    """A sandbox in its own process; (the process, its SP-API cfg read from the banner)."""
    command = [sys.executable, "-m", "mws_tools.cli", "sandbox", "--port", "0", "--no-quotas", "--orders", "10",
               "--seller-id", SELLER]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    # The banner: ... "SP-API (...) on the same port; credentials it accepts:" then an indented JSON object.
    for line in process.stdout:
        if line.startswith("SP-API") and line.rstrip().endswith("credentials it accepts:"):
            break
    else:
        process.wait()
        sys.exit(f"the sandbox did not start (exit status {process.returncode})")
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.rstrip() == "}":
            break
    cfg = json.loads("".join(lines))
    if cfg.get("sellerId") != SELLER or cfg.get("marketplaceId") != MARKETPLACE:
        stop_sandbox(process)
        sys.exit(f"the sandbox's SP-API seller and marketplace are not {SELLER} and {MARKETPLACE}")
    return process, cfg


def stop_sandbox(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per mode; the best is kept")
    parser.add_argument("--child", choices=sorted(MODES))
    args = parser.parse_args()
    if args.child:
        return run_one(args.child, args.messages)

    sandbox, spapi_cfg = start_sandbox()
    try:
        best, small = run_all(args, spapi_cfg)
    finally:
        stop_sandbox(sandbox)
    report(best, small, args.messages)


def run_all(args, spapi_cfg):
    small = max(1, args.messages // 10)
    print(f"JSON_LISTINGS_FEED of price updates, {args.messages:,} messages, best of {args.repeat} "
          "(each run in its own process; the sandbox in another)")
    best = {}
    for count in (small, args.messages):
        runs = {mode: [] for mode in MODES}
        for _ in range(args.repeat):
            for mode in MODES:          # in turn, so a busy moment does not favour one mode
                runs[mode].append(measure(mode, count, spapi_cfg))
        for mode in MODES:
            best[mode, count] = {"cpu": min(r["cpu"] for r in runs[mode]),
                                 "seconds": min(r["seconds"] for r in runs[mode]),
                                 "maxrss_mb": max(r["maxrss_mb"] for r in runs[mode]),
                                 "md5": runs[mode][0]["md5"], "size": runs[mode][0]["size"], "runs": runs[mode]}
            b = best[mode, count]
            print(f"  {mode:18} {count:>7,} messages  CPU {b['cpu']:6.2f} s  wall {b['seconds']:6.2f} s  "
                  f"peak RSS {b['maxrss_mb']:6.1f} MB  {b['size']:,} bytes")
    return best, small


def report(best, small, messages):
    ours, uploaded, whole = (best[mode, messages] for mode in ("listings feed", UPLOAD, "held whole"))
    same = ours["md5"] == whole["md5"]
    print(f"  same document built: {'yes' if same else 'NO'} (MD5 {ours['md5']}, {ours['size']:,} bytes)")
    for count in (small, messages):
        streamed = best["listings feed", count]
        received = [(r["md5"], r["size"]) for r in best[UPLOAD, count]["runs"]]
        ok = all(r == (streamed["md5"], streamed["size"]) for r in received)
        last = best[UPLOAD, count]["runs"][-1]
        print(f"  uploaded {count:>7,}: the sandbox received the streamed build's bytes: {'yes' if ok else 'NO'} "
              f"(ETag MD5 and Content-Length, {len(received)} runs); {last['feedType']}, messageCount "
              f"{last['messageCount']:,}, {last['submitted']}, then {last['status']}")
    print(f"  time ratio listings feed / held whole:      {ours['cpu'] / whole['cpu']:.2f} CPU, "
          f"{ours['seconds'] / whole['seconds']:.2f} wall")
    print(f"  time ratio built and uploaded / held whole: {uploaded['cpu'] / whole['cpu']:.2f} CPU, "
          f"{uploaded['seconds'] / whole['seconds']:.2f} wall")
    growth = {mode: best[mode, messages]["maxrss_mb"] - best[mode, small]["maxrss_mb"] for mode in MODES}
    print(f"  peak RSS growth from {small:,} to {messages:,} messages: "
          + ", ".join(f"{mode} {growth[mode]:+.1f} MB" for mode in MODES))
    for mode in ("listings feed", UPLOAD):
        peak = best[mode, messages]["maxrss_mb"]
        print(f"  peak memory goal < 100 MB, {mode}: {'met' if peak < 100 else 'NOT met'} ({peak:.1f} MB)")


if __name__ == "__main__":
    main()
