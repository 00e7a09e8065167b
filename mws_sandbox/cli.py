"""`mws-component sandbox`: run the MWS sandbox until Ctrl-C or SIGTERM."""

import argparse
import json
import signal
import sys
import threading

from .faults import FaultConfig
from .sandbox import DEFAULT_ACCESS_KEY, DEFAULT_MAX_FEED_BYTES, DEFAULT_SECRET_KEY, DEFAULT_SELLER_ID, Sandbox


def build_parser():
    parser = argparse.ArgumentParser(prog="mws-component sandbox",
                                     description="Serve MWS-compatible Orders and Feeds APIs on loopback.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated orders")
    parser.add_argument("--orders", type=int, default=200, help="how many orders to generate")
    parser.add_argument("--time-scale", type=float, default=1.0, help="restore quotas this many times faster")
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret-key", default=None, help="default: the built-in sandbox secret")
    parser.add_argument("--seller-id", default=DEFAULT_SELLER_ID)
    parser.add_argument("--auth-token", default=None, help="require this MWSAuthToken (default: any)")
    parser.add_argument("--no-quotas", action="store_true", help="never throttle")
    parser.add_argument("--change-interval", type=float, default=None,
                        help="seconds between automatic order changes (default: none)")
    parser.add_argument("--feed-processing-seconds", type=float, default=30.0,
                        help="server time from SubmitFeed to _DONE_ (default 30)")
    parser.add_argument("--max-feed-bytes", type=int, default=DEFAULT_MAX_FEED_BYTES,
                        help="largest feed body accepted (default: Amazon's, just under 2 GiB)")
    parser.add_argument("--spapi-region", choices=("NA", "EU", "FE"), default=None,
                        help="the SP-API face's default region (default: the marketplace's; /eu, /na, /fe pick one)")
    parser.add_argument("--token-lifetime", type=float, default=3600,
                        help="seconds an LWA access token lives, in sandbox time (default 3600)")
    faults = parser.add_argument_group("fault injection (rates from 0 to 1, off by default)")
    faults.add_argument("--fault-throttle", type=float, default=0.0, help="answer 503 RequestThrottled")
    faults.add_argument("--fault-500", type=float, default=0.0, help="answer 500 InternalError")
    faults.add_argument("--fault-drop", type=float, default=0.0, help="close the connection unanswered")
    faults.add_argument("--fault-truncate", type=float, default=0.0, help="cut the body short")
    faults.add_argument("--fault-slow", type=float, default=0.0, help="answer late")
    faults.add_argument("--fault-slow-seconds", type=float, default=0.5, help="how late (default 0.5)")
    faults.add_argument("--fault-md5-mismatch", type=float, default=0.0,
                        help="GetFeedSubmissionResult with a wrong Content-MD5")
    faults.add_argument("--fault-seed", type=int, default=0, help="seed of the fault sequence")
    return parser


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def print_banner(sandbox, secret_given, token_given=False):
    credentials = sandbox.credentials
    # The caller chose the secret and the auth token and knows them; don't echo them to a terminal or CI log.
    if secret_given:
        credentials["secretAccessKey"] = "(as given by --secret-key)"
    if token_given:
        credentials["mwsAuthToken"] = "(as given by --auth-token)"
    where = ", ".join(f"{label}: {sandbox.url}{path}" for label, path in sandbox.router.entry_points().items())
    print(f"MWS sandbox listening on {sandbox.url}  ({where})")
    print("Credentials it accepts:")
    print(json.dumps(credentials, indent=2, ensure_ascii=False))
    print("Stop with Ctrl-C.")
    # After the MWS part, which scripts read up to "Stop with": SP-API beside MWS on the same port.
    print("SP-API (Orders 2026-01-01, Login with Amazon) on the same port; credentials it accepts:")
    print(json.dumps(sandbox.spapi_credentials, indent=2, ensure_ascii=False), flush=True)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        faults = FaultConfig(throttle=args.fault_throttle, error500=args.fault_500, drop=args.fault_drop,
                             slow=args.fault_slow, slow_seconds=args.fault_slow_seconds,
                             truncate=args.fault_truncate, md5_mismatch=args.fault_md5_mismatch,
                             seed=args.fault_seed)
        sandbox = Sandbox(seed=args.seed, orders=args.orders, time_scale=args.time_scale,
                          access_key=args.access_key, secret_key=args.secret_key or DEFAULT_SECRET_KEY,
                          seller_id=args.seller_id, auth_token=args.auth_token, faults=faults,
                          quotas=not args.no_quotas, change_interval=args.change_interval,
                          feed_processing_seconds=args.feed_processing_seconds,
                          max_feed_bytes=args.max_feed_bytes, host=args.host, port=args.port,
                          spapi_region=args.spapi_region, token_lifetime=args.token_lifetime)
        sandbox.start()
    except (ValueError, OSError) as error:
        print(f"mws-component sandbox: {error}", file=sys.stderr)
        return 2

    # Ctrl-C and SIGTERM both end the wait; the try starts before the banner, so a signal that
    # arrives as soon as the banner is read still stops the server cleanly.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        print_banner(sandbox, secret_given=bool(args.secret_key), token_given=bool(args.auth_token))
        sandbox.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sandbox.stop()
    print("MWS sandbox stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
