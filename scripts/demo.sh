#!/usr/bin/env bash
# The README's demo: wacrmd on its own embedded PostgreSQL, linked to wasim (the
# local WhatsApp-compatible server in tests/wasim) as a companion device, with a
# small believable world: people who write, a group, and the CRM views on top.
#   scripts/demo.sh             install, build, start (or reuse) wasim + wacrmd, link, show
#   scripts/demo.sh --no-build  the same with what is already built
#   scripts/demo.sh --stop      stop the demo's wacrmd and wasim
# Everything lives in build/demo/ (wasim's state, wacrmd's state with its embedded
# database, the control socket, the logs). Nothing reaches the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build_dir=${WACRM_BUILD_DIR:-build}
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
demo_dir="$build_dir/demo"
socket="$demo_dir/wacrmd.sock"
scenario="$repo/tests/wasim/scenarios/demo.json"
me=4917612345678 anna=4917611111111 ben=4917622222222 carla=4917633333333

pid_of() { [[ -f "$demo_dir/$1.pid" ]] && cat "$demo_dir/$1.pid"; }
alive() { local pid; pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; }
stop() {  # stop "$1" (wacrmd or wasim), waiting up to a minute
  local pid
  if pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "demo $1 stopped"
  fi
  rm -f "$demo_dir/$1.pid"
}
# Polls "$@" every 100 ms for up to $1 seconds.
wait_for() {
  local tries=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.1; done
  echo "demo: timed out waiting for: $*" >&2
  return 1
}

case "${1:-}" in
  --stop) stop wacrmd; stop wasim; exit 0 ;;
  --no-build) ;;
  "") scripts/install-deps.sh; WACRM_BUILD_DIR="$build_dir" scripts/build.sh ;;
  *) echo "usage: scripts/demo.sh [--no-build | --stop]" >&2; exit 2 ;;
esac

wacrmd="$build_dir/daemon/wacrmd"
wacrmctl="$build_dir/ctl/wacrmctl"
wasim="$build_dir/tests/wasim/wasim"
mkdir -p "$demo_dir"
# When run as root the embedded PostgreSQL runs unprivileged and must reach its directory.
chmod 0755 "$demo_dir"

# wasim and wacrmd go together: wacrmd is configured with wasim's address and root key.
if ! alive wasim || ! alive wacrmd; then
  stop wacrmd; stop wasim
  echo "starting wasim (state in $demo_dir/wasim-state.json, log in $demo_dir/wasim.log)"
  # The state file keeps wasim's keys, accounts and linked companions across demo runs.
  nohup "$wasim" serve --scenario "$scenario" --state "$demo_dir/wasim-state.json" --log-level info \
    >"$demo_dir/wasim.out" 2>"$demo_dir/wasim.log" </dev/null &
  echo $! >"$demo_dir/wasim.pid"
  wait_for 30 grep -q '"ready"' "$demo_dir/wasim.out" || { cat "$demo_dir/wasim.log" >&2; exit 1; }
  ready=$(grep '"ready"' "$demo_dir/wasim.out" | head -n1)
  field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$ready"; }
  field admin_url >"$demo_dir/wasim.admin"
  ws_url=$(field ws_url)
  root_key=$(field noise_root_public_key)

  echo "starting wacrmd (embedded PostgreSQL in $demo_dir/state, log in $demo_dir/wacrmd.log)"
  # --config "": ignore any /etc/wacrm/wacrmd.conf; everything the demo needs is here.
  nohup "$wacrmd" --config "" \
    --state-dir "$demo_dir/state" \
    --control.socket "$socket" \
    --migrations-dir "$repo/migrations" \
    --whatsapp.url "$ws_url" \
    --whatsapp.noise-root-key "$root_key" \
    --crm.due-check-interval 5s \
    >"$demo_dir/wacrmd.log" 2>&1 </dev/null &
  echo $! >"$demo_dir/wacrmd.pid"
  # The socket appears once the database is migrated and wacrmd listens.
  wait_for 120 test -S "$socket" || { echo "wacrmd did not start; its log:" >&2; cat "$demo_dir/wacrmd.log" >&2; exit 1; }
else
  echo "demo wasim (pid $(pid_of wasim)) and wacrmd (pid $(pid_of wacrmd)) already running"
fi
admin=$(cat "$demo_dir/wasim.admin")

ctl() { echo "\$ wacrmctl $*"; "$wacrmctl" --socket "$socket" "$@" || true; echo; }
q() { "$wacrmctl" --socket "$socket" "$@"; }
sim() { "$wasim" "$1" --admin "$admin" "${@:2}"; }
stored() { [[ $(q messages demo --limit 1000 | grep -c "$1") -ge ${2:-1} ]]; }

if ! q account list | grep -q '^demo '; then
  q account add demo >/dev/null
  echo "linking account 'demo' to wasim's phone +$me (QR code, as a real phone would scan it)"
  q --json login demo >"$demo_dir/login.out" 2>&1 &
  login_pid=$!
  wait_for 30 grep -qs '"qr":"https' "$demo_dir/login.out"
  qr=$(grep -o '"qr":"https[^"]*"' "$demo_dir/login.out" | head -n1 | cut -d'"' -f4)
  sim scan --phone "$me" --qr "$qr" >/dev/null
  wait "$login_pid" || { echo "linking failed:" >&2; cat "$demo_dir/login.out" >&2; exit 1; }
  # The scenario's first-login conversations (Anna, the dentist) arrive by themselves.
  wait_for 30 stored "Call me when you have a minute"
  wait_for 30 stored "appointment is on Tuesday"
  sim play --name ben >/dev/null
  # A group: Ben made it, Anna and I are in it; each of them writes once.
  sim group-create --subject "Sunday football" --creator "$ben" --participant "$anna" --participant "$me" \
    --id 120363000000000042 >/dev/null
  sim send --from "$ben" --to 120363000000000042@g.us --text "Kick-off at 11, who brings the ball?" >/dev/null
  sim send --from "$anna" --to 120363000000000042@g.us --text "I will! See you there" >/dev/null
  wait_for 30 stored "See you there"
  wait_for 30 stored "match on Sunday"
  # Some CRM data of my own about these people.
  q contact tag add Anna friends >/dev/null
  q contact note Anna "Owes me the photos from Saturday" >/dev/null
  q remind Ben --in 2d "Answer about the match" >/dev/null
fi

ctl status
ctl chats demo
ctl messages demo --contact Anna
ctl pending
ctl contact show Anna
ctl remind list
ctl search appointment
ctl summary
ctl export Anna --format txt

cat <<EOT
The demo is running: wacrmd (pid $(pid_of wacrmd)) linked to wasim (pid $(pid_of wasim)).
  export WACRM_SOCKET=$socket
  $wacrmctl --help                   every command
  $wacrmctl events                   follow new messages and reminders as they happen
  $wasim send --admin $admin --from $carla --to $me --text "Hello again"
                                     a simulated person writes (then see: wacrmctl pending)
Logs: $demo_dir/wacrmd.log, $demo_dir/wasim.log
Stop it with: scripts/demo.sh --stop
EOT
