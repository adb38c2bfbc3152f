#!/usr/bin/env bash
# Runs companyScoring once per group of settings, side by side on one generated source, and
# prints a Markdown table (for docs/benchmarks.md). Each run gets a fresh target and job
# repository; time is the whole process, JVM start included.
# Usage (after ./mvnw -B -DskipTests package):
#   scripts/compare-settings.sh ROWS "SETTINGS" ["SETTINGS" ...]
#   scripts/compare-settings.sh 300000 "--duckbatch.page-size=10000" "--duckbatch.page-size=50000"
set -euo pipefail
rows=$1
shift
jar="$(cd "$(dirname "$0")/.." && pwd)/target/duckbatch.jar"
codes=20 # RTIC codes in the demo source: each task reads every company
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
java -jar "$jar" --duckbatch.demo.rows="$rows" --duckbatch.target="$work/warmup.duckdb" >/dev/null
echo "| settings | job seconds | rows read/s |"
echo "|---|---:|---:|"
for settings in "$@"; do
    rm -rf "$work/run" && mkdir "$work/run"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # each group is a list of --name=value words
    java -jar "$jar" --duckbatch.source="$work/data/source.duckdb" --duckbatch.data-dir="$work/run" $settings >/dev/null
    end=$(date +%s.%N)
    awk -v label="$settings" -v s="$start" -v e="$end" -v r="$rows" -v n="$codes" \
        'BEGIN { t = e - s; printf "| `%s` | %.1f | %.0f |\n", label, t, r * n / t }'
done
