#!/usr/bin/env python3
"""Time and peak memory to build an inventory feed, beside lxml's incremental writer alone.

    python bench/bench_feed_build.py [--items 1000000] [--repeat 3]

"feed builder": mws_component.feeds.build_feed_file (checks every item, writes
the envelope into a spooled temporary file, computes the MD5).
"lxml alone": a hand-written etree.xmlfile loop writing the same document (the
same bytes: the MD5s are compared) into a temporary file, checking nothing.
Both consume the same lazily generated items. Each run is a fresh subprocess, so
its ru_maxrss is its own peak; tracemalloc (Python allocations) is measured in a
separate, smaller run because it slows everything down. The two modes run in
turn and the best run of each counts; the ratio uses CPU time, which other
processes on the machine disturb less than wall time (both are printed).
Goal: feed builder <= 1.5x lxml alone, peak memory under 100 MB.
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
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SELLER = "M_EXAMPLE_123456"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def inventory_items(count):
    """Lazily generated items, as a platform message would carry them."""
    for i in range(count):
        yield {"sku": f"SKU-{i:08d}", "quantity": i % 1000}


def build_with_feed_builder(count):
    from mws_component.feeds import build_feed_file
    feed = build_feed_file("inventory", inventory_items(count), SELLER)
    feed.file.close()
    return feed.size, feed.content_md5


def build_with_lxml_alone(count):
    from lxml import etree
    with tempfile.TemporaryFile() as out:
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            with xf.element("AmazonEnvelope", {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"},
                            nsmap={"xsi": XSI}):
                with xf.element("Header"):
                    with xf.element("DocumentVersion"):
                        xf.write("1.01")
                    with xf.element("MerchantIdentifier"):
                        xf.write(SELLER)
                with xf.element("MessageType"):
                    xf.write("Inventory")
                with xf.element("PurgeAndReplace"):
                    xf.write("false")
                for message_id, item in enumerate(inventory_items(count), 1):
                    with xf.element("Message"):
                        with xf.element("MessageID"):
                            xf.write(str(message_id))
                        with xf.element("OperationType"):
                            xf.write("Update")
                        with xf.element("Inventory"):
                            with xf.element("SKU"):
                                xf.write(item["sku"])
                            with xf.element("Quantity"):
                                xf.write(str(item["quantity"]))
        size = out.tell()
        out.seek(0)
        digest = hashlib.md5()
        for chunk in iter(lambda: out.read(1 << 20), b""):
            digest.update(chunk)
    return size, base64.b64encode(digest.digest()).decode()


def build_and_submit(count):
    """The feed builder, then SubmitFeed streaming the spooled file to the sandbox (another process)."""
    from mws_component.mws.client import MwsClient
    from mws_component.credentials import MwsCredentials as Credentials
    from mws_component.feeds import build_feed_file
    client = MwsClient(Credentials.from_cfg(json.loads(os.environ["BENCH_SANDBOX_CFG"])))
    feed = build_feed_file("inventory", inventory_items(count), SELLER)
    with feed.file:
        client.call("SubmitFeed", body=feed.file, content_type="text/xml", FeedType="_POST_INVENTORY_AVAILABILITY_DATA_",
                    ContentMD5Value=feed.content_md5)
    return feed.size, feed.content_md5


MODES = {"feed builder": build_with_feed_builder, "lxml alone": build_with_lxml_alone,
         "build + submit": build_and_submit}


def run_one(mode, count, trace):
    """Runs in the child process; prints one JSON line."""
    import lxml.etree  # noqa: F401  (imports are not what is measured)
    import mws_component.mws.client  # noqa: F401
    import mws_component.feeds  # noqa: F401
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    size, md5 = MODES[mode](count)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    result = {"seconds": seconds, "cpu": cpu, "size": size, "md5": md5,
              "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if trace:
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
    print(json.dumps(result))


def measure(mode, count, trace=False):
    command = [sys.executable, __file__, "--child", mode, "--items", str(count)] + (["--trace"] if trace else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"}).stdout
    return json.loads(output.strip().splitlines()[-1])


class SandboxProcess:
    """The MWS sandbox in its own process, so its memory is not counted as the client's."""

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, "-m", "mws_tools.cli", "sandbox", "--port", "0", "--orders", "5",
                                         "--no-quotas", "--feed-processing-seconds", "86400"],
                                        stdout=subprocess.PIPE, text=True, cwd=REPO)
        lines = []
        while not lines or lines[-1].strip() != "}":
            lines.append(self.process.stdout.readline())
        cfg = json.loads("".join(lines[lines.index("Credentials it accepts:\n") + 1:]))
        os.environ["BENCH_SANDBOX_CFG"] = json.dumps(cfg)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per mode; the best is kept")
    parser.add_argument("--trace-items", type=int, default=100_000, help="items for the tracemalloc run")
    parser.add_argument("--child", choices=sorted(MODES))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        return run_one(args.child, args.items, args.trace)

    print(f"inventory feed, {args.items:,} items, best of {args.repeat} (each run in its own process)")
    runs = {mode: [] for mode in MODES}
    with SandboxProcess():
        for _ in range(args.repeat):
            for mode in MODES:          # in turn, so a busy moment does not favour one mode
                runs[mode].append(measure(mode, args.items))
    best = {}
    for mode in MODES:
        best[mode] = {"cpu": min(r["cpu"] for r in runs[mode]), "seconds": min(r["seconds"] for r in runs[mode]),
                      "maxrss_mb": max(r["maxrss_mb"] for r in runs[mode]),
                      "md5": runs[mode][0]["md5"], "size": runs[mode][0]["size"]}
        with SandboxProcess():
            traced = measure(mode, args.trace_items, trace=True)
        print(f"  {mode:13} CPU {best[mode]['cpu']:6.2f} s  wall {best[mode]['seconds']:6.2f} s  "
              f"peak RSS {best[mode]['maxrss_mb']:5.1f} MB  "
              f"tracemalloc peak {traced['traced_peak_mb']:4.1f} MB ({args.trace_items:,} items)  "
              f"{best[mode]['size']:,} bytes")
    ours, alone, sent = best["feed builder"], best["lxml alone"], best["build + submit"]
    print(f"  same document: {'yes' if ours['md5'] == alone['md5'] == sent['md5'] else 'NO'} (MD5 {ours['md5']})")
    print(f"  time ratio feed builder / lxml alone: {ours['cpu'] / alone['cpu']:.2f} CPU, "
          f"{ours['seconds'] / alone['seconds']:.2f} wall (goal <= 1.5)")
    print(f"  build + submit to the sandbox / lxml alone: {sent['seconds'] / alone['seconds']:.2f} wall, "
          f"{sent['cpu'] / alone['cpu']:.2f} CPU of the client process")
    peak = max(ours["maxrss_mb"], sent["maxrss_mb"])
    print(f"  peak memory goal < 100 MB: {'met' if peak < 100 else 'NOT met'} ({peak:.1f} MB)")

if __name__ == "__main__":
    main()
