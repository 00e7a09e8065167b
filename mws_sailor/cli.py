"""Entry points of the platform's sail.sh and serve.sh: `mws-component sail` and `mws-component serve METHOD`.

Both are configured by environment variables, as the platform starts them;
`--help` lists the variables each reads, with a local example.
"""

import argparse
import os
import sys

from . import logs
from .settings import (BOOLEAN_DEFAULTS, INTEGER_DEFAULTS, PREFIX, REQUIRED_ALWAYS, REQUIRED_FOR_MESSAGES,
                       Settings, SettingsError, log_context_from_env)

_REQUIRED_MEANINGS = {
    "FLOW_ID": "the flow (task) id", "EXEC_ID": "the execution id", "STEP_ID": "the step id in the flow",
    "CONTAINER_ID": "the container id", "WORKSPACE_ID": "the workspace id", "USER_ID": "the user id",
    "COMP_ID": "the component id",
    "FUNCTION": "the trigger or action to run: a key of component.json's triggers or actions",
    "API_URI": "the platform API, read for the step's config and snapshot: GET {API_URI}/v1/tasks/{flow}/steps/{step}",
    "API_USERNAME": "Basic auth user of the platform API", "API_KEY": "Basic auth password of the platform API",
    "AMQP_URI": "the broker, amqp://user:password@host:port/vhost",
    "LISTEN_MESSAGES_ON": "the queue the step consumes",
    "PUBLISH_MESSAGES_TO": "the exchange the step publishes to",
    "DATA_ROUTING_KEY": "routing key of data messages", "ERROR_ROUTING_KEY": "routing key of errors",
    "REBOUND_ROUTING_KEY": "routing key of rebounds", "SNAPSHOT_ROUTING_KEY": "routing key of snapshots",
    "MESSAGE_CRYPTO_IV": "the 16-character IV of message encryption",
    "MESSAGE_CRYPTO_PASSWORD": "the password of message encryption",
}

SAIL_EPILOG = """\
Required (a missing one stops the runtime, naming it):
{required}

Optional, with their defaults (integers: 0 or not a number means the default):
{optional}
  {p}COMPONENT_PATH = the working directory: where component.json is
  {p}FLOW_TYPE: "debug" while the platform fetches a sample
  {p}ADDITIONAL_VARS_FOR_HEADERS: names of variables copied into every outgoing message's headers
  {p}HOOK_SHUTDOWN: run the function's shutdown hook and exit (needs only the first group above)
  MWS_SAILOR_LEDGER_DIR = $TMPDIR/mws-sailor-ledger/FLOW/STEP: the crash-safety ledger, shared by the
    step's runners on one machine
  LOG_LEVEL = info: trace, debug, info, warn, error

Local example: a private RabbitMQ, a stand-in of the platform API serving the step's config,
the queues, one message in and its outputs printed (testkit/step.py sets every variable above):
  bash scripts/rabbitmq.sh start
  .venv/bin/python -m testkit.step getOrder --cfg cfg.json --msg msg.json
"""

SERVE_EPILOG = """\
Variables:
  {p}POST_RESULT_URL   required: where the result is POSTed, {{"status": "success", "data": ...}} or
                              {{"status": "error", "data": {{"message": ...}}}}; user:password@ in it is sent as
                              Basic auth. "-" prints the result on stdout instead (this runtime's own,
                              for local use)
  {p}CFG               required: the credentials and step fields, a JSON object
  {p}COMPONENT_PATH    where component.json is (default: the working directory)
  {p}ACTION_OR_TRIGGER getMetaModel and selectModel: the function, a key of component.json
  {p}GET_MODEL_METHOD  selectModel: the function's select-model method, e.g. getMarketplaces
  LOG_LEVEL                   info by default

Local examples:
  ELASTICIO_CFG="$(cat cfg.json)" ELASTICIO_POST_RESULT_URL=- .venv/bin/mws-component serve verifyCredentials
  ELASTICIO_CFG='{{}}' ELASTICIO_ACTION_OR_TRIGGER=listOrders ELASTICIO_GET_MODEL_METHOD=getMarketplaces \\
    ELASTICIO_POST_RESULT_URL=- .venv/bin/mws-component serve selectModel
"""


def sail_parser():
    required = "\n".join(f"  {PREFIX}{name}: {_REQUIRED_MEANINGS[name]}"
                         for name in REQUIRED_ALWAYS + REQUIRED_FOR_MESSAGES)
    optional = "\n".join(f"  {PREFIX}{name} = {_default_text(default)}"
                         for name, default in {**INTEGER_DEFAULTS, **BOOLEAN_DEFAULTS}.items())
    return argparse.ArgumentParser(
        prog="mws-component sail", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The message loop of one flow step (the platform's sail.sh): consumes the step's queue, "
                    "runs the function on each message, publishes its events, acks or rejects the input. "
                    "Runs until SIGTERM.",
        epilog=SAIL_EPILOG.format(required=required, optional=optional, p=PREFIX))


def serve_parser():
    parser = argparse.ArgumentParser(
        prog="mws-component serve", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="One service call of the platform (serve.sh): runs METHOD and posts its result.",
        epilog=SERVE_EPILOG.format(p=PREFIX))
    parser.add_argument("method", metavar="METHOD", help="verifyCredentials | getMetaModel | selectModel")
    return parser


def _default_text(default):
    if isinstance(default, bool):
        return str(default).lower()
    return "no limit" if default == float("inf") else str(default)


def sail_main(argv=None):
    """The message loop of one step; returns the exit code."""
    sail_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    logger = logs.setup(context=log_context_from_env(os.environ))
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        logger.error(str(exc))
        print(f"mws-component sail: {exc} (see mws-component sail --help)", file=sys.stderr)
        return 1
    logs.SECRETS.add(settings.api_key)
    logs.SECRETS.add(settings.message_crypto_password)
    if settings.amqp_uri:
        logs.SECRETS.add(_password_of(settings.amqp_uri))
    from .sailor import Sailor
    return Sailor(settings).run()


def serve_main(argv=None):
    """One service call; argv[0] is the method. Returns the exit code."""
    args = serve_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    printed = os.environ.get(PREFIX + "POST_RESULT_URL") == "-"  # the result alone on stdout, logs on stderr
    logs.setup(context=log_context_from_env(os.environ), stream=sys.stderr if printed else None)
    from .service import run_service
    return run_service(args.method)


def _password_of(uri):
    from urllib.parse import unquote, urlsplit
    password = urlsplit(uri).password
    return unquote(password) if password else None
