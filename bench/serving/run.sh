#!/usr/bin/env bash
# Load benchmark of the Serving API (see REPORT.md): a private redis-server with Baby-sized random
# embeddings (19,445 users x 64, 7,050 items x 64) and 20 seen items per user, `spumr serve` on it,
# then wrk rotating over all user ids for k=20, beside redis-benchmark GET of a stored 20-id list.
# Usage: bench/serving/run.sh [duration, default 30s] ["connection counts", default "8 32"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
duration="${1:-30s}"
connections="${2:-8 32}"
redis_port="${SPUMR_BENCH_REDIS_PORT:-6391}"
http_port="${SPUMR_BENCH_HTTP_PORT:-8091}"
cache_size="${SPUMR_BENCH_CACHE_SIZE:-100000}"   # 0: every request reads the user's vector from Redis
work="$(mktemp -d)"
for tool in redis-server redis-cli redis-benchmark wrk; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (Debian: apt-get install -y redis-server redis-tools wrk)" >&2; exit 1; }
done

serve_pid=""
cleanup() {
    [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(uname -sr); started $(date -u +%FT%TZ)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log"
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done

echo "== publish (dotnet bench/EmbeddingStore)"
dotnet build "$root/bench/EmbeddingStore" -c Release -nologo -v quiet >/dev/null
dotnet build "$root/src/Cli" -c Release -nologo -v quiet >/dev/null
"$root/artifacts/bin/Spumr.Bench.EmbeddingStore/release/Spumr.Bench.EmbeddingStore" \
    --redis "127.0.0.1:$redis_port" --prefix bench --repeat 3 --seen-per-user 20 \
    --user-ids-file "$work/users.txt"

echo "== spumr serve (user cache size $cache_size)"
"$root/artifacts/bin/Spumr.Cli/release/spumr" serve --redis "127.0.0.1:$redis_port" --prefix bench \
    --urls "http://127.0.0.1:$http_port" --cache-size "$cache_size" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$http_port/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "http://127.0.0.1:$http_port/health/ready" >/dev/null || { cat "$work/serve.log"; echo "run.sh: serving did not become ready" >&2; exit 1; }
echo "sample: $(curl -s "http://127.0.0.1:$http_port/v1/users/$(head -1 "$work/users.txt")/recommendations?k=20" | cut -c1-200)..."

export SPUMR_USER_IDS="$work/users.txt"
echo "== wrk warm-up (10s, not reported)"
wrk -t2 -c32 -d10s -s "$root/bench/serving/recommendations.lua" "http://127.0.0.1:$http_port" >/dev/null
echo "== wrk -t2 -c24 -d$duration --latency, each connection waiting 4 ms between requests (offered load capped near 3,000 req/s)"
SPUMR_PACE_MS=4 wrk -t2 -c24 -d"$duration" --latency -s "$root/bench/serving/recommendations.lua" "http://127.0.0.1:$http_port"
for c in $connections; do
    echo "== wrk -t2 -c$c -d$duration --latency (GET /v1/users/{id}/recommendations?k=20, $(wc -l <"$work/users.txt") user ids)"
    wrk -t2 -c"$c" -d"$duration" --latency -s "$root/bench/serving/recommendations.lua" "http://127.0.0.1:$http_port"
done

redis-cli -p "$redis_port" set bench:top20 "$(head -20 "$work/users.txt" | paste -sd, -)" >/dev/null
for c in $connections; do
    echo "== redis-benchmark -c $c -n 300000 GET bench:top20 (a stored 20-id list, same redis-server)"
    redis-benchmark -p "$redis_port" -c "$c" -n 300000 GET bench:top20 | sed -n '/Summary/,$p'
done

echo "== serving metrics after the run (excerpt)"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^(spumr_serving_((recommendations|user_cache_lookups|redis_failures)_total|ranking_duration_seconds_(sum|count))|dotnet_gc_(pause_time|collections))' || true
