// The central server's key fingerprint: SHA-256 over its certificate's public key (DER
// SubjectPublicKeyInfo), as the desk pins it at enrolment and `server:admin enrolment-code`
// prints it, so a supervisor can compare the two before trusting the desk's link. Stored as
// 64 lowercase hex digits (made by key-fingerprint-node.ts, which needs node:crypto).

/** `3F2A 9C01 …` (16 groups): easier to read aloud and compare than one run of 64 digits. */
export function showFingerprint(fingerprint: string): string {
  return fingerprint.toUpperCase().match(/.{1,4}/g)!.join(' ');
}
