#!/usr/bin/env bash
# The README's demo: build wacrm, start wacrmd from the build tree on its own
# embedded PostgreSQL, and show wacrmctl talking to it.
#   scripts/demo.sh          set up, start (or reuse) the demo daemon, run a few commands
#   scripts/demo.sh --stop   stop the demo daemon
# Everything lives in build/demo/ (state, embedded database, socket, log).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build_dir=${WACRM_BUILD_DIR:-build}
demo_dir="$repo/$build_dir/demo"
socket="$demo_dir/wacrmd.sock"
pid_file="$demo_dir/wacrmd.pid"
log_file="$demo_dir/wacrmd.log"

demo_running() { [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

if [[ "${1:-}" == "--stop" ]]; then
  if demo_running; then
    pid=$(cat "$pid_file")
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    echo "demo wacrmd stopped"
  else
    echo "demo wacrmd is not running"
  fi
  rm -f "$pid_file"
  exit 0
fi

scripts/install-deps.sh
scripts/build.sh
wacrmd="$repo/$build_dir/daemon/wacrmd"
wacrmctl="$repo/$build_dir/ctl/wacrmctl"

mkdir -p "$demo_dir"
# When run as root the embedded PostgreSQL runs unprivileged and must reach its directory.
chmod 0755 "$demo_dir"
if demo_running; then
  echo "demo wacrmd already running (pid $(cat "$pid_file"))"
else
  echo "starting wacrmd (embedded PostgreSQL in $demo_dir/state, log in $log_file)"
  # --config "": ignore any /etc/wacrm/wacrmd.conf; everything the demo needs is here.
  nohup "$wacrmd" --config "" \
    --state-dir "$demo_dir/state" \
    --control.socket "$socket" \
    --migrations-dir "$repo/migrations" \
    >"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  # The socket appears once the database is migrated and wacrmd listens.
  for _ in $(seq 1 120); do
    [[ -S "$socket" ]] && break
    if ! demo_running; then echo "wacrmd exited; its log:" >&2; cat "$log_file" >&2; exit 1; fi
    sleep 1
  done
  [[ -S "$socket" ]] || { echo "wacrmd did not start within 120s; log: $log_file" >&2; exit 1; }
fi

ctl() { echo "\$ wacrmctl $*"; "$wacrmctl" --socket "$socket" "$@"; echo; }
ctl status
"$wacrmctl" --socket "$socket" account list | grep -q '^demo ' || ctl account add demo
ctl account list

cat <<EOT
wacrmd is running (pid $(cat "$pid_file")). Talk to it with:
  $build_dir/ctl/wacrmctl --socket $socket status
  export WACRM_SOCKET=$socket; $build_dir/ctl/wacrmctl --help
Its log: $log_file
Stop it with: scripts/demo.sh --stop
EOT
