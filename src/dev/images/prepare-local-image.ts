import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { distroBinaries, distroBinarySources, type LocalImage } from './local-images.ts';

/** Raised when an image's binaries are not built yet; the message names them and the command that builds them. */
export class LocalImageError extends Error {
  override name = 'LocalImageError';
}

/**
 * Makes what a local image stands for exist: for a Kubernetes distro image, its folder of hard links to the built
 * binaries (not symlinks: a house's mount namespace hides the home folder the cache is in; copies across file
 * systems), replaced whole, so two runners preparing it at once each see a complete folder. Idempotent.
 */
export function prepareLocalImage(image: LocalImage): void {
  if (image.kind === 'vcluster') {
    if (!existsSync(image.binary)) throw notBuilt([image.binary]);
    return;
  }
  const sources = distroBinarySources(image.version);
  if (!sources) throw new LocalImageError(`no local tool builds Kubernetes ${image.version}`);
  const missing = Object.values(sources).filter((path) => !existsSync(path));
  if (missing.length > 0) throw notBuilt(missing);
  const staging = `${image.binariesDir}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  for (const name of distroBinaries) linkOrCopy(sources[name], join(staging, name));
  rmSync(image.binariesDir, { recursive: true, force: true });
  try {
    renameSync(staging, image.binariesDir);
  } catch (error) {
    // Another runner put a complete folder there first: it is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(image.binariesDir)) throw error;
  }
}

function linkOrCopy(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}

function notBuilt(paths: string[]): LocalImageError {
  return new LocalImageError(`not built yet: ${paths.join(', ')}; run bin/landlord dev tools`);
}
