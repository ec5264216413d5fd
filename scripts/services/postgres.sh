#!/usr/bin/env bash
# Throwaway PostgreSQL 15 on 127.0.0.1 for the integration tests.
#   start: prints `export BUILDFARM_TEST_POSTGRES=…` for the caller to eval
#   stop:  stops the server this script started (by the PID in its state file) and removes its dir
# Everything but the export lines goes to stderr, so `eval "$(postgres.sh start)"` stays clean.
set -euo pipefail

readonly NAME=postgres
readonly BIN=/usr/lib/postgresql/15/bin
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

start() {
    [[ -x $BIN/initdb ]] || die "$BIN/initdb not found (apt-get install -y postgresql-15)"
    mkdir -p "$STATE_DIR"
    if [[ -f $STATE_FILE ]]; then
        die "already started (state in $STATE_FILE); run '$0 stop' first"
    fi

    local dir port pid deadline
    dir=$(mktemp -d -t buildfarm-postgres.XXXXXX)
    # The state file exists from here on, so `stop` can clean up even after a failed start.
    printf 'DIR=%q\n' "$dir" >"$STATE_FILE"
    # The server refuses to run as root, so the postgres user must own the dir (mktemp makes it 0700).
    chown postgres:postgres "$dir"

    (cd / && runuser -u postgres -- "$BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C -N) \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    port=$(free_port)
    # fsync off and friends: the data is thrown away, so durability only costs test time.
    # Many test classes each hold a pool to their own database, hence the raised max_connections.
    local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    opts+=" -c full_page_writes=off -c max_connections=500"
    (cd / && runuser -u postgres -- "$BIN/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -W start) \
        >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null || true; die "pg_ctl start failed"; }

    deadline=$((SECONDS + 60))
    until "$BIN/pg_isready" -h 127.0.0.1 -p "$port" -q; do
        if ((SECONDS >= deadline)); then
            cat "$dir/server.log" >&2 2>/dev/null || true
            die "not ready on 127.0.0.1:$port after 60 s (log above)"
        fi
        sleep 0.1
    done
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    printf 'DIR=%q\nPID=%q\nPORT=%q\n' "$dir" "$pid" "$port" >"$STATE_FILE"
    log "ready on 127.0.0.1:$port (pid $pid, dir $dir)"
    echo "export BUILDFARM_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true'"
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
    # A start interrupted between pg_ctl and the state update leaves the PID only in the data dir.
    if [[ -z $PID && -n $DIR && -f $DIR/data/postmaster.pid ]]; then
        PID=$(head -n 1 "$DIR/data/postmaster.pid")
    fi
    if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
        # SIGINT is the postmaster's "fast" shutdown: disconnect clients, no waiting on them.
        kill -INT "$PID" 2>/dev/null || true
        if ! wait_gone "$PID" 30; then
            log "pid $PID still running after 30 s; killing it"
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
