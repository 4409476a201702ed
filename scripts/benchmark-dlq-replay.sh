#!/usr/bin/env bash
# DLQ replay benchmark (DESIGN.md section 6): `workloads dlq replay` (exactly once, headers kept) against a
# kafka-console-consumer | kafka-console-producer pipe over the same records and against kafka-producer-perf-test
# (idempotent) writing as many records with payloads of the DLQ records' size (and, for reference, of their values
# alone), in one run against a real Kafka broker on loopback.
# Rewrites the results block of docs/benchmarks.md. Takes about a minute and a half after compilation.
#   scripts/benchmark-dlq-replay.sh                   1,000,000 records, the replay's default transaction size
#   scripts/benchmark-dlq-replay.sh 200000 5000       records, records per transaction (a quick try)
#   scripts/benchmark-dlq-replay.sh 200000 --no-doc   leave docs/benchmarks.md alone
#   scripts/benchmark-dlq-replay.sh 300000 --rounds 3 --variant base= --variant serial=-XX:+UseSerialGC
#                                                     A/B of replay JVM options, ratios to per-round baselines
#                                                     (producer-perf with record-sized payloads, and the pipe)
# Nothing is installed into ~/.m2; exec is skipped in every module but workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp -q -pl operator/workloads -am test-compile exec:exec -Dexec.skip=true -Dexec.executable=java \
  -Dbenchmark.main=io.reducer.workloads.dlq.DlqReplayBenchmark -Dbenchmark.args="$*"
