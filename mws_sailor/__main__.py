"""`python -m mws_sailor sail` / `python -m mws_sailor serve METHOD`, without the console script."""

import sys

from .cli import sail_main, serve_main


def main(argv):
    if argv and argv[0] == "sail":
        return sail_main(argv[1:])
    if argv and argv[0] == "serve":
        return serve_main(argv[1:])
    print("usage: python -m mws_sailor sail | serve verifyCredentials|getMetaModel|selectModel", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
