#!/usr/bin/env bash
# Throwaway S3 (s3rver 3.7.1 on Node.js) on 127.0.0.1 for the integration tests; keys S3RVER/S3RVER.
#   start: prints `export BUILDFARM_TEST_S3=http://127.0.0.1:PORT` for the caller to eval
#   stop:  stops the server this script started (by node's PID in its state file) and removes its dir
# s3rver is installed by scripts/test.sh into scripts/.tools (npm install --prefix scripts/.tools s3rver@3.7.1).
# Everything but the export lines goes to stderr, so `eval "$(s3.sh start)"` stays clean.
set -euo pipefail

readonly NAME=s3
STATE_DIR=${BUILDFARM_SERVICES_DIR:-${TMPDIR:-/tmp}/buildfarm-services-$(id -u)}
readonly STATE_FILE=$STATE_DIR/$NAME.state
TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools
readonly S3RVER_JS=$TOOLS_DIR/node_modules/s3rver/bin/s3rver.js

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

# Any HTTP status line will do: it proves s3rver's server is listening and answering.
answers_http() {
    local reply=""
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r -t 2 reply <&3 || true
    exec 3>&- 3<&-
    [[ $reply == HTTP/* ]]
}

start() {
    command -v node >/dev/null 2>&1 || die "node not found (apt-get install -y nodejs npm)"
    [[ -f $S3RVER_JS ]] || die "$S3RVER_JS not found (npm install --prefix scripts/.tools s3rver@3.7.1)"
    mkdir -p "$STATE_DIR"
    if [[ -f $STATE_FILE ]]; then
        die "already started (state in $STATE_FILE); run '$0 stop' first"
    fi

    local dir port pid deadline
    dir=$(mktemp -d -t buildfarm-s3.XXXXXX)
    printf 'DIR=%q\n' "$dir" >"$STATE_FILE"
    mkdir "$dir/data"
    port=$(free_port)
    # node runs the script itself (not the .bin shim or npx) and setsid execs in place (no job
    # control, so the child is no group leader): $! is node's own PID, which is what `stop` kills.
    # setsid also keeps a Ctrl-C meant for the test run from killing the server before `stop` does.
    setsid node "$S3RVER_JS" -d "$dir/data" -a 127.0.0.1 -p "$port" --silent \
        </dev/null >"$dir/s3rver.log" 2>&1 &
    pid=$!
    printf 'DIR=%q\nPID=%q\nPORT=%q\n' "$dir" "$pid" "$port" >"$STATE_FILE"

    deadline=$((SECONDS + 60))
    until answers_http "$port" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$dir/s3rver.log" >&2 2>/dev/null || true
            die "s3rver exited during start (log above)"
        fi
        if ((SECONDS >= deadline)); then
            cat "$dir/s3rver.log" >&2 2>/dev/null || true
            die "not ready on 127.0.0.1:$port after 60 s (log above)"
        fi
        sleep 0.1
    done
    log "ready on 127.0.0.1:$port (pid $pid, dir $dir)"
    echo "export BUILDFARM_TEST_S3='http://127.0.0.1:$port'"
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
