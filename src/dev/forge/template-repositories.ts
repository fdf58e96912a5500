import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultGitFactorySettings } from '../../api/git-factory-settings.ts';
import { expectStatus, type GiteaApi, giteaPath } from '../../integrations/git/gitea/gitea-api.ts';

/** The templates Landlord ships (deploy/git-templates/<kind>-tenant/): the article's folders and a README. */
export const shippedTemplatesDir = join(import.meta.dirname, '..', '..', '..', 'deploy', 'git-templates');

/**
 * Makes the factory's default template repositories on the local forge from the shipped folders, unless they exist:
 * a template a platform admin has changed since is theirs and stays as it is.
 */
export async function ensureTemplateRepositories(api: GiteaApi): Promise<void> {
  const { templates } = defaultGitFactorySettings;
  for (const template of [templates.namespace, templates.house]) {
    const [organization = '', name = ''] = template.split('/');
    await ensurePrivateOrganization(api, organization);
    const found = await expectStatus(api, 'GET', giteaPath('repos', organization, name), [200, 404]);
    if (found.status === 200) continue;
    await expectStatus(api, 'POST', giteaPath('orgs', organization, 'repos'), [201], {
      name,
      private: true,
      template: true,
      default_branch: 'main',
      description: 'Template of the Git repository factory: a new tenant repository starts with these files',
    });
    await expectStatus(api, 'POST', giteaPath('repos', organization, name, 'contents'), [201], {
      branch: 'main',
      message: 'Landlord’s shipped template',
      files: templateFiles(join(shippedTemplatesDir, name)).map(({ path, content }) => ({
        operation: 'create',
        path,
        content: Buffer.from(content).toString('base64'),
      })),
    });
  }
}

async function ensurePrivateOrganization(api: GiteaApi, organization: string): Promise<void> {
  const found = await expectStatus(api, 'GET', giteaPath('orgs', organization), [200, 404]);
  if (found.status === 404)
    await expectStatus(api, 'POST', '/orgs', [201], { username: organization, visibility: 'private' });
}

/** Every file under the folder, by its path relative to it. */
export function templateFiles(dir: string): { path: string; content: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: relative(dir, full), content: readFileSync(full, 'utf8') };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
