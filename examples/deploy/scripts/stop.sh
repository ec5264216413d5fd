#!/bin/bash
# ApplicationStop (run from the PREVIOUS revision): stop the service deploy.sh started.
pidfile="$BUILDFARM_ROOT/var/run/demo-app.pid"
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  echo "stopping demo-app (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
fi
