#!/usr/bin/env python3
"""Time and peak memory to build a JSON_LISTINGS_FEED, beside json.dumps of the same document held whole.

    python bench/bench_listings_feed.py [--messages 25000] [--repeat 3]

"listings feed": mws_component.spapi.listings.feed.build_feed_for_items on price items (each mapped
to a PATCH of purchasable_offer with a standard price, a sale and a business offer), streamed into a
spooled temporary file one message at a time.
"held whole": the same items mapped into a list of messages, the whole document json.dumps'd into one
string and written to a temporary file (the same bytes: the MD5s are compared).
Both consume the same lazily generated items. Each run is a fresh subprocess, so its ru_maxrss is its
own peak; a run with a tenth of the messages shows whether memory stays flat. The modes run in turn
and the best run of each counts. Goal: peak memory flat and under 100 MB.
The upload to the sandbox is not measured yet (its Feeds face is another branch).
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


MODES = {"listings feed": build_streamed, "held whole": build_held_whole}


def run_one(mode, count):
    """Runs in the child process; prints one JSON line."""
    import mws_component.spapi.listings.feed  # noqa: F401  (imports are not what is measured)
    import mws_component.spapi.listings.mapping  # noqa: F401
    started, cpu_started = time.perf_counter(), time.process_time()
    size, md5 = MODES[mode](count)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu": cpu, "size": size, "md5": md5,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(mode, count):
    command = [sys.executable, __file__, "--child", mode, "--messages", str(count)]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per mode; the best is kept")
    parser.add_argument("--child", choices=sorted(MODES))
    args = parser.parse_args()
    if args.child:
        return run_one(args.child, args.messages)

    small = max(1, args.messages // 10)
    print(f"JSON_LISTINGS_FEED of price updates, {args.messages:,} messages, best of {args.repeat} "
          "(each run in its own process)")
    best = {}
    for count in (small, args.messages):
        runs = {mode: [] for mode in MODES}
        for _ in range(args.repeat):
            for mode in MODES:          # in turn, so a busy moment does not favour one mode
                runs[mode].append(measure(mode, count))
        for mode in MODES:
            best[mode, count] = {"cpu": min(r["cpu"] for r in runs[mode]),
                                 "seconds": min(r["seconds"] for r in runs[mode]),
                                 "maxrss_mb": max(r["maxrss_mb"] for r in runs[mode]),
                                 "md5": runs[mode][0]["md5"], "size": runs[mode][0]["size"]}
            b = best[mode, count]
            print(f"  {mode:13} {count:>7,} messages  CPU {b['cpu']:6.2f} s  wall {b['seconds']:6.2f} s  "
                  f"peak RSS {b['maxrss_mb']:6.1f} MB  {b['size']:,} bytes")
    ours, whole = best["listings feed", args.messages], best["held whole", args.messages]
    print(f"  same document: {'yes' if ours['md5'] == whole['md5'] else 'NO'} (MD5 {ours['md5']})")
    print(f"  time ratio listings feed / held whole: {ours['cpu'] / whole['cpu']:.2f} CPU, "
          f"{ours['seconds'] / whole['seconds']:.2f} wall")
    growth = ours["maxrss_mb"] - best["listings feed", small]["maxrss_mb"]
    whole_growth = whole["maxrss_mb"] - best["held whole", small]["maxrss_mb"]
    print(f"  peak RSS growth from {small:,} to {args.messages:,} messages: listings feed {growth:+.1f} MB, "
          f"held whole {whole_growth:+.1f} MB")
    print(f"  peak memory goal < 100 MB: {'met' if ours['maxrss_mb'] < 100 else 'NOT met'} "
          f"({ours['maxrss_mb']:.1f} MB)")


if __name__ == "__main__":
    main()
