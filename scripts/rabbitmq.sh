#!/usr/bin/env bash
# A private RabbitMQ node for the runtime's tests and benchmark.
#
#   scripts/rabbitmq.sh install   apt-get install rabbitmq-server if it is missing
#   scripts/rabbitmq.sh start     start the private node (idempotent), wait until a client can connect
#   scripts/rabbitmq.sh stop      stop it (idempotent)
#   scripts/rabbitmq.sh status    exit 0 when the node answers AMQP
#   scripts/rabbitmq.sh uri       print the AMQP URI (start also prints it)
#
# The node listens on 127.0.0.1 only, on its own ports, with its own data and
# log directories, so it never touches a system broker. Overridable with
# MWS_RABBITMQ_NODENAME, MWS_RABBITMQ_PORT, MWS_RABBITMQ_DIST_PORT, MWS_RABBITMQ_DIR.
set -euo pipefail

NODE_NAME=${MWS_RABBITMQ_NODENAME:-mwsci@localhost}
NODE_PORT=${MWS_RABBITMQ_PORT:-5699}
DIST_PORT=${MWS_RABBITMQ_DIST_PORT:-25699}
# Under /tmp rather than the work tree: when started as root the node runs as
# the `rabbitmq` user, which must be able to reach its directories, and a
# clone's parent directories may not be traversable by it.
BASE_DIR=${MWS_RABBITMQ_DIR:-/tmp/mws-rabbitmq-$NODE_PORT}
URI="amqp://guest:guest@127.0.0.1:$NODE_PORT/"
START_TIMEOUT=${MWS_RABBITMQ_START_TIMEOUT:-90}

export RABBITMQ_NODENAME=$NODE_NAME
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$NODE_PORT
export RABBITMQ_DIST_PORT=$DIST_PORT
export RABBITMQ_MNESIA_BASE=$BASE_DIR/mnesia
export RABBITMQ_LOG_BASE=$BASE_DIR/log
export RABBITMQ_PID_FILE=$BASE_DIR/node.pid
export RABBITMQ_CONFIG_FILE=$BASE_DIR/rabbitmq
export RABBITMQ_ENABLED_PLUGINS_FILE=$BASE_DIR/enabled_plugins

log() { echo "rabbitmq.sh: $*" >&2; }

is_root() { [ "$(id -u)" = 0 ]; }

# True when the port answers the AMQP 0-9-1 protocol header with a
# connection.start frame (frame type 1): the broker has finished booting.
answers_amqp() {
    local reply
    { exec 3<>"/dev/tcp/127.0.0.1/$NODE_PORT"; } 2>/dev/null || return 1
    printf 'AMQP\x00\x00\x09\x01' >&3
    IFS= read -r -n1 -t 3 reply <&3 || true
    exec 3>&- 3<&- || true
    [ "$reply" = $'\x01' ]
}

# Debian's wrappers in /usr/sbin switch to the rabbitmq user when run as root;
# anyone else runs the scripts directly, as themselves.
rabbit_bin() {
    local name=$1
    shift
    if is_root || [ "$(id -un)" = rabbitmq ]; then
        "/usr/sbin/$name" "$@"
    else
        "/usr/lib/rabbitmq/bin/$name" "$@"
    fi
}

cmd_install() {
    if command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; then
        return 0
    fi
    local sudo=""
    is_root || sudo="sudo"
    log "installing rabbitmq-server"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends rabbitmq-server
}

prepare_dirs() {
    mkdir -p "$BASE_DIR/mnesia" "$BASE_DIR/log"
    chmod 0755 "$BASE_DIR"
    # No plugins: the node boots faster and opens no port but its own.
    [ -f "$BASE_DIR/enabled_plugins" ] || echo '[].' >"$BASE_DIR/enabled_plugins"
    cat >"$BASE_DIR/rabbitmq.conf" <<EOF
loopback_users.guest = true
log.file.level = warning
EOF
    if is_root; then
        chown -R rabbitmq:rabbitmq "$BASE_DIR"
    fi
}

cmd_start() {
    if answers_amqp; then
        echo "$URI"
        return 0
    fi
    [ -x /usr/sbin/rabbitmq-server ] || { log "rabbitmq-server is not installed (run: $0 install)"; exit 1; }
    prepare_dirs
    log "starting $NODE_NAME on 127.0.0.1:$NODE_PORT (data in $BASE_DIR)"
    # The Debian wrapper `cd`s to /var/lib/rabbitmq; run from a directory anyone can read.
    (cd / && rabbit_bin rabbitmq-server -detached) >"$BASE_DIR/start.out" 2>&1 || {
        log "rabbitmq-server -detached failed:"; cat "$BASE_DIR/start.out" >&2; exit 1; }
    local waited=0
    until answers_amqp; do
        if [ "$waited" -ge "$START_TIMEOUT" ]; then
            log "the node did not accept AMQP connections within ${START_TIMEOUT}s; its logs:"
            tail -n 40 "$BASE_DIR"/log/*.log >&2 2>/dev/null || true
            cat "$BASE_DIR/start.out" >&2 || true
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "$URI"
}

cmd_stop() {
    local pid=""
    [ -f "$RABBITMQ_PID_FILE" ] && pid=$(cat "$RABBITMQ_PID_FILE" 2>/dev/null || true)
    if ! answers_amqp && { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; }; then
        return 0
    fi
    local ctl=/usr/sbin/rabbitmqctl
    is_root || [ "$(id -un)" = rabbitmq ] || ctl=/usr/lib/rabbitmq/bin/rabbitmqctl
    (cd / && timeout 60 "$ctl" -n "$NODE_NAME" stop) >/dev/null 2>&1 || true
    # Fall back on the pid if the CLI could not reach the node.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$RABBITMQ_PID_FILE"
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) answers_amqp ;;
    uri) echo "$URI" ;;
    *) echo "usage: $0 install|start|stop|status|uri" >&2; exit 2 ;;
esac
