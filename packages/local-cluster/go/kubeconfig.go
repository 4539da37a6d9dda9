package main

import (
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"spacekit.dev/local-cluster/internal/pki"
)

const clusterName = "spacekit-local"

// writeKubeconfig writes a kubeconfig for one of the control plane's client
// identities, with the certificates embedded so that the file stands alone.
func writeKubeconfig(path, server string, p *pki.PKI, identity string) error {
	client := p.Clients[identity]
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[clusterName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: p.CAPEM}
	cfg.AuthInfos[identity] = &clientcmdapi.AuthInfo{ClientCertificateData: client.CertPEM, ClientKeyData: client.KeyPEM}
	cfg.Contexts[clusterName] = &clientcmdapi.Context{Cluster: clusterName, AuthInfo: identity, Namespace: "default"}
	cfg.CurrentContext = clusterName
	return clientcmd.WriteToFile(*cfg, path)
}

// clientFor is a typed client for the cluster a kubeconfig file names.
func clientFor(kubeconfig string) (kubernetes.Interface, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(cfg)
}
