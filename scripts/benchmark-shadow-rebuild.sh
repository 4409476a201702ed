#!/usr/bin/env bash
# Shadow rebuild benchmark (issue "WatermarkReset rebuildStrategy: Shadow"): what a reader of the live table sees
# while a 12-partition projection is rebuilt from earliest, InPlace and then Shadow, in one run on the local cluster
# (mock API, local kubelet, real Kafka broker and PostgreSQL; materializers and Jobs as local JVMs): the longest time
# the table is incomplete (downtime), the slowest read, and the Shadow cutover's lock time (status.shadow.lockMillis).
# Bar: Shadow downtime 0 and cutover lock < 100 ms. See docs/benchmarks.md#shadow-rebuild.
#   scripts/benchmark-shadow-rebuild.sh                  1,000,000 events; rewrites the results block of docs/benchmarks.md
#   scripts/benchmark-shadow-rebuild.sh 50000            a smaller run; prints its figures only
#   scripts/benchmark-shadow-rebuild.sh 1000000 --no-doc leave docs/benchmarks.md alone
# Builds and installs the modules into ~/.m2 first (the e2e module runs against them).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl e2e exec:exec -De2e.main=io.reducer.e2e.ShadowRebuildBenchmark -De2e.args="$*"
