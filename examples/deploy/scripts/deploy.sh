#!/bin/bash
# ApplicationStart: serve the installed build on the port this server is configured with.
# BUILDFARM_ROOT is empty on a real server; with `buildfarm agent --root DIR` it is DIR.
set -euo pipefail
app="$BUILDFARM_ROOT/opt/demo-app"
port=$(cat "$BUILDFARM_ROOT/etc/demo-app/port" 2>/dev/null || echo 8080)
mkdir -p "$app/www" "$BUILDFARM_ROOT/var/run"
cp "$app/lib/"* "$app/www/"
echo "ok $(cat "$app/lib/version.txt")" > "$app/www/health"
nohup python3 -m http.server "$port" --bind 127.0.0.1 --directory "$app/www" > "$BUILDFARM_ROOT/var/run/demo-app.log" 2>&1 &
echo $! > "$BUILDFARM_ROOT/var/run/demo-app.pid"
echo "demo-app $(cat "$app/lib/version.txt") started on 127.0.0.1:$port (pid $!)"
