#!/usr/bin/env bash
# Throwaway Redis on 127.0.0.1 for the integration tests, nothing persisted.
#   start: prints `export BUILDFARM_TEST_REDIS=127.0.0.1:PORT` for the caller to eval
#   stop:  stops the server this script started (by the PID in its state file) and removes its dir
# Everything but the export lines goes to stderr, so `eval "$(redis.sh start)"` stays clean.
set -euo pipefail

readonly NAME=redis
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

# PING over bash's /dev/tcp, so readiness needs no redis-cli.
answers_ping() {
    local reply=""
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 || true
    exec 3>&- 3<&-
    [[ $reply == "+PONG"* ]]
}

start() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found (apt-get install -y redis-server)"
    mkdir -p "$STATE_DIR"
    if [[ -f $STATE_FILE ]]; then
        die "already started (state in $STATE_FILE); run '$0 stop' first"
    fi

    local dir port pid deadline
    dir=$(mktemp -d -t buildfarm-redis.XXXXXX)
    printf 'DIR=%q\n' "$dir" >"$STATE_FILE"
    port=$(free_port)
    # setsid: the server gets its own session, so a Ctrl-C meant for the test run cannot kill it
    # before `stop` does. Without job control the child is no group leader, so setsid execs in
    # place and $! is redis-server's own PID.
    setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$dir" --logfile "$dir/redis.log" </dev/null >"$dir/stdout.log" 2>&1 &
    pid=$!
    printf 'DIR=%q\nPID=%q\nPORT=%q\n' "$dir" "$pid" "$port" >"$STATE_FILE"

    deadline=$((SECONDS + 60))
    until answers_ping "$port" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$dir/redis.log" "$dir/stdout.log" >&2 2>/dev/null || true
            die "redis-server exited during start (log above)"
        fi
        if ((SECONDS >= deadline)); then
            cat "$dir/redis.log" >&2 2>/dev/null || true
            die "not ready on 127.0.0.1:$port after 60 s (log above)"
        fi
        sleep 0.1
    done
    log "ready on 127.0.0.1:$port (pid $pid, dir $dir)"
    echo "export BUILDFARM_TEST_REDIS='127.0.0.1:$port'"
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
    local DIR="" PID=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        if ! wait_gone "$PID" 15; then
            log "pid $PID still running after 15 s; killing it"
            kill -KILL "$PID" 2>/dev/null || true
            wait_gone "$PID" 5 || log "pid $PID did not exit"
        fi
    fi
    [[ -n $DIR && -d $DIR ]] && rm -rf -- "$DIR"
    rm -f -- "$STATE_FILE"
    log "stopped"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
