"""`mws-component`: run a function, the demo, the sandbox, or the platform runtime."""

import argparse
import logging
import os
import sys
import time

STARTED = time.monotonic()  # the demo reports the time from here


def main(argv=None):
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # `mws-component run ... | head`: the reader has gone; stop quietly, as other commands do.
        # stdout is pointed at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv):
    if argv and argv[0] == "sandbox":
        from mws_sandbox.cli import main as sandbox_main
        return sandbox_main(argv[1:])
    if argv and argv[0] == "sail":
        from mws_sailor.cli import sail_main
        return sail_main(argv[1:])
    if argv and argv[0] == "serve":
        from mws_sailor.cli import serve_main
        return serve_main(argv[1:])

    parser = argparse.ArgumentParser(prog="mws-component", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one trigger or action as the platform would; events as JSON lines")
    run.add_argument("function", help="a key of component.json's triggers or actions, e.g. listOrders, "
                                      "or verifyCredentials")
    run.add_argument("--cfg", required=True, help="JSON file: credential fields merged with the step's fields")
    run.add_argument("--msg", help="JSON file: the incoming message ({\"body\": {...}})")
    run.add_argument("--snapshot", help="JSON file: the snapshot a previous run emitted, either the snapshot "
                                        "itself or its whole {\"event\": \"snapshot\", \"snapshot\": {...}} line")
    demo = sub.add_parser("demo", help="run the main jobs against an embedded sandbox and summarise")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--orders", type=int, default=60)
    sub.add_parser("sandbox", help="start the MWS sandbox server (see `mws-component sandbox --help`)")
    sub.add_parser("sail", help="the platform message loop (sail.sh); see `mws-component sail --help`")
    sub.add_parser("serve", help="a platform service call (serve.sh): verifyCredentials|getMetaModel|selectModel; "
                                 "see `mws-component serve --help`")
    args = parser.parse_args(argv)

    logging.basicConfig(stream=sys.stderr, level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        from .runner import main as run_main
        return run_main(args)
    if args.command == "demo":
        from .demo import main as demo_main
        args.started = STARTED
        return demo_main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
