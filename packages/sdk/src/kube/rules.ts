/** One rule of a SelfSubjectRulesReview's answer, as RBAC states it. */
export interface ResourceRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
}

/** A request to authorize: a verb on a resource (optionally a subresource, `serviceaccounts/token`) of a group, maybe one object. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  name?: string;
}

const has = (values: readonly string[] | undefined, wanted: string) => values?.some((v) => v === '*' || v === wanted) ?? false;

function coversResource(patterns: readonly string[] | undefined, resource: string): boolean {
  if (has(patterns, resource)) return true;
  const [parent, sub] = resource.split('/');
  // RBAC's own forms: `pods/*` (every subresource of pods) and `*/scale` (that subresource of everything).
  return sub !== undefined && (patterns?.some((p) => p === `${parent}/*` || p === `*/${sub}`) ?? false);
}

/**
 * Whether these rules allow the request, matched as RBAC matches them: `*`
 * wildcards, subresource patterns, and resourceNames that narrow a rule to
 * named objects (a rule with names never allows a request without one, such
 * as create or list).
 */
export function rulesAllow(rules: readonly ResourceRule[], request: ResourceAttributes): boolean {
  return rules.some((rule) => {
    if (!has(rule.verbs, request.verb) || !has(rule.apiGroups, request.group) || !coversResource(rule.resources, request.resource))
      return false;
    if (!rule.resourceNames || rule.resourceNames.length === 0) return true;
    return request.name !== undefined && rule.resourceNames.includes(request.name);
  });
}
