// Package ociimage writes a one-layer OCI image archive around a static
// binary, so that a node without a registry can run images this project
// builds itself. The archive is an OCI image layout in a tar, which
// `ctr images import` (and so spacekit-cluster image load) reads.
package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"time"
)

// Spec describes the image: the names it is imported under, the binary that
// becomes /NAME, and how it runs.
type Spec struct {
	Refs       []string
	Binary     string
	Entrypoint []string
	// User is "uid:gid"; a non-root user lets restricted Pod Security pass
	// without a runAsUser in every pod.
	User string
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int               `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

const (
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// epoch keeps the archive reproducible: the same binary gives the same digests.
var epoch = time.Unix(0, 0).UTC()

// Write writes the archive for spec to file.
func Write(file string, spec Spec) error {
	if len(spec.Refs) == 0 {
		return fmt.Errorf("an image needs at least one name")
	}
	bin, err := os.ReadFile(spec.Binary)
	if err != nil {
		return fmt.Errorf("read %s: %w", spec.Binary, err)
	}
	layer, diffID, err := rootfs(path.Base(spec.Entrypoint[0]), bin)
	if err != nil {
		return err
	}
	config, err := json.Marshal(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"created":      epoch.Format(time.RFC3339),
		"config": map[string]any{
			"Entrypoint": spec.Entrypoint,
			"User":       spec.User,
			"Env":        []string{"PATH=/"},
			"WorkingDir": "/",
		},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}},
	})
	if err != nil {
		return err
	}
	manifest, err := json.Marshal(map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaManifest,
		"config":        describe(mediaConfig, config),
		"layers":        []descriptor{describe(mediaLayer, layer)},
	})
	if err != nil {
		return err
	}
	var entries []descriptor
	for _, ref := range spec.Refs {
		d := describe(mediaManifest, manifest)
		d.Annotations = map[string]string{"io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref}
		entries = append(entries, d)
	}
	index, err := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	tw := tar.NewWriter(&out)
	files := []struct {
		name string
		data []byte
	}{
		{"oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)},
		{"index.json", index},
	}
	for _, blob := range [][]byte{config, manifest, layer} {
		files = append(files, struct {
			name string
			data []byte
		}{"blobs/sha256/" + hexDigest(blob), blob})
	}
	for _, dir := range []string{"blobs/", "blobs/sha256/"} {
		if err := tw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch}); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := writeFile(tw, f.name, 0o644, f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return os.WriteFile(file, out.Bytes(), 0o600)
}

// rootfs is the image's one layer: the binary, a tmp folder and the user
// database a non-root user needs.
func rootfs(name string, bin []byte) (gz []byte, diffID string, err error) {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, dir := range []struct {
		name string
		mode int64
	}{{"etc/", 0o755}, {"tmp/", 0o1777}} {
		if err := tw.WriteHeader(&tar.Header{Name: dir.name, Typeflag: tar.TypeDir, Mode: dir.mode, ModTime: epoch}); err != nil {
			return nil, "", err
		}
	}
	if err := writeFile(tw, "etc/passwd", 0o644, []byte("root:x:0:0:root:/:/nonexistent\nnobody:x:65534:65534:nobody:/:/nonexistent\n")); err != nil {
		return nil, "", err
	}
	if err := writeFile(tw, "etc/group", 0o644, []byte("root:x:0:\nnogroup:x:65534:\n")); err != nil {
		return nil, "", err
	}
	if err := writeFile(tw, name, 0o755, bin); err != nil {
		return nil, "", err
	}
	if err := tw.Close(); err != nil {
		return nil, "", err
	}
	diffID = "sha256:" + hexDigest(raw.Bytes())
	var zipped bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zipped, gzip.BestSpeed)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return zipped.Bytes(), diffID, nil
}

func writeFile(tw *tar.Writer, name string, mode int64, data []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(data)), ModTime: epoch}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

func describe(mediaType string, data []byte) descriptor {
	return descriptor{MediaType: mediaType, Digest: "sha256:" + hexDigest(data), Size: len(data)}
}

func hexDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
