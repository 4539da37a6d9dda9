#!/usr/bin/env bash
# Builds gVisor's runsc and its containerd shim, containerd-shim-runsc-v1, for a
# local cluster's real node (docs/adr/0012). The launcher calls it on a cache
# miss (src/gvisor.ts) and caches OUTDIR by version and patch hash.
#
#   build.sh OUTDIR
#
# - gVisor from the Go module proxy at GVISOR_VERSION: newer than the fix that
#   lets runsc tell a pod's network namespace from the root one on kernels 6.x
#   (upstream 19f6b0c07), older than the 2026 sandbox setup whose /proc umounter
#   cannot start here and the shim move that hard-codes oom_score_adj -999.
# - Built with the Go release its go.mod names (GO_TOOLCHAIN, fetched through
#   the module proxy by GOTOOLCHAIN): gVisor hard-codes Go runtime offsets.
# - patches/*.patch are applied to a copy of the module (patch -p1).
set -euo pipefail

GVISOR_VERSION=v0.0.0-20240925185045-e364897eab6a
GO_TOOLCHAIN=go1.23.1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[ $# -eq 1 ] || { echo "usage: build.sh OUTDIR" >&2; exit 2; }
OUT="$1"
mkdir -p "$OUT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spacekit-gvisor-build-XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

export GOTOOLCHAIN="$GO_TOOLCHAIN" CGO_ENABLED=0 GOFLAGS=-buildvcs=false
cd "$WORK"
go mod init spacekit-gvisor-build >/dev/null 2>&1
moddir="$(go mod download -json "gvisor.dev/gvisor@$GVISOR_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$moddir" ] || { echo "build.sh: could not download gvisor.dev/gvisor@$GVISOR_VERSION" >&2; exit 1; }
cp -r "$moddir" "$WORK/src"
chmod -R u+w "$WORK/src"
for p in "$HERE"/patches/*.patch; do
  patch -d "$WORK/src" -p1 --no-backup-if-mismatch --quiet < "$p"
done
cd "$WORK/src"
go build -trimpath -ldflags "-s -w" -o "$OUT/runsc.tmp" ./runsc
go build -trimpath -ldflags "-s -w" -o "$OUT/containerd-shim-runsc-v1.tmp" ./shim
mv "$OUT/containerd-shim-runsc-v1.tmp" "$OUT/containerd-shim-runsc-v1"
mv "$OUT/runsc.tmp" "$OUT/runsc"
