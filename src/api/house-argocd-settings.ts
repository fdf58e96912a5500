import { cidrProblem } from './cidr.ts';
import { parseQuantity } from '../tenancy/quantity.ts';
import { houseArgoCdComponents, type ArgoCdComponentSize, type HouseArgoCdSettings } from './house-settings.ts';

/** Placeholders a house's Argo CD URL may hold. */
const urlPlaceholders = ['{team}', '{domain}', '{loopback}'];

/** Most replicas of one component: a team's Argo CD is small; more is a platform decision, not a typo. */
const maxReplicas = 3;

/**
 * Checks `houses.argocd`: its URL template, upstream's manifests, its footprint; `fail` builds the error naming the
 * field, the value and what is allowed. The images are checked against allowedRegistries with the house's own.
 */
export function checkHouseArgoCdSettings(argocd: HouseArgoCdSettings, fail: (message: string) => Error): void {
  checkUrl(argocd.url, fail);
  for (const field of ['repoURL', 'path', 'targetRevision'] as const) {
    const value = argocd.manifests[field];
    if (value.trim() === '' || /\s/.test(value))
      throw fail(
        `houses.argocd.manifests.${field}: ${JSON.stringify(value)} is not allowed; give a value without spaces (upstream's repository or a mirror, manifests/cluster-install, v3.5.7)`,
      );
  }
  for (const [name, image] of Object.entries(argocd.images))
    if (!/^[^\s:/]+(\/[^\s:]+)+:[^\s:/]+$/.test(image))
      throw fail(
        `houses.argocd.images.${name}: ${JSON.stringify(image)} is not an image with a registry and a tag, such as registry.landlord.local/argoproj/argocd:v3.5.7`,
      );
  for (const [index, cidr] of argocd.egressCIDRs.entries()) {
    const problem = cidrProblem(cidr);
    if (problem) throw fail(`houses.argocd.egressCIDRs[${index}]: ${JSON.stringify(cidr)} ${problem}`);
  }
  for (const component of houseArgoCdComponents)
    checkComponent(`houses.argocd.footprint.${component}`, argocd.footprint[component], fail);
}

function checkUrl(url: string, fail: (message: string) => Error): void {
  const unknown = (url.match(/\{[^}]*\}/g) ?? []).find((placeholder) => !urlPlaceholders.includes(placeholder));
  if (unknown) throw fail(`houses.argocd.url: placeholder ${unknown} is unknown; use {team}, {domain} or {loopback}`);
  if (!url.includes('{team}') && !url.includes('{loopback}'))
    throw fail(
      `houses.argocd.url: "${url}" names no house; use {team} (https://argocd-{team}.{domain}) or {loopback} (local environments)`,
    );
  const local = url.startsWith('http://') && url.includes('{loopback}');
  if (!url.startsWith('https://') && !local)
    throw fail(
      `houses.argocd.url: "${url}" must start with https:// (people sign in there); http:// only with {loopback} (local environments)`,
    );
  if (/[\s?#]/.test(url) || url.endsWith('/'))
    throw fail(`houses.argocd.url: "${url}" must be a plain URL without spaces, query, fragment or trailing slash`);
}

function checkComponent(field: string, size: ArgoCdComponentSize, fail: (message: string) => Error): void {
  if (!Number.isInteger(size.replicas) || size.replicas < 0 || size.replicas > maxReplicas)
    throw fail(`${field}.replicas: ${size.replicas} is not allowed; use a whole number from 0 to ${maxReplicas}`);
  for (const kind of ['requests', 'limits'] as const)
    for (const resource of ['cpu', 'memory'] as const) {
      const value = size[kind][resource];
      let parsed: bigint;
      try {
        parsed = parseQuantity(value);
      } catch {
        throw fail(`${field}.${kind}.${resource}: ${JSON.stringify(value)} is not a quantity such as 100m or 256Mi`);
      }
      if (parsed <= 0n) throw fail(`${field}.${kind}.${resource}: "${value}" must be more than 0`);
    }
  for (const resource of ['cpu', 'memory'] as const)
    if (parseQuantity(size.requests[resource]) > parseQuantity(size.limits[resource]))
      throw fail(
        `${field}.requests.${resource}: "${size.requests[resource]}" is more than its limit "${size.limits[resource]}"; a request must not exceed its limit`,
      );
}

/** Checks `sso.issuer` (an https URL; http only on loopback) and `sso.adminGroups` (directory group names). */
export function checkSsoSettings(
  sso: { issuer: string; adminGroups: string[] },
  fail: (message: string) => Error,
): void {
  let issuer: URL | undefined;
  try {
    issuer = new URL(sso.issuer);
  } catch {
    issuer = undefined;
  }
  const loopback = issuer?.hostname === 'localhost' || /^127\./.test(issuer?.hostname ?? '');
  if (!issuer || !(issuer.protocol === 'https:' || (issuer.protocol === 'http:' && loopback)) || issuer.search)
    throw fail(
      `sso.issuer: ${JSON.stringify(sso.issuer)} is not an issuer URL; use https://host/path (http:// only on a loopback address)`,
    );
  sso.adminGroups.forEach((group, index) => {
    if (typeof group !== 'string' || group.trim() === '' || group.length > 256 || /[,\n\r]/.test(group))
      throw fail(
        `sso.adminGroups[${index}]: ${JSON.stringify(group)} is not a directory group name (not empty, no ',', at most 256 characters)`,
      );
  });
}
