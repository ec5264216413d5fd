#!/usr/bin/env bash
# Throwaway RabbitMQ (with the management API) on 127.0.0.1 for the integration tests; guest/guest.
#   start: prints `export BUILDFARM_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:PORT/` and
#          `export BUILDFARM_TEST_RABBITMQ_MANAGEMENT=http://127.0.0.1:PORT/` for the caller to eval
#   stop:  stops the node this script started and the epmd it left behind, by PID, and removes its dir
# Everything but the export lines goes to stderr, so `eval "$(rabbitmq.sh start)"` stays clean.
set -euo pipefail

readonly NAME=rabbitmq
readonly SBIN=/usr/lib/rabbitmq/bin
STATE_DIR=${BUILDFARM_SERVICES_DIR:-${TMPDIR:-/tmp}/buildfarm-services-$(id -u)}
readonly STATE_FILE=$STATE_DIR/$NAME.state

log() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() { log "$*"; exit 1; }

# Ports below the kernel's ephemeral range (32768+) so an outgoing connection can't be sitting on one.
free_port() {
    local port i
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + RANDOM % 12000))
        if port_is_free "$port"; then echo "$port"; return 0; fi
    done
    die "no free loopback port found after 200 tries"
}

port_is_free() {
    if command -v python3 >/dev/null 2>&1; then
        # A real bind is the only reliable test; a refused connect misses sockets in TIME_WAIT.
        python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.close()' "$1" 2>/dev/null
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

accepts_tcp() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The management API answers 200 to guest once the plugin has started; curl is not assumed.
management_answers() {
    local reply=""
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /api/overview HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Basic Z3Vlc3Q6Z3Vlc3Q=\r\n\r\n' >&3
    read -r -t 5 reply <&3 || true
    exec 3>&- 3<&-
    [[ $reply == "HTTP/1."?" 200"* ]]
}

# Every epmd whose environment carries this instance's marker. Each instance runs its own epmd on
# its own port, so stopping it can never take away the epmd of another node on this machine.
our_epmds() {
    local marker="BUILDFARM_RABBITMQ_DIR=$1" p
    for p in /proc/[0-9]*; do
        [[ $(cat "$p/comm" 2>/dev/null) == epmd ]] || continue
        if tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF -- "$marker"; then
            echo "${p#/proc/}"
        fi
    done
}

# The node's settings, shared by the server and by the CLI calls that must reach it.
node_env() {
    local dir=$1 node=$2 amqp=$3 dist=$4 epmd=$5
    export BUILDFARM_RABBITMQ_DIR=$dir
    export RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp
    export RABBITMQ_DIST_PORT=$dist ERL_EPMD_PORT=$epmd ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/rabbit.pid
    export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins RABBITMQ_CONFIG_FILE=$dir/rabbitmq
}

start() {
    [[ -x $SBIN/rabbitmq-server ]] || die "$SBIN/rabbitmq-server not found (apt-get install -y rabbitmq-server)"
    mkdir -p "$STATE_DIR"
    if [[ -f $STATE_FILE ]]; then
        die "already started (state in $STATE_FILE); run '$0 stop' first"
    fi

    local dir node amqp dist epmd mgmt pid beam="" deadline
    dir=$(mktemp -d -t buildfarm-rabbitmq.XXXXXX)
    node="bf$$@localhost"
    printf 'DIR=%q\nNODE=%q\n' "$dir" "$node" >"$STATE_FILE"
    amqp=$(free_port)
    dist=$(free_port)
    epmd=$(free_port)
    mgmt=$(free_port)
    [[ $(printf '%s\n' "$amqp" "$dist" "$epmd" "$mgmt" | sort -u | wc -l) == 4 ]] \
        || die "picked the same port twice ($amqp $dist $epmd $mgmt); run again"
    node_env "$dir" "$node" "$amqp" "$dist" "$epmd"

    mkdir -p "$dir/mnesia" "$dir/log"
    echo '[rabbitmq_management].' >"$dir/enabled_plugins"
    # consumer_timeout stays at the server default on purpose: tests must see what production sees.
    cat >"$dir/rabbitmq.conf" <<CONF
loopback_users = none
management.tcp.port = $mgmt
management.tcp.ip = 127.0.0.1
CONF
    chown -R rabbitmq:rabbitmq "$dir"

    # setsid gives the node its own session and process group (led by runuser, whose PID is $!),
    # so a Ctrl-C meant for the test run cannot kill it before `stop` does, and `stop` can signal
    # exactly this group if the node won't stop cleanly.
    (cd / && exec setsid runuser -u rabbitmq -- "$SBIN/rabbitmq-server") \
        </dev/null >"$dir/stdout.log" 2>&1 &
    pid=$!
    printf 'DIR=%q\nNODE=%q\nPGID=%q\nEPMD_PORT=%q\n' "$dir" "$node" "$pid" "$epmd" >"$STATE_FILE"

    # Cheap socket checks first; the CLI check starts an Erlang VM (~1 s), so it runs once they pass.
    deadline=$((SECONDS + 60))
    until accepts_tcp "$amqp" && management_answers "$mgmt" 2>/dev/null \
        && (cd / && runuser -u rabbitmq -- "$SBIN/rabbitmq-diagnostics" -q -n "$node" check_port_connectivity) >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$dir/stdout.log" >&2 2>/dev/null || true
            die "rabbitmq-server exited during start (log above; more in $dir/log)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 40 "$dir/stdout.log" >&2 2>/dev/null || true
            die "not ready on 127.0.0.1:$amqp (management $mgmt) after 60 s (log above)"
        fi
        sleep 0.5
    done
    [[ -s $dir/rabbit.pid ]] && beam=$(cat "$dir/rabbit.pid")
    printf 'DIR=%q\nNODE=%q\nPGID=%q\nBEAM=%q\nEPMD_PORT=%q\nEPMD=%q\n' \
        "$dir" "$node" "$pid" "$beam" "$epmd" "$(our_epmds "$dir" | xargs)" >"$STATE_FILE"
    log "ready on 127.0.0.1:$amqp, management 127.0.0.1:$mgmt (node $node, pid $beam, dir $dir)"
    echo "export BUILDFARM_TEST_RABBITMQ='amqp://guest:guest@127.0.0.1:$amqp/'"
    echo "export BUILDFARM_TEST_RABBITMQ_MANAGEMENT='http://127.0.0.1:$mgmt/'"
}

# Waits up to $2 seconds for PID $1 to exit.
wait_gone() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

stop() {
    [[ -f $STATE_FILE ]] || { log "not started (no $STATE_FILE)"; return 0; }
    local DIR="" NODE="" PGID="" BEAM="" EPMD_PORT="" EPMD="" p
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    [[ -z $BEAM && -n $DIR && -s $DIR/rabbit.pid ]] && BEAM=$(cat "$DIR/rabbit.pid")

    if [[ -n $BEAM ]] && kill -0 "$BEAM" 2>/dev/null; then
        # The VM treats SIGTERM as a clean `rabbitmqctl stop` (rabbit_prelaunch_sighandler), without
        # the seconds it takes to boot a CLI VM and reach the node through its epmd.
        kill -TERM "$BEAM" 2>/dev/null || true
        if ! wait_gone "$BEAM" 30; then
            log "pid $BEAM still running after 30 s; killing it"
            kill -KILL "$BEAM" 2>/dev/null || true
            wait_gone "$BEAM" 5 || log "pid $BEAM did not exit"
        fi
    fi
    # runuser and the rabbitmq-server shell exit with the VM; this catches a start that never got
    # as far as writing the pid file. The group is the one setsid made for this node alone.
    if [[ -n $PGID ]] && kill -0 -- "-$PGID" 2>/dev/null; then
        kill -TERM -- "-$PGID" 2>/dev/null || true
        wait_gone "$PGID" 15 || kill -KILL -- "-$PGID" 2>/dev/null || true
    fi
    # epmd daemonises out of the node's group and outlives it.
    for p in $EPMD $( [[ -n $DIR ]] && our_epmds "$DIR"); do
        kill -TERM "$p" 2>/dev/null || true
        wait_gone "$p" 5 || kill -KILL "$p" 2>/dev/null || true
    done
    [[ -n $DIR && -d $DIR ]] && rm -rf -- "$DIR"
    rm -f -- "$STATE_FILE"
    log "stopped"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
