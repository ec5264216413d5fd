#!/usr/bin/env bash
# Runs the whole test suite against real, throwaway services on 127.0.0.1:
#   scripts/test.sh [dotnet test args…]     e.g. scripts/test.sh --filter "FullyQualifiedName~Integration"
# Installs what is missing (PostgreSQL 15, RabbitMQ, Redis, Chromium via apt; s3rver via npm into scripts/.tools),
# starts the four services in parallel, exports their BUILDFARM_TEST_* variables, runs
# `dotnet test BuildFarm.sln`, and always stops the services again. Exits with dotnet test's code.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
readonly SERVICES=(rabbitmq postgres redis s3)
readonly S3RVER_VERSION=3.7.1

say() { printf 'test.sh: %s\n' "$*" >&2; }

command -v dotnet >/dev/null 2>&1 || {
    say "the .NET SDK (dotnet) is not installed or not on PATH; install the SDK named in global.json first"
    exit 1
}

# Runs a quiet install step; its output is shown only if it fails.
quietly() {
    local log rc=0
    log=$(mktemp)
    "$@" >"$log" 2>&1 || rc=$?
    ((rc == 0)) || { cat "$log" >&2; say "failed ($rc): $*"; }
    rm -f "$log"
    return "$rc"
}

install_missing() {
    local apt=()
    [[ -x /usr/lib/postgresql/15/bin/initdb ]] || apt+=(postgresql-15)
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || apt+=(rabbitmq-server)
    command -v redis-server >/dev/null 2>&1 || apt+=(redis-server)
    command -v npm >/dev/null 2>&1 || apt+=(nodejs npm)
    # The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download).
    [[ -x /usr/bin/chromium ]] || apt+=(chromium)
    if ((${#apt[@]})); then
        say "installing ${apt[*]} (apt)"
        quietly apt-get update -q
        # No server is started by the install on this machine (policy-rc.d), which is what we want.
        quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt[@]}"
    fi
    if [[ ! -f scripts/.tools/node_modules/s3rver/bin/s3rver.js ]]; then
        say "installing s3rver@$S3RVER_VERSION (npm, into scripts/.tools)"
        mkdir -p scripts/.tools
        quietly npm install --prefix scripts/.tools --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION"
    fi
}

# apt, and runuser for the servers that refuse to run as root, both need root.
((EUID == 0)) || { say "run as root: installs use apt-get and the servers are started with runuser"; exit 1; }
install_missing

created_services_dir=""
if [[ -z ${BUILDFARM_SERVICES_DIR:-} ]]; then
    BUILDFARM_SERVICES_DIR=$(mktemp -d -t buildfarm-services.XXXXXX)
    created_services_dir=$BUILDFARM_SERVICES_DIR
fi
export BUILDFARM_SERVICES_DIR

declare -A starting=()
dotnet_pid=""

cleanup() {
    local rc=$? s pids=()
    set +e
    trap - EXIT INT TERM
    if [[ -n $dotnet_pid ]] && kill -0 "$dotnet_pid" 2>/dev/null; then
        say "interrupted; stopping dotnet test (pid $dotnet_pid)"
        kill -TERM "$dotnet_pid"
        for _ in {1..100}; do kill -0 "$dotnet_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$dotnet_pid" 2>/dev/null
        wait "$dotnet_pid" 2>/dev/null
    fi
    # A start still in flight is bounded (60 s); waiting for it means its state file is complete,
    # so the stop below finds everything it started.
    for s in "${!starting[@]}"; do wait "${starting[$s]}" 2>/dev/null; done
    for s in "${SERVICES[@]}"; do
        "scripts/services/$s.sh" stop 2>>"$BUILDFARM_SERVICES_DIR/stop.log" &
        pids+=($!)
    done
    wait "${pids[@]}"
    grep -v ': stopped$\|: not started' "$BUILDFARM_SERVICES_DIR/stop.log" >&2 2>/dev/null
    [[ -n $created_services_dir ]] && rm -rf -- "$created_services_dir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# RabbitMQ takes ~10 s and the others ~1-2 s, so all four start together and we wait for each.
started_at=$SECONDS
for s in "${SERVICES[@]}"; do
    "scripts/services/$s.sh" start >"$BUILDFARM_SERVICES_DIR/$s.env" 2>"$BUILDFARM_SERVICES_DIR/$s.log" &
    starting[$s]=$!
done
failed=0
for s in "${SERVICES[@]}"; do
    if ! wait "${starting[$s]}"; then
        cat "$BUILDFARM_SERVICES_DIR/$s.log" >&2
        say "$s failed to start"
        failed=1
    fi
    unset "starting[$s]"
done
((failed == 0)) || exit 1
for s in "${SERVICES[@]}"; do
    # shellcheck disable=SC1090
    source "$BUILDFARM_SERVICES_DIR/$s.env"
done

echo "test.sh: services ready in $((SECONDS - started_at)) s:"
printf '  %-9s %s\n' \
    postgres "$BUILDFARM_TEST_POSTGRES" \
    rabbitmq "$BUILDFARM_TEST_RABBITMQ (management $BUILDFARM_TEST_RABBITMQ_MANAGEMENT)" \
    redis "$BUILDFARM_TEST_REDIS" \
    s3 "$BUILDFARM_TEST_S3"

# In the background and waited for, so a TERM or Ctrl-C reaches the trap at once instead of after
# the whole test run; cleanup then stops dotnet by its PID before the services go.
rc=0
dotnet test BuildFarm.sln "$@" &
dotnet_pid=$!
wait "$dotnet_pid" || rc=$?
dotnet_pid=""
exit "$rc"
