#!/usr/bin/env bash
# Removes everything kube-router's NetworkPolicy firewall creates, in the
# network namespace this runs in (run it under `ip netns exec NS` for a netns):
#   filter table: the jumps from INPUT, FORWARD and OUTPUT, and the chains
#     KUBE-ROUTER-INPUT, KUBE-ROUTER-FORWARD, KUBE-ROUTER-OUTPUT,
#     KUBE-NWPLCY-DEFAULT, KUBE-NWPLCY-*, KUBE-POD-FW-*   (IPv4 and IPv6)
#   ipsets: KUBE-SRC-*, KUBE-DST-*, and TMP-<16 base32> left by a crash mid-swap
#
# Why not `kube-router --cleanup-config`: in v2.1.0 it logs "Successfully
# cleaned the NetworkPolicyController configurations" yet removes nothing (its
# controller is built without iptables/ipset handlers), then panics in the
# service proxy's cleanup; upstream fixed this after v2.1.0 (PR #1650).
# Stop kube-router first: while it runs it puts everything back on its next sync.
# Idempotent; touches no other chain or set. Prints what it removed.
set -euo pipefail

CHAIN_RE='^(KUBE-ROUTER-(INPUT|FORWARD|OUTPUT)|KUBE-NWPLCY-.+|KUBE-POD-FW-.+)$'
SET_RE='^(KUBE-(SRC|DST)-.+|TMP-[A-Z2-7]{16})$'

clean_family() {
  local ipt="$1"
  command -v "$ipt" >/dev/null || return 0
  "$ipt" -w -t filter -S >/dev/null 2>&1 || return 0
  # 1. The jumps from the built-in chains: any rule there that targets one of
  #    our chains, deleted by number (highest first; line 1 of -S is the policy).
  local builtin n
  for builtin in INPUT FORWARD OUTPUT; do
    for n in $("$ipt" -w -t filter -S "$builtin" |
      awk -v re="-j KUBE-(ROUTER-(INPUT|FORWARD|OUTPUT)|NWPLCY-|POD-FW-)" '/^-A / && $0 ~ re { print NR - 1 }' | sort -rn); do
      echo "$ipt: delete rule $n of $builtin: $("$ipt" -w -t filter -S "$builtin" | sed -n "$((n + 1))p")"
      "$ipt" -w -t filter -D "$builtin" "$n"
    done
  done
  # 2. Flush all our chains (drops the jumps between them), then delete them.
  local chains
  chains="$("$ipt" -w -t filter -S | sed -n 's/^-N //p' | grep -E "$CHAIN_RE" || true)"
  [ -n "$chains" ] || return 0
  local c
  for c in $chains; do "$ipt" -w -t filter -F "$c"; done
  for c in $chains; do "$ipt" -w -t filter -X "$c"; echo "$ipt: delete chain $c"; done
}

clean_family iptables
clean_family ip6tables

if command -v ipset >/dev/null; then
  for s in $(ipset list -n 2>/dev/null | grep -E "$SET_RE" || true); do
    ipset destroy "$s"
    echo "ipset: destroy $s"
  done
fi
