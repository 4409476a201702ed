#!/usr/bin/env bash
# Materializer benchmark (DESIGN.md section 6): drain rate, raw batched-upsert rate and projection lag, measured
# in one run against a real Kafka broker and PostgreSQL started on loopback. Takes about three minutes.
#   scripts/benchmark-materializer.sh                          1,000,000 records, 100,000 keys, 20,000 events/s for 25 s
#   scripts/benchmark-materializer.sh 200000 20000 20000 10    records, keys, offered rate, lag seconds (a quick try)
#   scripts/benchmark-materializer.sh 1000000 100000 20000 0   drain and raw upsert only
# Results: see docs/benchmarks.md. Nothing is installed into ~/.m2; exec is skipped in every module but workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp -q -pl operator/workloads -am test-compile exec:exec -Dexec.skip=true -Dexec.executable=java -Dbenchmark.args="$*"
