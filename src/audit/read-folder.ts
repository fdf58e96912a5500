import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { houseFolder } from '../tenancy/house/layout.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

/** Raised when a file of the folder cannot be read as Kubernetes YAML; names the file. */
export class FolderReadError extends Error {
  override name = 'FolderReadError';
}

/** Reads every .yaml, .yml and .json file under the folder (a platform repo, `landlord render` output). */
export function readFolder(root: string): Inventory {
  return { objects: filesUnder(root).flatMap(objectsInFile), source: 'folder' };
}

/** The objects of one file: every document, List kinds unpacked. */
function objectsInFile(file: string): AuditedObject[] {
  const objects: AuditedObject[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length) throw new FolderReadError(`${file}: ${document.errors[0]?.message}`);
    const value = safeValue(file, document);
    if (!value) continue;
    for (const item of itemsOf(value)) {
      if (!item?.kind || !item.metadata?.name)
        throw new FolderReadError(`${file}: a document without kind or metadata.name`);
      objects.push(item);
    }
  }
  return objects;
}

/** The document's value; an alias bomb (more than 100 expansions) is bad input, not a failure to read. */
function safeValue(file: string, document: ReturnType<typeof parseAllDocuments>[number]): AuditedObject | null {
  try {
    return document.toJS() as AuditedObject | null;
  } catch (error) {
    throw new FolderReadError(`${file}: cannot be read safely: ${(error as Error).message.slice(0, 200)}`);
  }
}

/** A List's items, or the object itself. */
function itemsOf(value: AuditedObject): AuditedObject[] {
  return value.kind?.endsWith('List') ? ((value as { items?: AuditedObject[] }).items ?? []) : [value];
}

function filesUnder(root: string): string[] {
  return readdirSync(root)
    .sort()
    .flatMap((entry) => {
      if (entry.startsWith('.')) return [];
      const path = join(root, entry);
      if (statSync(path).isDirectory()) return filesUnder(path);
      return /\.(ya?ml|json)$/.test(entry) && !isHouseValues(path) ? [path] : [];
    });
}

/** A house's chart values beside its objects (`landlord render`'s vclusters/<team>/values.yaml): no Kubernetes object. */
function isHouseValues(path: string): boolean {
  const folder = dirname(path);
  return basename(path) === 'values.yaml' && `/${folder}`.endsWith(`/${houseFolder(basename(folder))}`);
}
