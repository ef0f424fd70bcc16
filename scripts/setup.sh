#!/usr/bin/env bash
# Installs whatever is missing for running and testing the bundle, and nothing that is already there:
# Debian packages, npm packages (npm ci when package-lock.json changed), and the Go-built sandbox
# binaries (cached under ~/.cache/ks-gpu-ml by version). Safe to run again; fast when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: the sandbox's real servers, the browser for browser tests, the databases for the store.
# fonts-noto-cjk: the Chinese pages are read in screenshots too. python3-aiosmtpd: the sandbox's SMTP server.
apt_packages=(prometheus prometheus-alertmanager openssl chromium fonts-noto-cjk postgresql mariadb-server python3-venv python3-aiosmtpd)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=''
  [ "$(id -u)" -eq 0 ] || sudo='sudo'
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these as system services on install; the sandbox runs its own instances instead.
  for svc in prometheus prometheus-alertmanager postgresql mariadb; do
    $sudo service "$svc" stop >/dev/null 2>&1 || true
  done
fi

command -v go >/dev/null || { say "Go is required to build the sandbox's Kubernetes binaries"; exit 1; }

# npm packages: reinstall only when the lock file changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
stamp=node_modules/.ks-gpu-ml-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say 'npm ci'
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

# Go-built binaries (Kubernetes control plane, KWOK, Helm for the chart tests and packages): built once per
# version, then cached.
node --import tsx tests/sandbox/src/cli.ts build

# The real KubeSphere console's production build: once per console version, then cached.
npm run --silent console -- build

# Our extension bundles (about 10 s).
npm run --silent build
