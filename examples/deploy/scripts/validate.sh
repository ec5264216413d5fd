#!/bin/bash
# ValidateService: the health URL must answer with the version just installed.
app="$BUILDFARM_ROOT/opt/demo-app"
port=$(cat "$BUILDFARM_ROOT/etc/demo-app/port" 2>/dev/null || echo 8080)
version=$(cat "$app/lib/version.txt")
# A server can be told to refuse one version (tests and demos of rollback).
if [ "$(cat "$BUILDFARM_ROOT/etc/demo-app/refuse-version" 2>/dev/null)" = "$version" ]; then
  echo "this server refuses version $version" >&2
  exit 1
fi
for _ in $(seq 1 100); do
  if body=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null) && [ "$body" = "ok $version" ]; then
    echo "healthy: $body"
    exit 0
  fi
  sleep 0.1
done
echo "no healthy answer on port $port" >&2
exit 1
