#!/usr/bin/env bash
# Rewrites what is derived from crds/ and helm/reducer-operator: the chart's copies of the CRDs
# (helm/reducer-operator/files/crds, which templates/crds.yaml renders as they are), the kubectl-apply install file
# (manifests/install/reducer-operator.yaml) and the Argo CD ConfigMap patch (manifests/argocd/argocd-cm.yaml, from
# the scripts in manifests/argocd).
# Run it after regenerating crds/ or changing the chart; the deploy module's tests fail until then.
# Runs only those tests, the chart's CRD copies before the install file that includes them (nothing is installed
# into ~/.m2). Pass -o to work offline.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp -q "$@" -pl deploy -am test -Dinstall.update=true -Dsurefire.runOrder=alphabetical -Dtest='ChartCrdsTest,InstallManifestTest,ArgoCdHealthTest#theConfigMapPatchHoldsTheScriptForEveryKind' \
  -Dsurefire.failIfNoSpecifiedTests=false
