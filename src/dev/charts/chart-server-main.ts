// The local chart repository's process (started by chart-server.ts): serves the files of one folder, read-only, on
// loopback, as a Helm chart repository answers (index.yaml and the packaged charts).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [dir, portArgument] = process.argv.slice(2);
const port = Number(portArgument);
if (!dir || !Number.isInteger(port)) throw new Error('usage: chart-server-main.ts <folder> <port>');

/** The files served: the folder's own, read at start (the folder never changes for a version). */
const files = new Map(readdirSync(dir).map((name) => [`/${name}`, readFileSync(join(dir, name))]));
const contentType = (path: string) => (path.endsWith('.yaml') ? 'application/yaml' : 'application/gzip');

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://chart-repository').pathname;
  const body = files.get(path);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
  } else if (!body) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  } else {
    response.writeHead(200, { 'content-type': contentType(path), 'content-length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
});
server.listen(port, '127.0.0.1', () => console.log(`serving ${dir} on http://127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
