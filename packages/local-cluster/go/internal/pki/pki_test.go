package pki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"
)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s holds no PEM block", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestServingCertificateVerifiesForLoopbackAndServiceNames(t *testing.T) {
	p, err := New(t.TempDir(), "10.96.0.1")
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(readCert(t, p.CACert))
	serving := readCert(t, p.ServingCert)
	for _, name := range []string{"127.0.0.1", "::1", "localhost", "10.96.0.1", "kubernetes.default.svc.cluster.local"} {
		if _, err := serving.Verify(x509.VerifyOptions{Roots: roots, DNSName: name, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("serving certificate does not verify for %s: %v", name, err)
		}
	}
	if _, err := serving.Verify(x509.VerifyOptions{Roots: roots, DNSName: "example.com"}); err == nil {
		t.Error("serving certificate verified for a name it must not cover")
	}
}

func TestClientIdentitiesAreSignedByTheCA(t *testing.T) {
	p, err := New(t.TempDir(), "10.96.0.1")
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.CA)
	for name, subject := range ClientIdentities {
		pair, ok := p.Clients[name]
		if !ok {
			t.Fatalf("no client certificate for %s", name)
		}
		if _, err := tls.X509KeyPair(pair.CertPEM, pair.KeyPEM); err != nil {
			t.Errorf("%s: certificate and key do not match: %v", name, err)
		}
		block, _ := pem.Decode(pair.CertPEM)
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if cert.Subject.CommonName != subject.CommonName {
			t.Errorf("%s: common name %q, want %q", name, cert.Subject.CommonName, subject.CommonName)
		}
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: does not verify as a client certificate: %v", name, err)
		}
	}
	if got := p.Clients["admin"]; got.CertPEM == nil {
		t.Fatal("no admin identity")
	}
}

func TestKeysAreOwnerOnly(t *testing.T) {
	p, err := New(t.TempDir(), "10.96.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p.CAKey, p.ServingKey, p.SAKey} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", path, mode)
		}
	}
}

func TestEveryRunMakesAFreshCA(t *testing.T) {
	a, err := New(t.TempDir(), "10.96.0.1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(t.TempDir(), "10.96.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if string(a.CAPEM) == string(b.CAPEM) {
		t.Fatal("two runs produced the same CA")
	}
}
