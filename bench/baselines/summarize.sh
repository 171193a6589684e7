#!/usr/bin/env bash
# Prints the markdown table of every finished run in the given results folders (default: results).
# Needs jq. Usage: bench/baselines/summarize.sh [RESULTS_DIR ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(( $# )) || set -- "$here/results"
echo "| run | build | layers | reg | best epoch | epochs | s/epoch train | s/epoch eval | peak RSS MB | valid R@20 | valid N@20 | test R@10 | test R@20 | test N@10 | test N@20 |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for results in "$@"; do
    for dir in "$results"/*/; do
        [[ -f "$dir/result.json" && -f "$dir/config.json" ]] || continue
        name="$(basename "$dir")"
        rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$dir/train.log")"
        build="$(jq -r 'if .spumr_version then (.spumr_version | sub(".*[+]"; "") | .[0:7]) else "pre-fix" end' "$dir/config.json")"
        layers="$(jq -r '.model_options.layers // "-"' "$dir/config.json")"
        reg="$(jq -r '.model_options.reg_weight // "-"' "$dir/config.json")"
        jq -r --arg name "$name" --arg build "$build" --arg layers "$layers" --arg reg "$reg" --arg rss "$(( ${rss_kb:-0} / 1024 ))" \
            '"| \($name) | \($build) | \($layers) | \($reg) | \(.best_epoch) | \(.epochs_run) | \(.seconds_per_epoch*100|round/100) | \(.eval_seconds_per_epoch*100|round/100) | \($rss) | \(."valid.recall@20"*10000|round/10000) | \(."valid.ndcg@20"*10000|round/10000) | \(."test.recall@10"*10000|round/10000) | \(."test.recall@20"*10000|round/10000) | \(."test.ndcg@10"*10000|round/10000) | \(."test.ndcg@20"*10000|round/10000) |"' \
            "$dir/result.json"
    done
done
