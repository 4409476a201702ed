#!/bin/sh
# A Java command in one file: this POSIX sh launcher, then the command's shaded jar, appended by the build (see
# "Single-file commands" in the root pom.xml). Java reads the jar past this text; sh never gets beyond the exec.
# Runs JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH, with JAVA_OPTS (e.g. -Xmx1g) before -jar.
# Exit 2 with a message when no Java 17 or later is found; otherwise the command's own exit code.
# Uses no program besides java, so it works with a bare PATH.
set -f
name=${0##*/}
if [ -n "${JAVA_HOME:-}" ]; then
  java=$JAVA_HOME/bin/java
  if [ ! -x "$java" ]; then
    echo "$name: JAVA_HOME is $JAVA_HOME, which has no bin/java: point JAVA_HOME at a Java 17 or later runtime, or unset it to use the java on PATH" >&2
    exit 2
  fi
elif java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
  :
else
  echo "$name: needs Java 17 or later, and found none: install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless, brew install openjdk@17) and put its java on PATH, or set JAVA_HOME" >&2
  exit 2
fi
# `java -version` prints e.g. openjdk version "17.0.15" 2025-04-15, or java version "1.8.0_381" before Java 9.
version=$("$java" -version 2>&1)
case $version in
  *' version "'*) version=${version#*' version "'}; version=${version%%'"'*} ;;
  *) version= ;;
esac
case $version in
  1.*) major=${version#1.}; major=${major%%[!0-9]*} ;;
  *) major=${version%%[!0-9]*} ;;
esac
if [ -z "$major" ]; then
  echo "$name: cannot tell the version of $java (java -version printed no version): it needs Java 17 or later; set JAVA_HOME to one" >&2
  exit 2
fi
if [ "$major" -lt 17 ]; then
  echo "$name: needs Java 17 or later, but $java is Java $version: install a Java 17+ runtime and set JAVA_HOME to it, or put its java first on PATH" >&2
  exit 2
fi
# JAVA_OPTS is split on spaces on purpose: one JVM option per word.
# shellcheck disable=SC2086
exec "$java" $JAVA_OPTS -jar "$0" "$@"
