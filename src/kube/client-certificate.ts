/** A TLS client certificate and its private key, PEM. */
export interface ClientCertificate {
  cert: Buffer;
  key: Buffer;
}
