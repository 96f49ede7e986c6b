# The set-up the benchmarks that run the real wasim, wacrmd and wacrmctl share
# (bench_link.sh, bench_messages.sh): binaries, a work directory cleaned up on
# exit, a throw-away PostgreSQL (scripts/test-pg.sh), wasim, wacrmd's config,
# and linking an account. Sourced, not run: set `root`, `build` and
# `bench_name` first.

wacrmd_bin=$build/daemon/wacrmd
ctl_bin=$build/ctl/wacrmctl
wasim_bin=$build/tests/wasim/wasim
for bin in "$wacrmd_bin" "$ctl_bin" "$wasim_bin"; do
  [[ -x $bin ]] || { echo "$bench_name: $bin is missing; build wacrmd, wacrmctl and wasim first" >&2; exit 2; }
done

work=$(mktemp -d "/tmp/wacrm-$bench_name-XXXXXX")
chmod 755 "$work"
wacrmd_pid=
wasim_pid=
extra_cleanup=:   # a benchmark's own clean-up, run first
cleanup() {
  $extra_cleanup
  [[ -n $wacrmd_pid ]] && kill "$wacrmd_pid" 2>/dev/null && wait "$wacrmd_pid" 2>/dev/null || true
  [[ -n $wasim_pid ]] && kill "$wasim_pid" 2>/dev/null && wait "$wasim_pid" 2>/dev/null || true
  "$root/scripts/test-pg.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# Polls "$@" every 100 ms for up to $timeout seconds.
wait_for() {
  local timeout=$1; shift
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  until "$@"; do
    (( $(now_ms) < deadline )) || { echo "$bench_name: timed out waiting for: $*" >&2; return 1; }
    sleep 0.1
  done
}

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# PostgreSQL with database "bench"; "$@": more statements to run first (-c ...).
start_postgres() {
  "$root/scripts/test-pg.sh" start "$work/pg" >/dev/null
  psql -q -h "$work/pg" -U postgres -d postgres -c "CREATE DATABASE bench" "$@" >/dev/null
}

# wasim on ephemeral ports: sets ws_url, admin_url, root_key.
start_wasim() {
  # wacrmd answers every message with a receipt and an ack: wasim's default stanza
  # limit (200/s, burst 2,000, sized for the flood tests) would end the stream of a
  # client receiving more than ~100 messages/s, so a benchmark raises it.
  "$wasim_bin" serve --listen 127.0.0.1:0 --admin 127.0.0.1:0 --log-level warn \
    --stanza-rate 20000 --stanza-burst 40000 >"$work/wasim.out" 2>"$work/wasim.log" &
  wasim_pid=$!
  wait_for 20 grep -q '"ready"' "$work/wasim.out"
  local ready
  ready=$(head -n1 "$work/wasim.out")
  field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$ready"; }
  ws_url=$(field ws_url)
  admin_url=$(field admin_url)
  root_key=$(field noise_root_public_key)
}

# wacrmd's config for that PostgreSQL and wasim; its control socket is $sock.
sock=$work/wacrmd.sock
write_wacrmd_conf() {
  cat >"$work/wacrmd.conf" <<EOF
state-dir = $work/state
migrations-dir = $root/migrations
[database]
url = host=$work/pg user=postgres dbname=bench
[control]
socket = $sock
[log]
level = warn
[whatsapp]
url = $ws_url
noise-root-key = $root_key
EOF
}
start_wacrmd() {
  "$wacrmd_bin" --config "$work/wacrmd.conf" 2>>"$work/wacrmd.log" &
  wacrmd_pid=$!
  wait_for 60 test -S "$sock"
}
stop_wacrmd() {
  kill -TERM "$wacrmd_pid"
  wait "$wacrmd_pid" || true
  wacrmd_pid=
}
ctl() { "$ctl_bin" --socket "$sock" "$@"; }

# Links account $1 to wasim's phone $2; prints the milliseconds from
# `wacrmctl login` to connected.
link() {
  local name=$1 phone=$2 out=$work/login-$1.out
  ctl account add "$name" >/dev/null
  local start; start=$(now_ms)
  ctl --json login "$name" >"$out" 2>&1 &
  local login_pid=$!
  wait_for 30 grep -qs '"qr":"https' "$out"
  local qr; qr=$(grep -o '"qr":"https[^"]*"' "$out" | head -n1 | cut -d'"' -f4)
  "$wasim_bin" scan --admin "$admin_url" --phone "$phone" --qr "$qr" >/dev/null
  wait "$login_pid" || { echo "$bench_name: linking $name failed:" >&2; cat "$out" >&2; exit 1; }
  echo $(( $(now_ms) - start ))
}
