// Issue 15 item 2: the central server's key, pinned at enrolment over https (the SHA-256 of its
// public key, pinned-tls.ts). NULL when working offline, for a loopback http server, and for a
// desk enrolled before this migration (which keeps certificate-authority checks until it is
// enrolled again).
import type { Migration } from '../db';

export const migration007: Migration = {
  version: 7,
  description: 'workstation.server_key: the pinned key of the central server',
  up(db) {
    db.exec(`ALTER TABLE workstation ADD COLUMN server_key TEXT;`);
  },
};
