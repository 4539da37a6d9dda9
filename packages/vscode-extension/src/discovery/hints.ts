import { organizationNameProblem, parseNamespace } from '@spacekit/sdk';
import { levelOf, parseScope, type Scope, scopeKey } from '../model/scope.ts';

/** Where to look for a user who may not list Organizations, and the settings that could not be read. */
export interface Hints {
  scopes: Scope[];
  problems: string[];
}

/**
 * The scopes to try when listing Organizations is forbidden: the
 * `spacekit.scopes` setting, then the kubeconfig context's namespace when it
 * is a Tenant's (`acme--payments`) or a Space's (`acme--payments--dev`). A
 * plain namespace such as `default` or `myapp` says nothing about Spacekit,
 * so a one-level namespace counts only from the setting.
 */
export function scopeHints(settingScopes: readonly string[], contextNamespace: string | undefined): Hints {
  const scopes: Scope[] = [];
  const problems: string[] = [];
  for (const text of settingScopes) {
    const parsed = parseScope(text);
    if ('problem' in parsed) problems.push(`spacekit.scopes: ${parsed.problem}`);
    else scopes.push(parsed.scope);
  }
  const fromContext = contextNamespace ? parseNamespace(contextNamespace) : undefined;
  if (fromContext && fromContext.tenant !== undefined && organizationNameProblem(fromContext.organization) === undefined) {
    scopes.push(fromContext);
  }
  const seen = new Set<string>();
  const unique = scopes.filter((s) => {
    const key = scopeKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Widest first: a readable Tenant already shows the Spaces hinted below it.
  const depth = { organization: 0, tenant: 1, space: 2 } as const;
  unique.sort((a, b) => depth[levelOf(a)] - depth[levelOf(b)]);
  return { scopes: unique, problems };
}

/** The scopes from the widest down to `scope` itself: `acme`, `acme/payments`, `acme/payments/dev`. */
export function widening(scope: Scope): Scope[] {
  const out: Scope[] = [{ organization: scope.organization }];
  if (scope.tenant !== undefined) out.push({ organization: scope.organization, tenant: scope.tenant });
  if (scope.tenant !== undefined && scope.space !== undefined)
    out.push({ organization: scope.organization, tenant: scope.tenant, space: scope.space });
  return out;
}
