#!/usr/bin/env bash
# Builds one node add-on from its Go module in this folder.
#
#   build.sh NAME OUTDIR   build NAME into OUTDIR/NAME (static, stripped)
#   build.sh --key NAME    print NAME's cache key, <version>-<hash16>
#   build.sh --list        print the add-on names
#
# NAME is a folder here (kube-router, coredns). The binary is built with
# CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" from that folder's module,
# whose go.mod pins the upstream release and go.sum is committed, so the build
# uses exactly the dependency versions recorded there (-mod=readonly).
#
# The key is meant for the launcher's cache, ~/.cache/spacekit/addons/NAME/KEY/:
# the upstream version pinned in go.mod, then the first 16 hex digits of a
# sha256 over go.mod, then for each of go.sum and the non-test .go files in
# sorted order "\0<name>\0<content>" -- the same scheme as binaryKey() in
# ../src/binary.ts. A cached binary stays right while neither changes.
set -euo pipefail

ADDONS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { printf 'addons/build.sh: %s\n' "$*" >&2; exit 1; }

# The upstream module each add-on pins, and the package that is its main.
upstream_module() {
  case "$1" in
    kube-router) echo github.com/cloudnativelabs/kube-router/v2 ;;
    coredns) echo github.com/coredns/coredns ;;
    *) die "unknown add-on '$1' (known: kube-router coredns)" ;;
  esac
}
main_package() {
  case "$1" in
    kube-router) echo github.com/cloudnativelabs/kube-router/v2/cmd/kube-router ;;
    coredns) echo . ;;
  esac
}

# The pinned version, read from go.mod without running go.
pinned_version() {
  local mod
  mod="$(upstream_module "$1")"
  awk -v m="$mod" '($1 == m || ($1 == "require" && $2 == m)) { print ($1 == m ? $2 : $3); exit }' \
    "$ADDONS_DIR/$1/go.mod"
}

cache_key() {
  local name="$1" dir="$ADDONS_DIR/$1" version
  version="$(pinned_version "$name")"
  [ -n "$version" ] || die "$name/go.mod does not require $(upstream_module "$name")"
  local hash
  hash="$(
    cd "$dir"
    {
      cat go.mod
      # go.sum and non-test .go files, sorted by path as JS's default sort does (byte order).
      find . -type f \( -name go.sum -o \( -name '*.go' ! -name '*_test.go' \) \) -printf '%P\n' |
        LC_ALL=C sort |
        while IFS= read -r f; do
          printf '\0%s\0' "$f"
          cat "$f"
        done
    } | sha256sum | cut -c1-16
  )"
  echo "$version-$hash"
}

case "${1:-}" in
  --list) echo kube-router; echo coredns; exit 0 ;;
  --key) [ $# -eq 2 ] || die "usage: build.sh --key NAME"; upstream_module "$2" >/dev/null; cache_key "$2"; exit 0 ;;
  -h|--help|"") sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ]; exit ;;
esac

[ $# -eq 2 ] || die "usage: build.sh NAME OUTDIR"
NAME="$1"
OUTDIR="$2"
MODULE="$(upstream_module "$NAME")"
PKG="$(main_package "$NAME")"
VERSION="$(pinned_version "$NAME")"
command -v go >/dev/null || die "go is not installed (Go 1.26 or newer is needed)"

LDFLAGS="-s -w"
case "$NAME" in
  # kube-router's own Makefile stamps its version this way; without it the log says "version ,".
  kube-router) LDFLAGS="$LDFLAGS -X $MODULE/pkg/version.Version=$VERSION" ;;
esac

mkdir -p "$OUTDIR"
OUT="$(cd "$OUTDIR" && pwd)/$NAME"
TMP="$OUT.tmp-$$"
trap 'rm -f "$TMP"' EXIT
started=$(date +%s)
(
  cd "$ADDONS_DIR/$NAME"
  CGO_ENABLED=0 go build -mod=readonly -buildvcs=false -trimpath -ldflags "$LDFLAGS" -o "$TMP" "$PKG"
)
mv -f "$TMP" "$OUT"
printf 'addons/build.sh: built %s %s (%s) into %s in %ss\n' \
  "$NAME" "$VERSION" "$(cache_key "$NAME")" "$OUT" "$(( $(date +%s) - started ))" >&2
