#!/usr/bin/env bash
# Operator-at-scale benchmark: Projections over 10 pipelines on the mock API server with a real broker and
# database, the operator in its own JVM started as its pod starts it (the operator image's classpath, JVM flags and
# environment, the chart's jvmOptions, -XX:MaxRAM at the chart's memory limit), materializer Deployments created but
# not run. Rewrites the results block of docs/benchmarks.md.
#   scripts/benchmark-operator-scale.sh                        100, 1,000 and 3,000 Projections; 60 s at rest each
#   scripts/benchmark-operator-scale.sh 200 --rest 20 --no-doc a quick try; leave docs/benchmarks.md alone
#   ... --request-log                                          also log every write with its body (api-writes-N.log)
#   ... --operator-jvm "-XX:NativeMemoryTracking=summary"      JVM options after the image's, for a look inside
# Builds and installs the modules into ~/.m2 first (the e2e module runs against them).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl e2e exec:exec -De2e.main=io.reducer.e2e.OperatorScaleBenchmark -De2e.args="$*"
