// Command coredns is CoreDNS compiled with only the plugins a cluster DNS
// needs: the documented way to choose a plugin set at compile time is to
// import coremain, blank-import each plugin so it registers itself, and set
// dnsserver.Directives to the chosen plugins in the order upstream's
// plugin.cfg gives them (that order is the order a query runs through the
// chain, whatever the order in the Corefile).
//
// There is no forward plugin: the cluster has no upstream network, so a name
// outside the kubernetes plugin's zones gets an answer from this server alone
// (REFUSED when the Corefile's server block serves only the cluster zones).
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

// directives is upstream plugin.cfg (CoreDNS v1.15.0) with every other
// plugin left out and the relative order kept.
var directives = []string{
	"reload",
	"bind",
	"ready",
	"health",
	"errors",
	"log",
	"cache",
	"kubernetes",
	"loop",
}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
