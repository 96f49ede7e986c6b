#!/usr/bin/env bash
# Receiving figures against wasim (issue #6 "Measure"), printed, not asserted:
#   * messages stored per second, sustained, when 50 simulated people send
#     N (default 20,000) Signal-encrypted texts to one linked account as fast
#     as it confirms them (wasim keeps at most 1,000 unconfirmed);
#   * end-to-end latency p50/p99: wasim handing the stanza to the connection
#     -> PostgreSQL committing the message (track_commit_timestamp, same
#     clock), at that maximum rate and paced at 200 messages/s;
#   * the sustained rate again with every sender named by LID as well
#     (sender_lid), which makes wacrmd look up the pair before it may store
#     the message together with others;
#   * wacrmd's resident memory (highest VmRSS sampled, VmHWM);
#   * an offline backlog: how fast wasim alone encrypts and queues messages
#     for a wacrmd that is down, and how fast the restarted wacrmd drains them;
#   * that the store holds each message exactly once.
# Targets: >= 2,000 messages/s sustained, p99 < 50 ms at 200 messages/s.
# Runs the real wasim, wacrmd and wacrmctl from a build directory, on a
# throw-away PostgreSQL (scripts/test-pg.sh: fsync off, as in the tests).
#
# usage: tests/bench/bench_messages.sh [BUILD_DIR] [N] [PACED_N] [BACKLOG_N]   (default: build 20000 4000 10000)
#   needs targets wacrmd, wacrmctl and wasim built in BUILD_DIR.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
count=${2:-20000}
paced_count=${3:-4000}
backlog=${4:-10000}
paced_rate=200
people=50
account_phone=15550100001

bench_name=bench_messages
sampler_pid=
# shellcheck source=wasim_wacrmd_env.sh
source "$root/tests/bench/wasim_wacrmd_env.sh"
stop_sampler() { [[ -z $sampler_pid ]] || kill "$sampler_pid" 2>/dev/null || true; sampler_pid=; }
extra_cleanup=stop_sampler
sql() { psql -qAtX -h "$work/pg" -U postgres -d bench -c "$1"; }

# --- PostgreSQL with commit timestamps (a restart makes the setting take)
start_postgres -c "ALTER SYSTEM SET track_commit_timestamp = on"
pg_ctl_bin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/pg_ctl
as_pg=(); [[ $(id -u) -eq 0 ]] && as_pg=(runuser -u postgres --)
"${as_pg[@]}" "$pg_ctl_bin" -D "$work/pg/data" -m fast -w stop >/dev/null
"$root/scripts/test-pg.sh" start "$work/pg" >/dev/null

# --- wasim, and wacrmd linked to its account
start_wasim
"$wasim_bin" create-account --admin "$admin_url" --phone "$account_phone" >/dev/null
write_wacrmd_conf
start_wacrmd
link acct01 "$account_phone" >/dev/null

# The highest VmRSS while messages flow, sampled every 200 ms.
( peak=0
  while kill -0 "$wacrmd_pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$wacrmd_pid/status" 2>/dev/null || echo 0)
    (( rss > peak )) && { peak=$rss; echo "$peak" >"$work/rss_peak"; }
    sleep 0.2
  done ) &
sampler_pid=$!

stored_with_prefix() { sql "SELECT count(*) FROM messages WHERE wa_id LIKE '$1%'"; }
all_stored() { [[ $(stored_with_prefix "$1") -ge $2 ]]; }

# Sends $1 messages at $2 per second (0: as fast as confirmed), more bulk-send
# options after those, waits until all are stored, prints
# "stored distinct per_second p50_ms p99_ms wasim_per_second".
run() {
  local n=$1 rate=$2 times=$work/times-$1-$2${3:-}.csv
  local answer
  answer=$("$wasim_bin" bulk-send --admin "$admin_url" --to "$account_phone" --count "$n" --people "$people" \
             --rate "$rate" --times-file "$times" "${@:3}")
  local prefix wasim_rate
  prefix=$(sed -n 's/.*"first_id":"\([^"]*\)".*/\1/p' <<<"$answer" | cut -c1-10)
  wasim_rate=$(sed -n 's/.*"per_second":\([0-9.]*\).*/\1/p' <<<"$answer")
  [[ -n $prefix ]] || { echo "bench_messages: bulk-send failed: $answer" >&2; return 1; }
  wait_for 300 all_stored "$prefix" "$n"
  psql -qAtX -h "$work/pg" -U postgres -d bench -c "\\copy bench_sent FROM '$times' WITH (FORMAT csv)"
  [[ -z ${BENCH_DEBUG:-} ]] || sql "SELECT s.wa_id, (s.sent_us - min(s.sent_us) OVER ()) / 1000 AS sent_ms,
      (crm_epoch_us(pg_xact_commit_timestamp(m.xmin)) - s.sent_us) / 1000 AS latency_ms
    FROM messages m JOIN bench_sent s USING (wa_id) WHERE m.wa_id LIKE '$prefix%' ORDER BY 3 DESC LIMIT 15" >&2
  sql "WITH m AS (
         SELECT m.wa_id, crm_epoch_us(pg_xact_commit_timestamp(m.xmin)) AS committed_us, s.sent_us
         FROM messages m JOIN bench_sent s USING (wa_id) WHERE m.wa_id LIKE '$prefix%')
       SELECT count(*), count(DISTINCT wa_id),
              round(count(*) / ((max(committed_us) - min(sent_us)) / 1e6)),
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY committed_us - sent_us) / 1000)::numeric, 1),
              round((percentile_cont(0.99) WITHIN GROUP (ORDER BY committed_us - sent_us) / 1000)::numeric, 1),
              round($wasim_rate)
       FROM m" | tr '|' ' '
}

sql "CREATE TABLE bench_sent (wa_id text PRIMARY KEY, sent_us bigint)"

# Warm-up: every person's first message is a pkmsg (a new Signal session).
warm=$(run $(( people * 4 )) 0) || exit 1
read -r max_stored max_distinct max_rate max_p50 max_p99 max_wasim <<<"$(run "$count" 0)"
# The paced run measures a steady state: wait (up to 30 s) for the autovacuum
# and analyze the burst set off to end.
autovacuum_busy() { [[ $(sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'") -gt 0 ]]; }
sleep 1
wait_for 30 eval '! autovacuum_busy' || true
read -r paced_stored paced_distinct paced_achieved paced_p50 paced_p99 paced_wasim <<<"$(run "$paced_count" "$paced_rate")"
# Senders named by phone number and LID (sender_lid on every stanza, as the
# server does for accounts on LIDs): each person's first such message records
# the pair on its own, the rest are stored together again.
lid_count=$(( count / 2 ))
read -r lid_stored lid_distinct lid_rate lid_p50 lid_p99 lid_wasim <<<"$(run "$lid_count" 0 --sender-lid)"
stop_sampler
rss_peak=$(cat "$work/rss_peak" 2>/dev/null || echo 0)
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$wacrmd_pid/status")
rss_end=$(awk '/^VmRSS:/ {print $2}' "/proc/$wacrmd_pid/status")

# The offline backlog: wasim queues $backlog messages while wacrmd is down
# (wasim's own encrypt-and-queue rate: nothing to wait for), then a restarted
# wacrmd logs in and drains them.
stop_wacrmd
answer=$("$wasim_bin" bulk-send --admin "$admin_url" --to "$account_phone" --count "$backlog" --people "$people" \
           --window "$backlog")
backlog_prefix=$(sed -n 's/.*"first_id":"\([^"]*\)".*/\1/p' <<<"$answer" | cut -c1-10)
queue_rate=$(sed -n 's/.*"per_second":\([0-9.]*\).*/\1/p' <<<"$answer" | cut -d. -f1)
[[ -n $backlog_prefix ]] || { echo "bench_messages: bulk-send failed: $answer" >&2; exit 1; }
restart_us=$(date +%s%6N)
start_wacrmd
wait_for 300 all_stored "$backlog_prefix" "$backlog"
backlog_rate=$(sql "SELECT round(count(*) / ((max(crm_epoch_us(pg_xact_commit_timestamp(xmin))) - $restart_us) / 1e6))
                    FROM messages WHERE wa_id LIKE '$backlog_prefix%'")
backlog_hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$wacrmd_pid/status")

total=$(sql "SELECT count(*) FROM messages WHERE sender_jid LIKE '1999%'")  # the bulk people's
expected=$(( people * 4 + count + paced_count + lid_count + backlog ))

echo "bench_messages: $people people -> 1 wacrmd account through wasim (build: $build)"
printf '  %-56s %8s /s  (target >= 2000)\n' "stored, $count messages as fast as confirmed" "$max_rate"
printf '  %-56s %8s /s\n' "  wasim's own sending rate (encrypt + write)" "$max_wasim"
printf '  %-56s %8s ms / %s ms\n' "  latency send -> commit p50 / p99" "$max_p50" "$max_p99"
printf '  %-56s %8s /s\n' "paced at $paced_rate/s, $paced_count messages: stored" "$paced_achieved"
printf '  %-56s %8s ms / %s ms  (target p99 < 50 ms)\n' "  latency send -> commit p50 / p99" "$paced_p50" "$paced_p99"
printf '  %-56s %8s /s\n' "senders also named by LID, $lid_count as fast as confirmed" "$lid_rate"
printf '  %-56s %8s MB / %s MB / %s MB\n' "wacrmd RSS: peak sampled / VmHWM / at the end" "$(mb "$rss_peak")" "$(mb "$hwm")" "$(mb "$rss_end")"
printf '  %-56s %8s /s\n' "offline backlog: wasim encrypts and queues $backlog" "$queue_rate"
printf '  %-56s %8s /s\n' "  restarted wacrmd: restart -> all stored" "$backlog_rate"
printf '  %-56s %8s MB\n' "  its VmHWM" "$(mb "$backlog_hwm")"
printf '  %-56s %8s of %s (distinct: %s + %s + %s)\n' "messages in the store" "$total" "$expected" "$max_distinct" \
  "$paced_distinct" "$lid_distinct"
[[ $total -eq $expected && $max_distinct -eq $count && $paced_distinct -eq $paced_count && $lid_distinct -eq $lid_count ]] ||
  { echo "bench_messages: the store does not hold each message exactly once" >&2; exit 1; }
