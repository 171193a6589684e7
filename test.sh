#!/usr/bin/env bash
# Runs the whole test suite. Integration tests start their own redis-server (Debian's
# redis-server package), a private RabbitMQ node where a test is about RabbitMQ (rabbitmq-server;
# those tests are skipped without it) and the in-process Kafka mock cluster; this script installs
# what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
optional=()
[[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || optional+=(rabbitmq-server)
if ((${#need[@]} + ${#optional[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing ${need[*]} ${optional[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" "${optional[@]}" >/dev/null
    elif ((${#need[@]})); then
        echo "test.sh: the tests need: ${need[*]} (Debian: sudo apt-get install -y ${need[*]})" >&2
        exit 1
    else
        echo "test.sh: ${optional[*]} is missing; the RabbitMQ tests will be skipped (Debian: sudo apt-get install -y ${optional[*]})" >&2
    fi
fi

dotnet test "$root/Spumr.sln" -c Release --nologo --blame-hang-timeout 10m "$@"
