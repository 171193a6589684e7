#!/usr/bin/env bash
# Seconds per epoch and peak RSS of MF-BPR and LightGCN (2 layers) on bundled Baby: a few epochs of
# each, one process at a time, with the CLI built in Release. Output: speed/<model>.log.
# Usage: bench/baselines/speed.sh [EPOCHS] [SPUMR_EXE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
epochs="${1:-5}"
exe="${2:-$root/artifacts/bin/Spumr.Cli/release/spumr}"
mkdir -p "$here/speed"
for args in "mfbpr --reg-weight 0.1" "lightgcn --layers 2 --reg-weight 1e-4" "lightgcn --layers 3 --reg-weight 1e-4"; do
    name="$(echo "$args" | tr -d '-' | tr ' ' '_' | sed 's/__*/_/g')"
    # shellcheck disable=SC2086
    (cd "$root" && /usr/bin/time -v "$exe" train --model $args --epochs "$epochs" --patience "$epochs" --no-save --json \
        > "$here/speed/$name.json" 2> "$here/speed/$name.log")
    printf '%-40s %s s/epoch training, %s s/epoch validation, peak RSS %s MB\n' "$args" \
        "$(jq -r '.seconds_per_epoch*100|round/100' "$here/speed/$name.json")" \
        "$(jq -r '.eval_seconds_per_epoch*100|round/100' "$here/speed/$name.json")" \
        "$(( $(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$here/speed/$name.log") / 1024 ))"
done
