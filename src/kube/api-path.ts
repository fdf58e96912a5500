/** A kind as the API serves it: enough to name its collection and its objects. */
export interface ResourceType {
  apiVersion: string;
  kind: string;
  /** The resource name in paths (`networkpolicies`). */
  plural: string;
  namespaced: boolean;
}

/** Where in a collection or object a path points. */
export interface PathTarget {
  /** For a namespaced kind: that namespace's collection or object; omitted, every namespace's collection. */
  namespace?: string;
  name?: string;
  /** `status`, `token`, `scale`... (only with a name). */
  subresource?: string;
}

/** The group-version root: `/api/v1` for the core group, `/apis/<group>/<version>` for every other. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * The one way Landlord names an API path: the collection (all namespaces or one), an object, or one of its
 * subresources. Namespace and name are percent-encoded, so a name can never reach another path.
 */
export function apiPath(resource: ResourceType, target: PathTarget = {}): string {
  const { namespace, name, subresource } = target;
  if (resource.namespaced && name !== undefined && namespace === undefined)
    throw new Error(`${resource.kind} ${name}: a namespaced object needs its namespace to be named`);
  if (subresource !== undefined && name === undefined)
    throw new Error(`${resource.kind}: the subresource ${subresource} needs an object name`);
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = subresource === undefined ? '' : `/${subresource}`;
  return `${groupVersionPath(resource.apiVersion)}${scope}/${resource.plural}${object}${sub}`;
}
