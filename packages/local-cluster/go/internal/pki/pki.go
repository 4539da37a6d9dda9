package pki

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

// Package pki makes the certificates and keys one control plane run needs.
// Everything is created fresh at start and lives in the run's data folder,
// so no secret outlives the cluster.

// PKI holds the paths of the files written and the client identities made.
type PKI struct {
	Dir           string
	CACert, CAKey string
	ServingCert   string
	ServingKey    string
	SAKey, SAPub  string
	Clients       map[string]ClientCert
	CA            *x509.Certificate
	caSigner      crypto.Signer
	CAPEM         []byte
}

// ClientCert is a PEM certificate and key for one client identity.
type ClientCert struct {
	CertPEM, KeyPEM []byte
}

// ClientIdentities are the users the control plane itself needs. The admin
// is in system:masters; the components use the identities their built-in
// RBAC roles are bound to.
var ClientIdentities = map[string]pkix.Name{
	"admin":              {CommonName: "spacekit-admin", Organization: []string{"system:masters"}},
	"controller-manager": {CommonName: "system:kube-controller-manager"},
	"scheduler":          {CommonName: "system:kube-scheduler"},
	// The apiserver's identity towards kubelets (logs, exec, port-forward), as kubeadm makes it.
	"apiserver-kubelet-client": {CommonName: "kube-apiserver-kubelet-client", Organization: []string{"system:masters"}},
	// Bound to system:node-proxier by the apiserver's bootstrap policy.
	"kube-proxy": {CommonName: "system:kube-proxy"},
	// The NetworkPolicy engine; its ClusterRole is installed with the node.
	"netpol": {CommonName: "system:spacekit-netpol"},
}

// AddClient issues a client certificate for one more identity, such as a
// kubelet's system:node:NAME, and keeps it under name.
func (p *PKI) AddClient(name string, subject pkix.Name) error {
	certPEM, keyPEM, err := p.sign(subject, nil, nil, x509.ExtKeyUsageClientAuth)
	if err != nil {
		return fmt.Errorf("client certificate %s: %w", name, err)
	}
	p.Clients[name] = ClientCert{certPEM, keyPEM}
	return nil
}

// WriteClient writes an identity's certificate and key as files, for
// components that take them as flags, and returns their paths.
func (p *PKI) WriteClient(name string) (certFile, keyFile string, err error) {
	c, ok := p.Clients[name]
	if !ok {
		return "", "", fmt.Errorf("no client identity %q", name)
	}
	certFile, keyFile = filepath.Join(p.Dir, name+".crt"), filepath.Join(p.Dir, name+".key")
	return certFile, keyFile, writeFiles(map[string][]byte{certFile: c.CertPEM, keyFile: c.KeyPEM})
}

// New writes a CA, an apiserver serving certificate for loopback and the
// in-cluster service names, a service-account key pair and client
// certificates for every ClientIdentities entry into dir.
func New(dir string, serviceIP string) (*PKI, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &PKI{
		Dir:         dir,
		CACert:      filepath.Join(dir, "ca.crt"),
		CAKey:       filepath.Join(dir, "ca.key"),
		ServingCert: filepath.Join(dir, "apiserver.crt"),
		ServingKey:  filepath.Join(dir, "apiserver.key"),
		SAKey:       filepath.Join(dir, "sa.key"),
		SAPub:       filepath.Join(dir, "sa.pub"),
		Clients:     map[string]ClientCert{},
	}
	if err := p.makeCA(); err != nil {
		return nil, fmt.Errorf("certificate authority: %w", err)
	}
	if err := p.makeServing(serviceIP); err != nil {
		return nil, fmt.Errorf("apiserver serving certificate: %w", err)
	}
	if err := p.makeServiceAccountKey(); err != nil {
		return nil, fmt.Errorf("service account key: %w", err)
	}
	for name, subject := range ClientIdentities {
		certPEM, keyPEM, err := p.sign(subject, nil, nil, x509.ExtKeyUsageClientAuth)
		if err != nil {
			return nil, fmt.Errorf("client certificate %s: %w", name, err)
		}
		p.Clients[name] = ClientCert{certPEM, keyPEM}
	}
	return p, nil
}

func newKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func (p *PKI) makeCA() error {
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
	p.CA, err = x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	p.caSigner = key
	p.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM, err := encodeKey(key)
	if err != nil {
		return err
	}
	return writeFiles(map[string][]byte{p.CACert: p.CAPEM, p.CAKey: keyPEM})
}

func (p *PKI) makeServing(serviceIP string) error {
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP(serviceIP)}
	dns := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	certPEM, keyPEM, err := p.sign(pkix.Name{CommonName: "kube-apiserver"}, ips, dns, x509.ExtKeyUsageServerAuth)
	if err != nil {
		return err
	}
	return writeFiles(map[string][]byte{p.ServingCert: certPEM, p.ServingKey: keyPEM})
}

func (p *PKI) makeServiceAccountKey() error {
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
	return writeFiles(map[string][]byte{p.SAKey: keyPEM, p.SAPub: pubPEM})
}

func (p *PKI) sign(subject pkix.Name, ips []net.IP, dns []string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte, err error) {
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.CA, key.Public(), p.caSigner)
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
