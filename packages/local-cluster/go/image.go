package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"spacekit.dev/local-cluster/internal/ociimage"
)

// runImage implements `spacekit-cluster image load --data-dir DIR FILE...`:
// it imports image archives (an OCI layout or a `docker save` tar) into the
// containerd of every real node of the cluster in DIR, so that pods with
// imagePullPolicy Never or IfNotPresent run them without a registry.
func runImage(args []string) int {
	if len(args) > 0 && args[0] == "build" {
		return runImageBuild(args[1:])
	}
	if len(args) == 0 || args[0] != "load" {
		fmt.Fprintln(os.Stderr, "usage: spacekit-cluster image load --data-dir DIR FILE... | image build --binary BIN --name REF --out FILE")
		return 2
	}
	fs := flag.NewFlagSet("image load", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "the running cluster's data folder (printed by up)")
	ctr := fs.String("ctr", "/usr/bin/ctr", "containerd's ctr binary")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *dataDir == "" || fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "spacekit-cluster image load: give --data-dir and at least one image archive")
		return 2
	}
	sockets, _ := filepath.Glob(filepath.Join(*dataDir, "nodes", "*", "containerd.sock"))
	if len(sockets) == 0 {
		fmt.Fprintf(os.Stderr, "spacekit-cluster image load: the cluster in %s has no real node to load images into (is it running, with --nodes 1?)\n", *dataDir)
		return 1
	}
	for _, file := range fs.Args() {
		if info, err := os.Stat(file); err != nil || info.IsDir() {
			fmt.Fprintf(os.Stderr, "spacekit-cluster image load: %s is not an image archive file (an OCI layout or docker save tar)\n", file)
			return 1
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, socket := range sockets {
		for _, file := range fs.Args() {
			if err := importImage(ctx, *ctr, socket, file); err != nil {
				fmt.Fprintf(os.Stderr, "spacekit-cluster image load: %v\n", err)
				return 1
			}
			fmt.Printf("loaded %s into %s\n", file, filepath.Base(filepath.Dir(socket)))
		}
	}
	return 0
}

// runImageBuild implements `spacekit-cluster image build`: a one-layer OCI
// image archive around one static binary, the way the node's own images are
// made, for apps that are a single static program.
func runImageBuild(args []string) int {
	fs := flag.NewFlagSet("image build", flag.ContinueOnError)
	binary := fs.String("binary", "", "a static executable; it becomes /NAME in the image and its entrypoint")
	name := fs.String("name", "", "the image's name, such as example.dev/app:1")
	out := fs.String("out", "", "where to write the archive")
	user := fs.String("user", "65534:65534", "uid:gid the image runs as (non-root passes Pod Security restricted)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *binary == "" || *name == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "spacekit-cluster image build: give --binary, --name and --out")
		return 2
	}
	entry := "/" + filepath.Base(*binary)
	if err := ociimage.Write(*out, ociimage.Spec{Refs: []string{*name}, Binary: *binary, Entrypoint: []string{entry}, User: *user}); err != nil {
		fmt.Fprintf(os.Stderr, "spacekit-cluster image build: %v\n", err)
		return 1
	}
	fmt.Printf("wrote %s (%s, entrypoint %s)\n", *out, *name, entry)
	return 0
}
