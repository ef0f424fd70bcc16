#!/usr/bin/env bash
# Property-based API tests with schemathesis (PyPI) against the backend's own OpenAPI documents, with the
# sandbox admin's token: every generated request must get no 5xx and a response that matches its schema.
#   bash tests/integration/backend/schemathesis.sh             starts a backend on a free port itself
#   BACKEND_URL=http://127.0.0.1:8080 bash …/schemathesis.sh   uses a running one (its AUTH_MODE must accept the token)
# Needs the sandbox (`npm run sandbox -- up`). Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/ks-gpu-ml/schemathesis-venv"
version="${SCHEMATHESIS_VERSION:-4.32.5}"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

token="$(cd "$root" && node --import tsx -e "import('./tests/sandbox/src/env.ts').then(m => console.log(m.sandboxUser('admin').token))")"
kubeconfig="$(cd "$root" && node --import tsx -e "import('./tests/sandbox/src/env.ts').then(m => console.log(m.readSandboxEnv().KUBECONFIG))")"
# The sandbox's Prometheus: the default (KubeSphere's in-cluster service) does not resolve here.
prometheus="$(cd "$root" && node --import tsx -e "import('./tests/sandbox/src/env.ts').then(m => console.log(m.readSandboxEnv().PROMETHEUS_URL))")"
# The sandbox's Alertmanager, for the silences routes: without it they rightly answer 502, which fails not_a_server_error.
alertmanager="$(cd "$root" && node --import tsx -e "import('./tests/sandbox/src/env.ts').then(m => console.log(m.readSandboxEnv().ALERTMANAGER_URL))")"

# The fuzzed silence routes create real silences in the sandbox's Alertmanager (business silences by the dozen, for
# hours): expire those the admin made during this run, so the tests after it see the sandbox as they left it.
started="$(date -u +%Y-%m-%dT%H:%M:%S)"
expire_fuzzed_silences() {
  node --input-type=module -e '
    const [am, since] = process.argv.slice(1);
    const signal = () => AbortSignal.timeout(5000);
    const silences = await (await fetch(`${am}/api/v2/silences`, { signal: signal() })).json();
    const fuzzed = silences.filter((s) => s.status.state !== "expired" && s.createdBy === "admin" && s.updatedAt >= since);
    for (const s of fuzzed) await fetch(`${am}/api/v2/silence/${s.id}`, { method: "DELETE", signal: signal() });
    console.log(`schemathesis: expired ${fuzzed.length} silences the run created`);
  ' "$alertmanager" "$started" || true
}

backend_pid=""
cleanup() {
  if [[ -n "$backend_pid" ]]; then kill -TERM "$backend_pid" 2>/dev/null || true; wait "$backend_pid" 2>/dev/null || true; fi
  expire_fuzzed_silences
}
trap cleanup EXIT

url="${BACKEND_URL:-}"
if [[ -z "$url" ]]; then
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  store="$(mktemp -d)/backend.sqlite"
  (cd "$root" && HOST=127.0.0.1 PORT="$port" AUTH_MODE=kubernetes KUBECONFIG="$kubeconfig" PROMETHEUS_URL="$prometheus" ALERTMANAGER_URL="$alertmanager" STORE_URL="sqlite:$store" \
    LOG_LEVEL=warn exec node --import tsx backend/src/server.ts) &
  backend_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
fi

groups="$(curl -fsS "$url/openapi" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).groups.map(g=>g.url).join(' ')))")"
status=0
for path in $groups; do
  echo "schemathesis: $url$path"
  "$venv/bin/schemathesis" run "$url$path" \
    --url "$url" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,negative_data_rejection \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" \
    --request-timeout 10 \
    --no-color || status=1
done
exit "$status"
