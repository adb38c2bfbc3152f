#!/usr/bin/env bash
# Class data sharing for duckbatch (docs/benchmarks.md, "Start-up"): extracts the jar with
# Spring Boot's jarmode tools, then records the classes one short job run loads in an archive
# that the JVM maps at the next start instead of loading and verifying them again.
#
#   bash scripts/cds.sh [target/duckbatch.jar] [target/cds]
#   java -XX:SharedArchiveFile=$PWD/target/cds/duckbatch.jsa -jar $PWD/target/cds/duckbatch.jar <verb> ...
#
# The command it prints names both files by their absolute paths, as the archive recorded
# them: the JVM refuses the archive for a jar named another way, or rebuilt since (it then
# starts as without one, saying so on stderr). Run it again after every build. The training run uses a 2,000-company
# demo in a temporary data dir and an HTTP endpoint on a free port, so that the classes of the
# web server are in the archive too.
set -euo pipefail
jar=${1:-target/duckbatch.jar}
out=${2:-target/cds}
rm -rf "$out"
java -Djarmode=tools -jar "$jar" extract --destination "$out" >/dev/null
out=$(cd "$out" && pwd)
app="$out/$(basename "$jar")"
training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
java -XX:ArchiveClassesAtExit="$out/duckbatch.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$app" \
    run companyScoring --duckbatch.data-dir="$training" --duckbatch.demo.rows=2000 --management.server.port=0 >/dev/null
echo "java -XX:SharedArchiveFile=$out/duckbatch.jsa -jar $app"
