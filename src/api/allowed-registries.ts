/**
 * A registry the platform allows images from: a host (with a dot or a port, or `localhost`, as container runtimes
 * tell a registry from a Docker Hub name), an optional port and optional path, lower case, no scheme, no wildcard.
 * An image is admitted when its reference, Docker Hub names written out (`nginx` is `docker.io/library/nginx`),
 * starts with the entry followed by `/`: `registry.bank.example` admits `registry.bank.example/app:1`, never
 * `registry.bank.example.evil.com/app` nor `registry.bank.example:5000/app`.
 */
const dnsName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const pathComponent = /^[a-z0-9]+([._-]+[a-z0-9]+)*$/;

/** Whether the entry names a registry the way an image reference's first component does. */
function isRegistryEntry(entry: string): boolean {
  const [hostPort = '', ...path] = entry.split('/');
  const [host = '', port, ...extra] = hostPort.split(':');
  if (extra.length > 0 || !dnsName.test(host)) return false;
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) return false;
  if (!(host.includes('.') || port !== undefined || host === 'localhost')) return false;
  return path.every((component) => pathComponent.test(component));
}

/** What a registry entry allows, in words (the platform configuration's error messages). */
export const registryEntryInWords =
  "a registry host with a dot or a port, or localhost (such as registry.bank.example, registry.bank.example:5000 or docker.io/library), optionally followed by a path, lower case, without scheme, wildcard or trailing '/'";

/** Why the platform's allowedRegistries cannot be used, or undefined: at least one entry, each a registry. */
export function allowedRegistriesProblem(entries: unknown[]): string | undefined {
  if (entries.length === 0) {
    return 'allowedRegistries: [] admits no image at all; name at least one registry (such as registry.bank.example)';
  }
  for (const [index, entry] of entries.entries()) {
    if (typeof entry !== 'string' || !isRegistryEntry(entry)) {
      return `allowedRegistries[${index}]: ${JSON.stringify(entry)} is not ${registryEntryInWords}`;
    }
  }
  return undefined;
}
