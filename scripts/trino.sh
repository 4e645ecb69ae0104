#!/usr/bin/env bash
# A local Trino cluster for the engines suite and the bench: one coordinator and one worker on 127.0.0.1, a Hive
# catalog (`hive`) whose file metastore and tables live in a local directory.
#
#   scripts/trino.sh start    fetch (once, with Maven) and unpack the server, write configs, start, wait until it answers
#   scripts/trino.sh stop     stop both nodes
#   scripts/trino.sh status   "up <url>" or "down", exit 0 / 1
#   scripts/trino.sh env      the variables the engines suite reads (eval "$(scripts/trino.sh env)")
#
# Environment: AISLE_TRINO_VERSION (476), AISLE_TRINO_CACHE (~/.cache/aisle-trino: tarball and unpacked server, kept
# between runs), AISLE_TRINO_HOME (run state: configs, logs, node data; <cache>/run), AISLE_TRINO_WAREHOUSE (the Hive
# warehouse directory; <cache>/warehouse), AISLE_TRINO_PORT (coordinator, 18080; the worker takes the next one),
# AISLE_TRINO_WORKERS (1), AISLE_TRINO_HEAP (per node, 1G).
set -euo pipefail

VERSION="${AISLE_TRINO_VERSION:-476}"
CACHE="${AISLE_TRINO_CACHE:-$HOME/.cache/aisle-trino}"
STATE="${AISLE_TRINO_HOME:-$CACHE/run}"
WAREHOUSE="${AISLE_TRINO_WAREHOUSE:-$CACHE/warehouse}"
PORT="${AISLE_TRINO_PORT:-18080}"
WORKERS="${AISLE_TRINO_WORKERS:-1}"
HEAP="${AISLE_TRINO_HEAP:-1G}"
SERVER="$CACHE/trino-server-$VERSION"
URL="http://127.0.0.1:$PORT"

if (( PORT < 18080 || PORT + WORKERS > 18099 )); then
  echo "trino.sh: ports $PORT..$((PORT + WORKERS)) fall outside 18080-18099" >&2
  exit 2
fi

java_home() {
  if [ -n "${AISLE_TRINO_JAVA_HOME:-}" ]; then echo "$AISLE_TRINO_JAVA_HOME"; return; fi
  # Trino 476 runs on Java 24 or later only.
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-24-jdk-amd64 "${JAVA_HOME:-}"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then echo "$candidate"; return; fi
  done
  echo "trino.sh: no Java 24+ found; set AISLE_TRINO_JAVA_HOME" >&2
  exit 1
}

fetch() {
  [ -x "$SERVER/bin/launcher" ] && return
  mkdir -p "$CACHE"
  local tarball="$CACHE/trino-server-$VERSION.tar.gz"
  if [ ! -s "$tarball" ]; then
    echo "trino.sh: fetching io.trino:trino-server:$VERSION:tar.gz with Maven (about 820 MB)…"
    # One try, short timeouts: a repository that cannot be reached fails the start at once, in Maven's own words.
    local log="$CACHE/fetch.log"
    if ! mvn -B -ntp dependency:copy -Dartifact="io.trino:trino-server:$VERSION:tar.gz" -DoutputDirectory="$CACHE" \
      -Dmaven.wagon.http.retryHandler.count=0 -Dmaven.wagon.rto=60000 >"$log" 2>&1; then
      rm -f "$tarball"
      echo "trino.sh: blocked: io.trino:trino-server:$VERSION:tar.gz could not be fetched; Maven said:" >&2
      grep -m 1 '^\[ERROR\]' "$log" >&2 || tail -n 20 "$log" >&2
      echo "trino.sh: (the whole output is in $log)" >&2
      exit 1
    fi
    # The tarball is kept once, in the cache, not again in Maven's local repository.
    rm -rf "$HOME/.m2/repository/io/trino/trino-server/$VERSION"
  fi
  echo "trino.sh: unpacking (the Hive plugin only)…"
  local scratch="$CACHE/unpack.$$"
  rm -rf "$scratch" && mkdir -p "$scratch"
  # Plugins share jars as hard links inside the archive, so it is unpacked whole and the rest removed.
  tar -xzf "$tarball" -C "$scratch"
  find "$scratch/trino-server-$VERSION/plugin" -mindepth 1 -maxdepth 1 ! -name hive -exec rm -rf {} +
  mv "$scratch/trino-server-$VERSION" "$SERVER"
  rm -rf "$scratch"
}

# node.properties / config.properties / jvm.config for one node; $1 = name, $2 = port, $3 = coordinator (true|false)
write_node() {
  local name="$1" port="$2" coordinator="$3" etc="$STATE/$1/etc"
  mkdir -p "$etc/catalog" "$STATE/$name/data"
  cat >"$etc/node.properties" <<EOF
node.environment=aisle
node.id=$name
node.data-dir=$STATE/$name/data
node.internal-address=127.0.0.1
node.bind-ip=127.0.0.1
EOF
  {
    echo "coordinator=$coordinator"
    if [ "$coordinator" = true ]; then
      echo "node-scheduler.include-coordinator=false"
    fi
    echo "http-server.http.port=$port"
    echo "discovery.uri=$URL"
    echo "query.max-memory=1GB"
    echo "query.max-memory-per-node=512MB"
    # Two cores are shared by both nodes and the test runner.
    echo "task.concurrency=2"
    echo "task.max-worker-threads=4"
  } >"$etc/config.properties"
  cat >"$etc/jvm.config" <<EOF
-server
-Xmx$HEAP
-XX:InitialRAMPercentage=1
-XX:+UseG1GC
-XX:G1HeapRegionSize=32M
-XX:+ExitOnOutOfMemoryError
-XX:ReservedCodeCacheSize=256M
-XX:PerMethodRecompilationCutoff=10000
-XX:PerBytecodeRecompilationCutoff=10000
-XX:TieredStopAtLevel=1
-Djdk.attach.allowAttachSelf=true
-Djdk.nio.maxCachedBufferSize=2000000
-Dfile.encoding=UTF-8
--enable-native-access=ALL-UNNAMED
EOF
  cat >"$etc/log.properties" <<EOF
io.trino=WARN
EOF
  # The catalog must be the same on every node: both read the same local directory.
  cat >"$etc/catalog/hive.properties" <<EOF
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=local:///metastore
fs.native-local.enabled=true
local.location=$WAREHOUSE
hive.non-managed-table-writes-enabled=true
hive.non-managed-table-creates-enabled=true
hive.storage-format=PARQUET
hive.max-partitions-per-writers=1000
EOF
}

launcher() {
  local name="$1"; shift
  JAVA_HOME="$(java_home)" PATH="$(java_home)/bin:$PATH" "$SERVER/bin/launcher" \
    --etc-dir "$STATE/$name/etc" --data-dir "$STATE/$name/data" \
    --pid-file "$STATE/$name/launcher.pid" --launcher-log-file "$STATE/$name/launcher.log" \
    --server-log-file "$STATE/$name/server.log" "$@"
}

nodes() {
  echo coordinator
  for ((i = 1; i <= WORKERS; i++)); do echo "worker-$i"; done
}

# Active nodes, as the coordinator counts them (coordinator included); empty when it does not answer.
active_nodes() {
  curl -sf -m 3 -H 'X-Trino-User: aisle' "$URL/v1/info" >/dev/null 2>&1 || return 0
  curl -sf -m 5 -X POST -H 'X-Trino-User: aisle' --data 'SELECT count(*) FROM system.runtime.nodes WHERE state = '"'active'" "$URL/v1/statement" \
    | node -e '
let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", async () => {
  let page = JSON.parse(text);
  for (let i = 0; i < 200; i++) {
    if (page.data) { console.log(page.data[0][0]); return; }
    if (page.error || !page.nextUri) return;
    await new Promise((r) => setTimeout(r, 100));
    page = await (await fetch(page.nextUri, { headers: { "X-Trino-User": "aisle" } })).json();
  }
});' 2>/dev/null || true
}

start() {
  fetch
  mkdir -p "$WAREHOUSE/metastore"
  write_node coordinator "$PORT" true
  local i=1
  for name in $(nodes | tail -n +2); do write_node "$name" $((PORT + i)) false; i=$((i + 1)); done
  for name in $(nodes); do launcher "$name" start >/dev/null; done
  local want=$((WORKERS + 1)) started=$SECONDS
  while (( SECONDS - started < 180 )); do
    if [ "$(active_nodes)" = "$want" ]; then
      echo "trino.sh: up at $URL ($want nodes, $((SECONDS - started)) s); warehouse $WAREHOUSE"
      return 0
    fi
    for name in $(nodes); do
      if ! launcher "$name" status >/dev/null 2>&1; then
        echo "trino.sh: $name died; last lines of $STATE/$name:" >&2
        tail -n 30 "$STATE/$name/launcher.log" "$STATE/$name/server.log" >&2 2>/dev/null || true
        stop
        return 1
      fi
    done
    sleep 2
  done
  echo "trino.sh: the cluster did not answer with $want active nodes within 180 s; logs in $STATE" >&2
  stop
  return 1
}

stop() {
  [ -d "$STATE" ] || return 0
  for dir in "$STATE"/*/; do
    local name
    name="$(basename "$dir")"
    [ -f "$STATE/$name/etc/node.properties" ] && launcher "$name" stop >/dev/null 2>&1 || true
  done
  echo "trino.sh: stopped"
}

status() {
  local active
  active="$(active_nodes)"
  if [ -n "$active" ]; then echo "up $URL ($active nodes)"; else echo down; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env)
    echo "export AISLE_TRINO_URL=$URL"
    echo "export AISLE_TRINO_WAREHOUSE=$WAREHOUSE"
    ;;
  *)
    echo "usage: scripts/trino.sh start|stop|status|env" >&2
    exit 2
    ;;
esac
