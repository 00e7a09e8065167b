"""Entry points of the platform's sail.sh and serve.sh: `mws-component sail` and `mws-component serve METHOD`."""

import logging
import os
import sys
import threading

from . import logs
from .settings import Settings, SettingsError, log_context_from_env


def sail_main(argv=None):
    """The message loop of one step; returns the exit code."""
    logger = logs.setup(context=log_context_from_env(os.environ))
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        logger.error(str(exc))
        print(str(exc), file=sys.stderr)
        return 1
    logs.SECRETS.add(settings.api_key)
    logs.SECRETS.add(settings.message_crypto_password)
    if settings.amqp_uri:
        logs.SECRETS.add(_password_of(settings.amqp_uri))
    from .sailor import Sailor
    code = Sailor(settings).run()
    busy = [t for t in threading.enumerate() if t.name.startswith("function") and t.is_alive()]
    if code != 0 and busy:
        # A function is still running in a worker thread after a fatal error: do
        # not wait for it; its message is redelivered to the next runner.
        logging.shutdown()
        os._exit(code)
    return code


def serve_main(argv=None):
    """One service call; argv[0] is the method. Returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logs.setup(context=log_context_from_env(os.environ))
    if not argv:
        logging.getLogger("mws_sailor.service").error("usage: serve verifyCredentials|getMetaModel|selectModel")
        return 2
    from .service import run_service
    return run_service(argv[0])


def _password_of(uri):
    from urllib.parse import unquote, urlsplit
    password = urlsplit(uri).password
    return unquote(password) if password else None
