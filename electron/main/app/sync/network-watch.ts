// Noticing the network come back (a cable plugged in, Wi-Fi found): the machine's addresses
// are looked at now and then, and a change is worth a sync at once, whatever the backoff.
import { networkInterfaces } from 'node:os';

/** The machine's non-internal addresses: a change (cable in, Wi-Fi back) is worth a try at once. */
export function networkSignature(): string {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal)
    .map((a) => a!.address)
    .sort()
    .join(',');
}
