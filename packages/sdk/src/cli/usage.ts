/** The help text: every command with its flags, and what the exit status means. */
export const USAGE = `usage: spacekit [--kubeconfig PATH] [--context NAME] <command> [-o text|json|yaml]

Organizations hold Tenants and Tenants hold Spaces; each budget caps the level below.

commands:
  up [--once]                   start a local control plane with Spacekit installed and a sample
                                organization "demo"; runs until Ctrl-C (--once: stop after printing)
  install [--operator]          install or upgrade Spacekit's CRDs, roles and admission policies;
                                --operator adds the operator (namespace, ServiceAccount, RBAC,
                                Deployment, metrics Service) [--operator-replicas N] [--operator-image IMG]
  uninstall                     remove them again (refused while organizations exist)
  operator                      run the operator here: reconcile Space and Tenant objects that people
                                without cluster rights write, repair drift, keep usage in status, meter
                                [--metrics-addr HOST:PORT] [--leader-elect] [--lease-namespace NS]
                                [--organization-selector LABELS] [--workers N] [--meter-dir DIR]
                                [--meter-interval 60s] [--no-meter] [--log-format json|text] [--log-level info|debug]
  usage [ORG[/TENANT[/SPACE]]]  used, allocated and budget per resource at every level [--watch]
  usage report                  metered resource-minutes [--since 7d] [--by space|tenant|organization]
                                [-o table|csv|json] [--store DIR | --operator URL]
  get [ORG[/TENANT[/SPACE]]]    the tree of organizations, tenants and spaces with their budgets
  create org NAME               [--cpu Q] [--memory Q] [--resource NAME=Q]... [--admin USER]...
                                [--viewer USER]... [--allow-unsandboxed] [--allow-privileged]
  create tenant ORG/NAME        [--cpu Q] [--memory Q] [--resource NAME=Q]... [--admin USER]...
                                [--viewer USER]...
  create space ORG/TENANT/NAME  [--cpu Q] [--memory Q] [--resource NAME=Q]... [--sandbox gvisor|none]
                                [--pod-security restricted|baseline|privileged]
                                [--network isolated|tenant|organization] [--allow-from TENANT/SPACE]...
                                [--admin USER]... [--developer USER]... [--viewer USER]...
  update org|tenant|space REF   resize with --cpu, --memory, --resource; a space also takes --sandbox,
                                --pod-security, --network and --allow-from
  delete org NAME | tenant ORG/NAME | space ORG/TENANT/NAME [--no-wait]
  render --org NAME --tenant NAME --space NAME [space options]
                                print the Kubernetes objects of a Space as YAML for kubectl apply -f -;
                                needs no cluster (-o json: a List)
  help                          this text

Q is a quantity such as 500m, 2, 512Mi or 4Gi. Durations are like 90s, 30m, 12h, 7d or 1h30m. USER is a user name, group:NAME or sa:NAMESPACE/NAME.
The kubeconfig defaults to $KUBECONFIG, then ~/.kube/config. The meter's directory defaults to
$SPACEKIT_METER_DIR, then $XDG_STATE_HOME/spacekit/meter (~/.local/state/spacekit/meter).
Exit status: 0 done, 1 the operation failed, 2 the command line is wrong.
`;
