package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	"k8s.io/component-base/version"
	"spacekit.dev/local-cluster/internal/lifetime"
)

// componentShutdownBound matches the grace the supervisor gives a child
// before it SIGKILLs it.
const componentShutdownBound = 10 * time.Second

// runComponent runs an upstream cobra command the way its own main() would.
func runComponent(command *cobra.Command, args []string) {
	lifetime.ExitWithParent(componentShutdownBound)
	command.SetArgs(args)
	os.Exit(cli.Run(command))
}

func kubeVersion() string {
	return version.Get().GitVersion
}
