// The fingerprint of server-key.ts, made where node:crypto exists (the server, the desk's core).
// Always from the whole certificate (PEM or DER), re-encoding its key as SubjectPublicKeyInfo:
// a TLS peer certificate's `pubkey` is not that for every key type (an EC key is its bare point).
import { createHash, X509Certificate } from 'node:crypto';

export function certificateKeyFingerprint(certificate: string | Buffer): string {
  const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}
