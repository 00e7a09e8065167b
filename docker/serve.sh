#!/bin/sh
# The platform's serve.sh: one service call (verifyCredentials | getMetaModel | selectModel).
set -e
exec mws-component serve "$@"
