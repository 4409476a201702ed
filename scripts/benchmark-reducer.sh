#!/usr/bin/env bash
# Reducer benchmark: actions produced -> state-committed published against the runbooks' per-action loop on the same
# tables, commit latency, and action -> projection row visible at a fixed offered rate with a materializer running;
# one run against a real Kafka broker and PostgreSQL started on loopback. Takes about three minutes.
#   scripts/benchmark-reducer.sh                       300,000 actions over 30,000 keys; 5,000 actions/s for 15 s
#   scripts/benchmark-reducer.sh 60000 6000 5000 5     actions, keys, offered rate, latency seconds (a quick try)
#   scripts/benchmark-reducer.sh 300000 30000 5000 0   throughput only
#   scripts/benchmark-reducer.sh 300000 30000 5000 0 50,100,150,250   --transaction-actions sweep, back to back
# Results: printed, and written into docs/benchmarks.md (section "Reducer").
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp -q -pl operator/workloads -am test-compile exec:exec -Dexec.skip=true -Dexec.executable=java \
  -Dbenchmark.main=io.reducer.workloads.reducer.ReducerBenchmark -Dbenchmark.args="$*"
