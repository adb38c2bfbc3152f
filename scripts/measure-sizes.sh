#!/usr/bin/env bash
# Measures companyScoring end to end for several page and chunk sizes, side by side in one
# run on the same generated source, and prints a Markdown table (docs/benchmarks.md).
# Usage: scripts/measure-sizes.sh [rows]   (after ./mvnw -B -DskipTests package)
set -euo pipefail
rows=${1:-300000}
jar="$(cd "$(dirname "$0")/.." && pwd)/target/duckbatch.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Generate the source once (a 1-row-threshold-free run of the job is not needed for that).
java -jar "$jar" --duckbatch.demo.rows="$rows" --duckbatch.target="$work/warmup.duckdb" >/dev/null
echo "| page-size | chunk-size | job seconds | rows read/s |"
echo "|---:|---:|---:|---:|"
for page in 10000 50000 100000; do
    for chunk in 10000 50000; do
        rm -rf "$work/run" && mkdir "$work/run"
        start=$(date +%s.%N)
        java -jar "$jar" --duckbatch.source="$work/data/source.duckdb" --duckbatch.data-dir="$work/run" \
            --duckbatch.page-size="$page" --duckbatch.chunk-size="$chunk" >/dev/null
        end=$(date +%s.%N)
        codes=20
        awk -v p="$page" -v c="$chunk" -v s="$start" -v e="$end" -v r="$rows" -v n="$codes" \
            'BEGIN { t = e - s; printf "| %d | %d | %.1f | %.0f |\n", p, c, t, r * n / t }'
    done
done
