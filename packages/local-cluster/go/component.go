package main

import (
	"os"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	"k8s.io/component-base/version"
)

// runComponent runs an upstream cobra command the way its own main() would.
func runComponent(command *cobra.Command, args []string) {
	exitWithParent()
	command.SetArgs(args)
	os.Exit(cli.Run(command))
}

func kubeVersion() string {
	return version.Get().GitVersion
}
