#!/usr/bin/env bash
# WatermarkReset benchmark (DESIGN.md section 6): apply -> Completed of a rebuild-from-earliest reset on a
# 12-partition projection whose 12 materializers and reset Job run as local JVMs on the local cluster (mock API,
# local kubelet, real Kafka broker and PostgreSQL). Rewrites the results block of docs/benchmarks.md.
#   scripts/benchmark-watermark-reset.sh             3 resets, one after the other
#   scripts/benchmark-watermark-reset.sh 5 --no-doc  5 resets; leave docs/benchmarks.md alone
# Builds and installs the modules into ~/.m2 first (the e2e module runs against them).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl e2e exec:exec -De2e.main=io.reducer.e2e.ResetBenchmark -De2e.args="$*"
