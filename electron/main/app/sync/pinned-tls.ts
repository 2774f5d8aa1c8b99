// HTTPS to the central server with its key pinned (issue 15 item 2). At enrolment the desk
// learns the server's key (trust on first use, shown to the supervisor to compare with
// `server:admin enrolment-code`); afterwards every connection whose key differs is cut before
// a byte of the request — the device token above all — is written, and the desk says so in
// words until it is enrolled again. The pinned key replaces certificate-authority trust, so a
// self-signed certificate works and a certificate from any authority for another key does not.
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { certificateKeyFingerprint } from '../../../../shared/security/key-fingerprint-node';
import { showFingerprint } from '../../../../shared/security/server-key';

export const SERVER_KEY_CHANGED = 'SERVER_KEY_CHANGED';

export class ServerKeyChanged extends Error {
  readonly code = SERVER_KEY_CHANGED;
  constructor(seen: string | null, pinned: string) {
    super(
      `the server's key is not the one this desk was enrolled with (enrolled: ${showFingerprint(pinned).slice(0, 19)}…, now: ${seen ? showFingerprint(seen).slice(0, 19) + '…' : 'none'}). ` +
        'Someone may be between this desk and the server, or the server was given a new key. Nothing was sent. ' +
        'A supervisor must check the key printed by server:admin enrolment-code and enrol this desk again.',
    );
  }
}

export interface KeyPin {
  /** the pinned fingerprint; null at enrolment, when any key is taken and reported */
  expected: string | null;
  /** called with the key of each connection made (enrolment records it) */
  onSeen?: (fingerprint: string) => void;
}

function pinnedAgent(pin: KeyPin): Agent {
  // Certificate-authority checks are off: the pin (or, at enrolment, the supervisor's
  // comparison of fingerprints) is what the desk trusts.
  const connect = buildConnector({ rejectUnauthorized: false });
  return new Agent({
    connect(options, callback) {
      connect(options, (error, socket) => {
        if (error || !socket) return callback(error, null);
        const peer = (socket as TLSSocket).getPeerCertificate?.();
        if (!peer) return callback(null, socket); // plain http (loopback only; see normaliseServerUrl)
        const seen = peer.raw ? certificateKeyFingerprint(peer.raw) : null;
        if (pin.expected !== null && seen !== pin.expected) {
          socket.destroy();
          return callback(new ServerKeyChanged(seen, pin.expected), null);
        }
        if (seen) pin.onSeen?.(seen);
        callback(null, socket);
      });
    },
  });
}

// One agent per pinned key, kept for the life of the process (the sync engine makes a client
// per cycle; its connections are reused across them).
const agents = new Map<string, Agent>();

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** A fetch for `url`: the platform's for http (loopback), a key-pinned one for https. */
export function fetchFor(url: string, pin: KeyPin): { fetch: Fetch; close(): Promise<void> } {
  if (!url.startsWith('https:')) return { fetch: (u, init) => fetch(u, init), close: async () => undefined };
  let agent: Agent;
  let shared = false;
  if (pin.expected !== null && !pin.onSeen) {
    agent = agents.get(pin.expected) ?? pinnedAgent(pin);
    agents.set(pin.expected, agent);
    shared = true;
  } else {
    agent = pinnedAgent(pin);
  }
  return {
    fetch: (u, init) => undiciFetch(u, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    close: async () => {
      if (!shared) await agent.close();
    },
  };
}
