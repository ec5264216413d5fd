#!/usr/bin/env bash
# Runs a benchmark against real, throwaway services on 127.0.0.1 and prints its figures:
#   scripts/bench.sh latency [embedded|distributed|both] [--runs N]
#   scripts/bench.sh cache [redis|s3|both] [--mb N]   the dependency cache on Redis and/or S3 (starts those two instead)
#   scripts/bench.sh load [--runs N] [--workers N] [--coordinators N] [--warmup N]   per-process CPU and peak RSS
#   scripts/bench.sh pipeline [embedded|distributed|both] [--runs N]   push → deployed (the seed's flow)
# Starts PostgreSQL and RabbitMQ (like test.sh; run scripts/test.sh once first to install them),
# runs `dotnet run -c Release --project bench -- ARGS`, and always stops the services again.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
if [[ ${1:-} == cache ]]; then
    readonly SERVICES=(redis s3)
else
    readonly SERVICES=(rabbitmq postgres)
fi

BUILDFARM_SERVICES_DIR=$(mktemp -d -t buildfarm-bench.XXXXXX)
export BUILDFARM_SERVICES_DIR
cleanup() {
    local rc=$? s
    set +e
    for s in "${SERVICES[@]}"; do "scripts/services/$s.sh" stop >/dev/null 2>&1 & done
    wait
    rm -rf -- "$BUILDFARM_SERVICES_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A starting=()
for s in "${SERVICES[@]}"; do
    "scripts/services/$s.sh" start >"$BUILDFARM_SERVICES_DIR/$s.env" 2>"$BUILDFARM_SERVICES_DIR/$s.log" &
    starting[$s]=$!
done
for s in "${SERVICES[@]}"; do
    wait "${starting[$s]}" || { cat "$BUILDFARM_SERVICES_DIR/$s.log" >&2; echo "bench.sh: $s failed to start" >&2; exit 1; }
    # shellcheck disable=SC1090
    source "$BUILDFARM_SERVICES_DIR/$s.env"
done

dotnet run -c Release --project bench -- "$@"
