#!/usr/bin/env bash
# Runs `spumr train` once per line of a queue file ("NAME ARGS..."), one run at a time, and keeps
# each run's epoch log, result, config and per-epoch metrics under results/NAME/. Lines already
# done (results/NAME/result.json exists) are skipped, so the queue can be extended while it runs;
# a failed run keeps its log as train.failed-N.log and is tried at most twice.
# Usage: bench/baselines/run-queue.sh QUEUE_FILE [SPUMR_EXE]
#   SPUMR_EXE defaults to a published copy (dotnet publish src/Cli -c Release -o /tmp/spumr-bench),
#   so rebuilding the work tree does not disturb running jobs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
queue="$1"
exe="${2:-/tmp/spumr-bench/spumr}"
runs="${SPUMR_RUNS:-/tmp/spumr-runs}"
while true; do
    next=""
    while read -r name args; do
        [[ -z "$name" || "$name" == \#* ]] && continue
        failures=$( (find "$here/results/$name" -name 'train.failed-*.log' 2>/dev/null || true) | wc -l)
        if [[ ! -f "$here/results/$name/result.json" && ! -f "$here/results/$name/.running" && $failures -lt 2 ]]; then
            next="$name $args"
            break
        fi
    done < "$queue"
    [[ -z "$next" ]] && break
    read -r name args <<< "$next"
    out="$here/results/$name"
    mkdir -p "$out"
    touch "$out/.running"
    echo "$(date -u +%FT%TZ) start $name: spumr train $args" >&2
    # shellcheck disable=SC2086
    if (cd "$root" && /usr/bin/time -v "$exe" train $args --json --out "$runs" > "$out/summary.json" 2> "$out/train.log"); then
        folder="$(sed -n 's/.*"run_folder": "\(.*\)".*/\1/p' "$out/summary.json")"
        cp "$folder/config.json" "$folder/metrics.csv" "$out/"
        cp "$folder/result.json" "$out/result.json"
        echo "$(date -u +%FT%TZ) done  $name" >&2
    else
        n=$(( $(find "$out" -name 'train.failed-*.log' | wc -l) + 1 ))
        mv "$out/train.log" "$out/train.failed-$n.log"
        echo "$(date -u +%FT%TZ) FAILED $name (see $out/train.failed-$n.log)" >&2
    fi
    rm -f "$out/.running"
done
