#!/usr/bin/env bash
# Local real-service stack for Thanos Bridge development and integration tests (run as root, Debian 12):
#
#   prometheus  stands in for the ACM hub's Thanos Query API, backfilled with tools/demodata/generate.py data
#   postgres    koku's database (costonprem_koku, role koku/koku) with stack/koku/schema.sql + seed.sql
#   s3          @20minutes/s3rver with the bucket thanos-bridge (key pair S3RVER/S3RVER)
#   kafka       librdkafka's mock cluster (stack/mockbroker.c), topics platform.upload.announce (3 partitions)
#               and platform.upload.validation (1)
#
# Usage: scripts/stack.sh up|down|status|purge
#   up      installs what is missing (apt packages, s3rver from npm into the state dir), starts every service that
#           is not running and healthy (healthy ones are reused), writes <state dir>/stack.env, prints the endpoints
#   down    stops every service (the data stays, so the next up is fast); safe to run twice
#   status  prints each service as up/down; exits 1 if any is down
#   purge   down, then deletes the state (the next up regenerates everything)
#
# Environment: STACK_DIR (state dir, default <repo>/.stack), STACK_PROM_PORT (29090), STACK_PG_PORT (25432),
# STACK_S3_PORT (24569) (a default port taken by another process is replaced by the next free one; an explicit one
# is not), STACK_SEED (42: demo data seed), STACK_DATA_END (unix seconds of the last demo sample;
# default: now rounded down to 5 minutes minus 5 minutes, fixed when the data is generated),
# STACK_FRESH_DATA=1 (regenerate the demo data even if the existing data matches seed and generator).
#
# The demo data is regenerated only when the seed, STACK_DATA_END or tools/demodata/generate.py change; otherwise
# the existing TSDB is reused, so DEMO_DATA_END in stack.env (not "now") tells where the data ends.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$REPO/.stack}
# Ports: STACK_*_PORT when set; else the ports this state dir used last (<state dir>/ports); else the defaults.
# When a port that was not set explicitly is taken by a process of another state dir (another clone's stack, say),
# up moves to the next free port and stack.env tells where the service is.
SAVED_PROM_PORT='' SAVED_PG_PORT='' SAVED_S3_PORT=''
# shellcheck source=/dev/null
[ -s "$STACK_DIR/ports" ] && . "$STACK_DIR/ports"
PROM_PORT=${STACK_PROM_PORT:-${SAVED_PROM_PORT:-29090}}
PG_PORT=${STACK_PG_PORT:-${SAVED_PG_PORT:-25432}}
S3_PORT=${STACK_S3_PORT:-${SAVED_S3_PORT:-24569}}
SEED=${STACK_SEED:-42}
DATA_END=${STACK_DATA_END:-}
PGBIN=/usr/lib/postgresql/15/bin
S3RVER_PACKAGE=@20minutes/s3rver
S3RVER_VERSION=4.0.4
BUCKET=thanos-bridge
DB_NAME=costonprem_koku
DEMO_DB_NAME=costonprem_koku_demo
DB_USER=koku
DB_PASSWORD=koku
S3_KEY=S3RVER
KAFKA_TOPICS=(platform.upload.announce:3 platform.upload.validation:1)

PROM_DIR=$STACK_DIR/prometheus
S3_DIR=$STACK_DIR/s3
KAFKA_DIR=$STACK_DIR/kafka
ENV_FILE=$STACK_DIR/stack.env
declare -A STATE=()    # service -> started|reused, for the report of up

log() { printf 'stack: %s\n' "$*" >&2; }
die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# ---- process helpers -------------------------------------------------------------------------------------------

# pid_alive PIDFILE PATTERN: prints the recorded PID if that process is alive and its command line matches PATTERN.
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern" || return 1
  echo "$pid"
}

# stop_pid PIDFILE PATTERN NAME: TERM, wait up to 10 s, then KILL; only the recorded process, never by name.
stop_pid() {
  term_pid "$@"
  reap_pids
}

# term_pid PIDFILE PATTERN NAME: sends TERM to the recorded process; reap_pids waits for all processes so signalled.
TERMINATED=()
term_pid() {
  local pidfile=$1 pattern=$2 name=$3 pid
  if pid=$(pid_alive "$pidfile" "$pattern"); then
    kill -TERM "$pid" 2>/dev/null || true
    TERMINATED+=("$pid:$name")
  fi
  rm -f "$pidfile"
}

reap_pids() {
  local entry pid name
  for entry in ${TERMINATED[@]+"${TERMINATED[@]}"}; do
    pid=${entry%%:*} name=${entry#*:}
    for _ in $(seq 100); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      log "$name (pid $pid) did not stop on TERM, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name stopped (pid $pid)"
  done
  TERMINATED=()
}

# close_fds: closes every descriptor above 2 of the current (sub)shell: the lock on fd 9 and whatever the caller
# passed down (a pipe inherited by a server would keep e.g. "stack.sh up | tail" waiting for it).
close_fds() {
  local f fd
  for f in /proc/"$BASHPID"/fd/*; do
    fd=${f##*/}
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# spawn OUT ERR CMD...: starts CMD in the background in its own session, stdin from /dev/null, stdout to OUT,
# stderr to ERR (the same file when ERR is OUT), no other inherited descriptor; SPAWNED_PID is its real PID
# (setsid does not fork here because the subshell is not a process-group leader, and exec keeps the PID).
spawn() {
  local out=$1 err=$2
  shift 2
  if [ "$out" = "$err" ]; then
    (close_fds; exec setsid "$@") >"$out" 2>&1 </dev/null &
  else
    (close_fds; exec setsid "$@") >"$out" 2>"$err" </dev/null &
  fi
  SPAWNED_PID=$!
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port VARNAME EXPLICIT NAME: keeps the port in $VARNAME if nothing listens on it; otherwise dies when the port
# was set explicitly (EXPLICIT non-empty), or moves $VARNAME to the next free port.
free_port() {
  local var=$1 explicit=$2 name=$3 port=${!1}
  port_open "$port" || return 0
  [ -z "$explicit" ] || die "port $port for $name is in use by another process (set another $explicit)"
  while port_open "$port"; do
    port=$((port + 1))
    [ "$port" -lt $((${!var} + 100)) ] || die "no free port for $name near ${!var}"
  done
  log "$name: port ${!var} is in use by another process, using $port"
  printf -v "$var" '%s' "$port"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2
  shift 2
  for _ in $(seq $((secs * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "$what did not become ready within ${secs} s"
}

# ---- installation ----------------------------------------------------------------------------------------------

install_packages() {
  local need=() cmd pkg
  for pkg in prometheus kcat librdkafka1 librdkafka-dev gcc libc6-dev curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
  done
  [ -x "$PGBIN/initdb" ] || need+=(postgresql-15)
  for cmd in node npm; do
    command -v "$cmd" >/dev/null 2>&1 || { need+=(nodejs npm); break; }
  done
  [ ${#need[@]} -eq 0 ] && return 0
  local t0 aptlog=$STACK_DIR/apt.log
  t0=$(now)
  log "installing ${need[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$aptlog" 2>&1 </dev/null; then
    tail -20 "$aptlog" >&2
    die "apt-get failed (log: $aptlog)"
  fi
  log "apt done in $(since "$t0")"
}

# ---- prometheus ------------------------------------------------------------------------------------------------

# healthy = our recorded process is alive, was started on the wanted port (so it owns it) and answers there
prom_healthy() {
  pid_alive "$PROM_DIR/pid" "prometheus" >/dev/null && [ "$(cat "$PROM_DIR/port" 2>/dev/null)" = "$PROM_PORT" ] &&
    curl -sf --max-time 2 "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null
}

# The data is identified by seed, requested end and generator source; a change of any regenerates it.
prom_data_stamp() {
  printf 'seed=%s end=%s generator=%s\n' "$SEED" "${DATA_END:-auto}" \
    "$(sha256sum "$REPO/tools/demodata/generate.py" | cut -c1-16)"
}

prom_generate() {
  local t0 args=(--seed "$SEED" --openmetrics-dir "$PROM_DIR/om" --expected "$PROM_DIR/expected.json.tmp")
  t0=$(now)
  [ -n "$DATA_END" ] && args+=(--end "$DATA_END")
  rm -rf "$PROM_DIR/om" "$PROM_DIR/data" "$PROM_DIR/data.tmp" "$PROM_DIR/stamp"
  mkdir -p "$PROM_DIR"
  python3 "$REPO/tools/demodata/generate.py" "${args[@]}" 2>"$PROM_DIR/generate.log" ||
    { cat "$PROM_DIR/generate.log" >&2; die "demo data generation failed"; }
  # one promtool run per 2-hour block file, two at a time (promtool re-reads its whole input once per block)
  find "$PROM_DIR/om" -name '*.om' -print0 | sort -z |
    xargs -0 -P2 -I{} promtool tsdb create-blocks-from openmetrics -q {} "$PROM_DIR/data.tmp" \
      >"$PROM_DIR/promtool.log" 2>&1 || { tail -20 "$PROM_DIR/promtool.log" >&2; die "promtool block creation failed"; }
  mv "$PROM_DIR/data.tmp" "$PROM_DIR/data"
  mv "$PROM_DIR/expected.json.tmp" "$PROM_DIR/expected.json"
  rm -rf "$PROM_DIR/om"    # 85 MB of text; regenerate with tools/demodata/generate.py when needed
  prom_data_stamp >"$PROM_DIR/stamp"
  log "prometheus: demo data generated and loaded in $(since "$t0") ($(sed -n 's/^wrote .*: //p' "$PROM_DIR/generate.log" | head -1))"
}

prom_up() {
  local fresh=0
  if [ "${STACK_FRESH_DATA:-0}" = 1 ] || [ ! -d "$PROM_DIR/data" ] || [ ! -s "$PROM_DIR/expected.json" ] ||
    [ "$(cat "$PROM_DIR/stamp" 2>/dev/null)" != "$(prom_data_stamp)" ]; then
    fresh=1
  fi
  if [ $fresh = 0 ] && prom_healthy; then
    STATE[prometheus]=reused
    return 0
  fi
  stop_pid "$PROM_DIR/pid" "prometheus" prometheus
  free_port PROM_PORT "${STACK_PROM_PORT:+STACK_PROM_PORT}" prometheus
  [ $fresh = 1 ] && prom_generate
  spawn "$PROM_DIR/prometheus.log" "$PROM_DIR/prometheus.log" \
    prometheus --config.file="$REPO/stack/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
    --storage.tsdb.retention.time=100y --query.lookback-delta=5m --web.listen-address="127.0.0.1:$PROM_PORT"
  echo "$SPAWNED_PID" >"$PROM_DIR/pid"
  echo "$PROM_PORT" >"$PROM_DIR/port"
  wait_for 30 prometheus prom_healthy
  STATE[prometheus]=started
}

prom_end() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["end"])' "$PROM_DIR/expected.json"; }

# ---- postgres --------------------------------------------------------------------------------------------------

# The cluster lives in the state dir when the postgres user can traverse every parent directory of it;
# otherwise under /var/tmp (environment.md section 6). The choice is remembered in <state dir>/postgres.dir.
pg_dir() {
  if [ -s "$STACK_DIR/postgres.dir" ]; then
    cat "$STACK_DIR/postgres.dir"
  elif runuser -u postgres -- test -x "$STACK_DIR" 2>/dev/null; then
    echo "$STACK_DIR/postgres"
  else
    echo "/var/tmp/thanos-bridge-stack-$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-12)/postgres"
  fi
}

pg_admin() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }

pg_running() {  # the postmaster of our data dir is alive (whatever its port)
  local dir=$1 pid
  [ -s "$dir/data/postmaster.pid" ] || return 1
  pid=$(head -1 "$dir/data/postmaster.pid")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q postgres
}

pg_healthy() {
  local dir
  dir=$(pg_dir)
  pg_running "$dir" && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres &&
    [ "$(sed -n 4p "$dir/data/postmaster.pid")" = "$PG_PORT" ]
}

pg_stop() {
  local dir
  dir=$(pg_dir)
  if pg_running "$dir"; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 </dev/null ||
      die "pg_ctl stop failed"
    log "postgres stopped"
  fi
}

pg_seed_stamp() { cat "$REPO/stack/koku/schema.sql" "$REPO/stack/koku/seed.sql" | sha256sum | cut -c1-16; }

pg_up() {
  local dir t0
  dir=$(pg_dir)
  STATE[postgres]=reused
  if ! pg_healthy; then
    STATE[postgres]=started
    pg_stop
    free_port PG_PORT "${STACK_PG_PORT:+STACK_PG_PORT}" postgres
    mkdir -p "$dir"
    chmod 755 "$(dirname "$dir")"
    chown postgres:postgres "$dir"
    chmod 700 "$dir"
    echo "$dir" >"$STACK_DIR/postgres.dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      t0=$(now)
      rm -rf "$dir/data"
      runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 </dev/null || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
      # the superuser connects without a password from loopback; every other role needs its password
      cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host  all postgres 127.0.0.1/32 trust
host  all all      127.0.0.1/32 scram-sha-256
EOF
      log "postgres: cluster initialised in $(since "$t0")"
    fi
    # pg_ctl detaches the postmaster (own session, stdin /dev/null, output to postgres.log) and waits for it
    (close_fds; exec runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start) >>"$dir/pg_ctl.log" 2>&1 </dev/null || { tail -20 "$dir/postgres.log" >&2; die "postgres did not start"; }
    wait_for 30 postgres pg_healthy
  fi
  head -1 "$dir/data/postmaster.pid" >"$STACK_DIR/postgres.pid"
  # role, database, schema and seed (the database is recreated when schema.sql or seed.sql change)
  if [ "$(pg_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]; then
    pg_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
  fi
  # Two copies: DB_NAME for the tests, which expect koku's seeded rows as they are, and DEMO_DB_NAME for scripts/demo.sh,
  # which registers a cluster and records koku's ingestion in it.
  local have stamp name
  stamp=$(pg_seed_stamp)
  for name in "$DB_NAME" "$DEMO_DB_NAME"; do
    have=$(pg_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
    if [ "$have" != 1 ] || [ "$(cat "$dir/$name.stamp" 2>/dev/null)" != "$stamp" ]; then
      [ "$have" = 1 ] && pg_admin -c "DROP DATABASE $name WITH (FORCE)"
      pg_admin -c "CREATE DATABASE $name OWNER $DB_USER"
      PGPASSWORD=$DB_PASSWORD "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$name" \
        -f "$REPO/stack/koku/schema.sql" -f "$REPO/stack/koku/seed.sql" >/dev/null
      echo "$stamp" >"$dir/$name.stamp"
      log "postgres: database $name created with schema.sql + seed.sql"
    fi
  done
}

# ---- s3 ---------------------------------------------------------------------------------------------------------

s3_healthy() {
  pid_alive "$S3_DIR/pid" "stack/s3rver/start.js" >/dev/null && [ "$(cat "$S3_DIR/port" 2>/dev/null)" = "$S3_PORT" ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" = 200 ]
}

# The npm install runs in the background while Prometheus and PostgreSQL start; s3_up waits for it.
S3_INSTALL_PID=
s3_install_start() {
  local pkgjson=$S3_DIR/node_modules/$S3RVER_PACKAGE/package.json
  if [ -f "$pkgjson" ] && grep -q "\"version\": \"$S3RVER_VERSION\"" "$pkgjson"; then
    return 0
  fi
  mkdir -p "$S3_DIR"
  [ -f "$S3_DIR/package.json" ] ||
    printf '{\n  "name": "thanos-bridge-stack-s3",\n  "private": true\n}\n' >"$S3_DIR/package.json"
  (cd "$S3_DIR" && close_fds && exec npm install --no-audit --no-fund --loglevel=error "$S3RVER_PACKAGE@$S3RVER_VERSION") \
    >"$S3_DIR/npm.log" 2>&1 </dev/null &
  S3_INSTALL_PID=$!
  S3_INSTALL_T0=$(now)
}

s3_install_wait() {
  [ -n "$S3_INSTALL_PID" ] || return 0
  wait "$S3_INSTALL_PID" || { tail -20 "$S3_DIR/npm.log" >&2; die "npm install of $S3RVER_PACKAGE failed"; }
  S3_INSTALL_PID=
  log "s3: $S3RVER_PACKAGE@$S3RVER_VERSION installed from npm in $(since "$S3_INSTALL_T0") (in the background)"
}

s3_up() {
  STATE[s3]=reused
  if ! s3_healthy; then
    STATE[s3]=started
    stop_pid "$S3_DIR/pid" "stack/s3rver/start.js" s3
    free_port S3_PORT "${STACK_S3_PORT:+STACK_S3_PORT}" s3
    s3_install_wait
    mkdir -p "$S3_DIR/data"
    spawn "$S3_DIR/s3rver.log" "$S3_DIR/s3rver.log" \
      env NODE_PATH="$S3_DIR/node_modules" node "$REPO/stack/s3rver/start.js" "$S3_PORT" "$S3_DIR/data"
    echo "$SPAWNED_PID" >"$S3_DIR/pid"
    echo "$S3_PORT" >"$S3_DIR/port"
    wait_for 30 s3rver s3_healthy
  fi
  # buckets cannot be created with SigV4 on this server (environment.md section 5): create it anonymously
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X PUT "http://127.0.0.1:$S3_PORT/$BUCKET")
  case $code in 200 | 409) ;; *) die "creating bucket $BUCKET failed (HTTP $code)" ;; esac
}

# ---- kafka ------------------------------------------------------------------------------------------------------

kafka_bootstrap() { sed -n 's/^BOOTSTRAP=//p' "$KAFKA_DIR/mockbroker.out" 2>/dev/null | head -1; }

kafka_healthy() {
  local boot
  pid_alive "$KAFKA_DIR/pid" "mockbroker" >/dev/null || return 1
  boot=$(kafka_bootstrap)
  [ -n "$boot" ] && kcat -b "$boot" -L -m 5 -t "${KAFKA_TOPICS[0]%%:*}" >/dev/null 2>&1 </dev/null
}

kafka_up() {
  STATE[kafka]=reused
  mkdir -p "$KAFKA_DIR"
  local bin=$KAFKA_DIR/mockbroker
  if [ ! -x "$bin" ] || [ "$REPO/stack/mockbroker.c" -nt "$bin" ]; then
    gcc -O2 -o "$bin" "$REPO/stack/mockbroker.c" -lrdkafka 2>"$KAFKA_DIR/gcc.log" ||
      { cat "$KAFKA_DIR/gcc.log" >&2; die "compiling stack/mockbroker.c failed"; }
    stop_pid "$KAFKA_DIR/pid" "mockbroker" kafka    # an old binary is replaced by the new one
  fi
  if ! kafka_healthy; then
    STATE[kafka]=started
    stop_pid "$KAFKA_DIR/pid" "mockbroker" kafka
    rm -f "$KAFKA_DIR/mockbroker.out"
    spawn "$KAFKA_DIR/mockbroker.out" "$KAFKA_DIR/mockbroker.err" "$bin" 1 "${KAFKA_TOPICS[@]}"
    echo "$SPAWNED_PID" >"$KAFKA_DIR/pid"
    wait_for 30 "kafka mock broker" kafka_healthy
  fi
}

# ---- env file and report -------------------------------------------------------------------------------------------

write_env() {
  local tmp=$ENV_FILE.tmp
  cat >"$tmp" <<EOF
STACK_DIR=$STACK_DIR
THANOS_QUERY_URL=http://127.0.0.1:$PROM_PORT
DATABASE_SERVICE_HOST=127.0.0.1
DATABASE_SERVICE_PORT=$PG_PORT
DATABASE_NAME=$DB_NAME
DEMO_DATABASE_NAME=$DEMO_DB_NAME
PSQL=$PGBIN/psql
DATABASE_USER=$DB_USER
DATABASE_PASSWORD=$DB_PASSWORD
S3_ENDPOINT=http://127.0.0.1:$S3_PORT
S3_REGION=us-east-1
AWS_ACCESS_KEY_ID=$S3_KEY
AWS_SECRET_ACCESS_KEY=$S3_KEY
THANOS_BRIDGE_S3_BUCKET=$BUCKET
KAFKA_BOOTSTRAP_SERVERS=$(kafka_bootstrap)
DEMO_EXPECTED_FILE=$PROM_DIR/expected.json
DEMO_DATA_END=$(prom_end)
EOF
  mv "$tmp" "$ENV_FILE"
}

# report MODE: one line per service; MODE=up adds started/reused. Returns 1 if any service is down.
report() {
  local mode=$1 down=0 name state endpoint detail
  printf '%-11s %-14s %-24s %s\n' service state endpoint details
  for name in prometheus postgres s3 kafka; do
    case $name in
      prometheus)
        endpoint=http://127.0.0.1:$PROM_PORT
        detail="Thanos stand-in; demo data seed $SEED"
        [ -s "$PROM_DIR/expected.json" ] && detail+=", last sample $(date -u -d "@$(prom_end)" +%Y-%m-%dT%H:%M:%SZ)"
        prom_healthy && state=up || state=down ;;
      postgres)
        endpoint=127.0.0.1:$PG_PORT
        detail="database $DB_NAME, user $DB_USER"
        pg_healthy && state=up || state=down ;;
      s3)
        endpoint=http://127.0.0.1:$S3_PORT
        detail="bucket $BUCKET, access key id $S3_KEY, region us-east-1"
        s3_healthy && state=up || state=down ;;
      kafka)
        detail="topics ${KAFKA_TOPICS[*]}"
        kafka_healthy && state=up || state=down
        endpoint=-
        [ "$state" = up ] && endpoint=$(kafka_bootstrap) ;;
    esac
    [ "$state" = up ] || down=1
    [ "$mode" = up ] && [ "$state" = up ] && state="up (${STATE[$name]:-?})"
    printf '%-11s %-14s %-24s %s\n' "$name" "$state" "$endpoint" "$detail"
  done
  return $down
}

# ---- commands ----------------------------------------------------------------------------------------------------

lock() {
  mkdir -p "$STACK_DIR"
  chmod 755 "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  flock -w 300 9 || die "another stack.sh holds $STACK_DIR/.lock"
}

cmd_up() {
  local t0
  t0=$(now)
  [ "$(id -u)" = 0 ] || die "run as root (apt, runuser postgres)"
  lock
  rm -f "$ENV_FILE"    # written again only when every service is up
  install_packages
  s3_healthy || s3_install_start
  prom_up
  pg_up
  s3_up
  kafka_up
  printf 'SAVED_PROM_PORT=%s\nSAVED_PG_PORT=%s\nSAVED_S3_PORT=%s\n' "$PROM_PORT" "$PG_PORT" "$S3_PORT" >"$STACK_DIR/ports"
  write_env
  report up || die "a service is down after up"
  printf 'env file: %s (up took %s)\n' "$ENV_FILE" "$(since "$t0")"
}

cmd_down() {
  [ -d "$STACK_DIR" ] || { log "nothing to stop ($STACK_DIR does not exist)"; return 0; }
  lock
  rm -f "$ENV_FILE"
  # all at once: each takes up to about 2 s to shut down cleanly
  term_pid "$KAFKA_DIR/pid" "mockbroker" kafka
  term_pid "$S3_DIR/pid" "stack/s3rver/start.js" s3
  term_pid "$PROM_DIR/pid" "prometheus" prometheus
  pg_stop
  rm -f "$STACK_DIR/postgres.pid"
  reap_pids
}

cmd_status() {
  report status
}

cmd_purge() {
  local pgdir
  cmd_down
  [ -d "$STACK_DIR" ] || return 0
  pgdir=$(pg_dir)
  case $pgdir in "$STACK_DIR"/*) ;; *) rm -rf "$(dirname "$pgdir")" ;; esac
  rm -rf "$STACK_DIR"
  log "removed $STACK_DIR"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  purge) cmd_purge ;;
  *) echo "usage: $0 up|down|status|purge" >&2; exit 2 ;;
esac
