#!/usr/bin/env bash
# Cold start of the dispatcher's -aws jar: N fresh JVMs (default 7), each loading the handler from the jar alone,
# with the template's JAVA_TOOL_OPTIONS (C1 only). Prints the median of jvm-to-main, init and first invocation (ms).
# usage: measure.sh <aws.jar> [N] [-Dsluice.dedupe.mode=dynamodb -Dsluice.dedupe.endpoint=... ...]
set -euo pipefail
jar="$1"; n="${2:-7}"; shift 2 || true
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
javac -d "$tmp" "$here/ColdStart.java"
routes='{"targets":{"log":{"type":"log"}},"default":["log"]}'
for i in $(seq "$n"); do
  java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -Dsluice.routes="$routes" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" -cp "$tmp" ColdStart "$jar"
done > "$tmp/samples"
median() { cut -d' ' -f"$1" "$tmp/samples" | sort -n | awk '{v[NR]=$1} END {printf "%s (%s..%s)", v[int((NR+1)/2)], v[1], v[NR]}'; }
echo "samples=$(wc -l < "$tmp/samples") jvmToMainMs=$(median 1) initMs=$(median 2) firstInvokeMs=$(median 3)"
