#!/usr/bin/env bash
# Builds the operator image (reducer-operator) and the workloads image (reducer-workloads) with Jib: no container
# engine needed. docs/install.md#build-the-images explains both ways.
#
#   scripts/build-images.sh --push [--registry REGISTRY] [--tag TAG] [--platform PLATFORMS] [-- MAVEN_ARGS...]
#       builds both and pushes them to REGISTRY/reducer-operator:TAG and REGISTRY/reducer-workloads:TAG
#   scripts/build-images.sh --tar [--registry REGISTRY] [--tag TAG] [--platform PLATFORM] [-- MAVEN_ARGS...]
#       writes them as image tarballs for `kind load image-archive` or `minikube image load`:
#       operator/controller/target/jib-image.tar and operator/workloads/target/jib-image.tar
#
# REGISTRY defaults to ghcr.io/reducer-io and TAG to the chart's appVersion (image.tag in pom.xml): the names the
# chart, the install file and the operator's WORKLOADS_IMAGE default use, so a cluster that has the images runs them
# with no further setting. PLATFORMS: e.g. linux/arm64, or linux/amd64,linux/arm64 with --push (default linux/amd64).
# MAVEN_ARGS go to Maven, e.g. -o, or -Djib.to.auth.username=... -Djib.to.auth.password=... (otherwise Jib takes
# the credentials of `docker login` or a docker-credential helper).
# The base image (eclipse-temurin:17-jre) is pulled from Docker Hub: this needs network access to it.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

goal=""
maven=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --push) goal=jib:build ;;
    --tar) goal=jib:buildTar ;;
    --registry) [[ $# -ge 2 ]] || usage; maven+=("-Dimage.registry=${2%/}"); shift ;;
    --registry=*) maven+=("-Dimage.registry=${1#*=}") ;;
    --tag) [[ $# -ge 2 ]] || usage; maven+=("-Dimage.tag=$2"); shift ;;
    --tag=*) maven+=("-Dimage.tag=${1#*=}") ;;
    --platform) [[ $# -ge 2 ]] || usage; maven+=("-Djib.from.platforms=$2"); shift ;;
    --platform=*) maven+=("-Djib.from.platforms=${1#*=}") ;;
    -h|--help) usage 0 ;;
    --) shift; maven+=("$@"); break ;;
    *) echo "build-images.sh: unknown argument $1" >&2; usage ;;
  esac
  shift
done
[[ -n "$goal" ]] || { echo "build-images.sh: say --push or --tar" >&2; usage; }

# package builds the modules the images hold (and the image-test tarballs the deploy tests read); the Jib goal then
# builds the two images. Every other module skips Jib (jib.skip in pom.xml). Nothing is installed into ~/.m2.
mvn -B -ntp -pl operator/controller,operator/workloads -am -Dmaven.test.skip=true "${maven[@]}" package "$goal"

if [[ "$goal" == jib:buildTar ]]; then
  cat <<DONE

Image tarballs:
  operator/controller/target/jib-image.tar
  operator/workloads/target/jib-image.tar
Load them into a cluster:
  kind load image-archive operator/controller/target/jib-image.tar
  kind load image-archive operator/workloads/target/jib-image.tar
or
  minikube image load operator/controller/target/jib-image.tar
  minikube image load operator/workloads/target/jib-image.tar
DONE
fi
