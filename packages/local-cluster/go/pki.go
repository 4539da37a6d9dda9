package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki holds the paths of the certificates and keys that one control plane
// run generates. Everything is created fresh at start and lives in the data
// folder, so no secret outlives the cluster.
type pki struct {
	dir           string
	caCert, caKey string
	servingCert   string
	servingKey    string
	saKey, saPub  string
	clients       map[string]clientCert
	ca            *x509.Certificate
	caSigner      crypto.Signer
	caPEM         []byte
}

type clientCert struct {
	certPEM, keyPEM []byte
}

// clientIdentities are the users the control plane itself needs. The admin
// is in system:masters; the components use the identities their built-in
// RBAC roles are bound to.
var clientIdentities = map[string]pkix.Name{
	"admin":              {CommonName: "spacekit-admin", Organization: []string{"system:masters"}},
	"controller-manager": {CommonName: "system:kube-controller-manager"},
	"scheduler":          {CommonName: "system:kube-scheduler"},
}

func newPKI(dir string) (*pki, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pki{
		dir:         dir,
		caCert:      filepath.Join(dir, "ca.crt"),
		caKey:       filepath.Join(dir, "ca.key"),
		servingCert: filepath.Join(dir, "apiserver.crt"),
		servingKey:  filepath.Join(dir, "apiserver.key"),
		saKey:       filepath.Join(dir, "sa.key"),
		saPub:       filepath.Join(dir, "sa.pub"),
		clients:     map[string]clientCert{},
	}
	if err := p.makeCA(); err != nil {
		return nil, fmt.Errorf("certificate authority: %w", err)
	}
	if err := p.makeServing(); err != nil {
		return nil, fmt.Errorf("apiserver serving certificate: %w", err)
	}
	if err := p.makeServiceAccountKey(); err != nil {
		return nil, fmt.Errorf("service account key: %w", err)
	}
	for name, subject := range clientIdentities {
		certPEM, keyPEM, err := p.sign(subject, nil, nil, x509.ExtKeyUsageClientAuth)
		if err != nil {
			return nil, fmt.Errorf("client certificate %s: %w", name, err)
		}
		p.clients[name] = clientCert{certPEM, keyPEM}
	}
	return p, nil
}

func newKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func (p *pki) makeCA() error {
	key, err := newKey()
	if err != nil {
		return err
	}
	sn, err := serial()
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: "spacekit-local-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return err
	}
	p.ca, err = x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	p.caSigner = key
	p.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM, err := encodeKey(key)
	if err != nil {
		return err
	}
	return writeFiles(map[string][]byte{p.caCert: p.caPEM, p.caKey: keyPEM})
}

func (p *pki) makeServing() error {
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP(serviceIP)}
	dns := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	certPEM, keyPEM, err := p.sign(pkix.Name{CommonName: "kube-apiserver"}, ips, dns, x509.ExtKeyUsageServerAuth)
	if err != nil {
		return err
	}
	return writeFiles(map[string][]byte{p.servingCert: certPEM, p.servingKey: keyPEM})
}

func (p *pki) makeServiceAccountKey() error {
	key, err := newKey()
	if err != nil {
		return err
	}
	keyPEM, err := encodeKey(key)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return err
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	return writeFiles(map[string][]byte{p.saKey: keyPEM, p.saPub: pubPEM})
}

func (p *pki) sign(subject pkix.Name, ips []net.IP, dns []string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte, err error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: sn,
		Subject:      subject,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  ips,
		DNSNames:     dns,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, key.Public(), p.caSigner)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err = encodeKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), keyPEM, nil
}

func encodeKey(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}

func writeFiles(files map[string][]byte) error {
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
