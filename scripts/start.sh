#!/usr/bin/env bash
# The README's run command: installs what is missing, starts the sandbox and everything the
# bundle needs on loopback, prints where to go and who to log in as, and stops it all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
npm run --silent sandbox -- up
trap 'echo; npm run --silent sandbox -- down; exit 0' INT TERM

set -a
# shellcheck disable=SC1091
. .sandbox/env
set +a
npm run --silent sandbox -- status
cat <<MSG

The sandbox is up.
  kubectl:     .sandbox/bin/kubectl --kubeconfig .sandbox/kubeconfig get nodes
  Prometheus:  $PROMETHEUS_URL
  Alertmanager: $ALERTMANAGER_URL
  Users:       admin, ws-admin, alice, bob, viewer — password Sandbox-123 (see tests/sandbox/README.md)
Press Ctrl-C to stop everything.
MSG
while true; do sleep 3600 & wait $!; done
