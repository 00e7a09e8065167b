#!/bin/sh
# The platform's sail.sh: the long-running message loop of one flow step.
set -e
exec mws-component sail "$@"
