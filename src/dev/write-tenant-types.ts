// `npm run generate`: writes the Tenant types rendered from the CRD. Here, not in api/, because api/ does no I/O.
import { writeFileSync } from 'node:fs';
import { generatedTypesPath, renderTenantTypes } from '../api/generate-types.ts';

writeFileSync(generatedTypesPath, await renderTenantTypes());
console.log(`wrote ${generatedTypesPath}`);
