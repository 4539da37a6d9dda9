package ociimage

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func readTar(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		files[h.Name] = body
	}
}

func TestWriteMakesAnImportableLayoutWhoseDigestsMatch(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "probe")
	if err := os.WriteFile(bin, []byte("#!binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "image.tar")
	if err := Write(out, Spec{Refs: []string{"a.example/x:1", "b.example/y:2"}, Binary: bin, Entrypoint: []string{"/probe"}, User: "65534:65534"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	files := readTar(t, data)
	if string(files["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
		t.Fatalf("oci-layout = %q", files["oci-layout"])
	}
	blob := func(digest string) []byte {
		b, ok := files["blobs/sha256/"+digest[len("sha256:"):]]
		if !ok {
			t.Fatalf("no blob %s", digest)
		}
		sum := sha256.Sum256(b)
		if "sha256:"+hex.EncodeToString(sum[:]) != digest {
			t.Fatalf("blob %s has another digest", digest)
		}
		return b
	}
	var index struct {
		Manifests []descriptor `json:"manifests"`
	}
	if err := json.Unmarshal(files["index.json"], &index); err != nil {
		t.Fatal(err)
	}
	if len(index.Manifests) != 2 || index.Manifests[1].Annotations["io.containerd.image.name"] != "b.example/y:2" {
		t.Fatalf("index = %+v", index)
	}
	var manifest struct {
		Config descriptor   `json:"config"`
		Layers []descriptor `json:"layers"`
	}
	if err := json.Unmarshal(blob(index.Manifests[0].Digest), &manifest); err != nil {
		t.Fatal(err)
	}
	var config struct {
		Config struct {
			Entrypoint []string
			User       string
		} `json:"config"`
		Rootfs struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	if err := json.Unmarshal(blob(manifest.Config.Digest), &config); err != nil {
		t.Fatal(err)
	}
	if config.Config.User != "65534:65534" || config.Config.Entrypoint[0] != "/probe" {
		t.Fatalf("config = %+v", config)
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob(manifest.Layers[0].Digest)))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	sum := sha256.Sum256(raw)
	if config.Rootfs.DiffIDs[0] != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Fatal("diff_id is not the digest of the uncompressed layer")
	}
	layer := readTar(t, raw)
	if string(layer["probe"]) != "#!binary" || !bytes.Contains(layer["etc/passwd"], []byte("nobody:x:65534")) {
		t.Fatalf("layer files = %v", layer)
	}
}

func TestWriteIsReproducible(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "pause")
	_ = os.WriteFile(bin, []byte("pause"), 0o755)
	spec := Spec{Refs: []string{"x:1"}, Binary: bin, Entrypoint: []string{"/pause"}}
	a, b := filepath.Join(dir, "a.tar"), filepath.Join(dir, "b.tar")
	if err := Write(a, spec); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, spec); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Fatal("two archives of the same binary differ")
	}
}

func TestWriteRefusesAnImageWithoutAName(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "x.tar"), Spec{Binary: "/bin/true", Entrypoint: []string{"/true"}}); err == nil {
		t.Fatal("an image without a name was written")
	}
}
