#!/usr/bin/env bash
# The README's test command: installs what is missing, checks types and lint, starts the sandbox
# of real servers, runs every test (unit, integration, smoke) in one node:test run, and stops
# the sandbox again, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
npm run --silent typecheck
npm run --silent lint

started_here=0
if ! npm run --silent sandbox -- status >/dev/null 2>&1; then
  npm run --silent sandbox -- up
  started_here=1
fi
stop_sandbox() { if [ "$started_here" = 1 ]; then npm run --silent sandbox -- down; fi; }
trap stop_sandbox EXIT

# Property-based API tests (schemathesis, from PyPI) against the backend's own OpenAPI documents.
bash tests/integration/backend/schemathesis.sh

# Last, so that node's test summary closes the output.
node scripts/run-tests.mjs all
