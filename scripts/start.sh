#!/usr/bin/env bash
# The README's run command: installs what is missing, starts the sandbox, then the backend, the
# ks-apiserver stand-in and the real KubeSphere console with our extensions on http://localhost:8000
# (PORT=... to change it), prints who to log in as, and stops everything on Ctrl-C. Seeds a demo (workloads
# with GPU load profiles, quotas, a blocked job: tests/sandbox/src/demo-plan.ts) so every page shows live data;
# `npm start -- --empty` starts the cluster empty instead.
set -euo pipefail
cd "$(dirname "$0")/.."

seed_demo=1
for arg in "$@"; do
  case "$arg" in
    --empty) seed_demo=0 ;;
    *) echo "usage: npm start [-- --empty]   (--empty: no demo workloads or quotas)" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
npm run --silent sandbox -- up
stop() { trap - INT TERM EXIT; [ -n "${stack_pid:-}" ] && kill -TERM "$stack_pid" 2>/dev/null && wait "$stack_pid"; npm run --silent sandbox -- down; }
trap stop INT TERM EXIT
# A demo that fails to seed is reported, not fatal: the console is still worth opening.
if [ "$seed_demo" = 1 ]; then
  npm run --silent sandbox -- demo || echo "The demo was not fully seeded (see above); the console starts anyway." >&2
fi

cat <<MSG

Users (password Sandbox-123): admin (platform admin), ws-admin (workspace ws-alpha),
alice (project alpha-train), bob (project beta-research), viewer (alpha-train, read only).
Sandbox: .sandbox/env; kubectl: .sandbox/bin/kubectl --kubeconfig .sandbox/kubeconfig get nodes
Starting the console (about 10 s)…
MSG
node --import tsx tests/e2e/stack.ts --port "${PORT:-8000}" &
stack_pid=$!
wait "$stack_pid"
