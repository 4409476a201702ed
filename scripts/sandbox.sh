#!/usr/bin/env bash
# Local environment: a real Kafka broker, a real PostgreSQL, a Kubernetes API with the reducer.io CRDs and the operator,
# with manifests/examples applied and listed as kubectl get shows them.
#   scripts/sandbox.sh          keep running until Ctrl-C
#   scripts/sandbox.sh --once   apply, show, stop (exit status 0 only if every step reached its expected state)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  echo "[sandbox] installing JDK 17 and Maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

echo "[sandbox] building (first run downloads dependencies)"
mvn -q -B -ntp install -DskipTests
exec mvn -q -B -ntp -pl e2e exec:exec -Dsandbox.args="$*"
