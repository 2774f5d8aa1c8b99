// This workstation's identity and the election it serves: made on first start, filled by
// enrolment with the central server or by a supervisor choosing to work offline.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkstationInfo } from '../../../shared/api/types';
import type { Db } from './db/open';

interface Row {
  workstation_id: string;
  workstation_name: string;
  election_number: number | null;
  election_name: string | null;
  closes_at: string | null;
  centre_id: string | null;
  centre_name: string | null;
  server_url: string | null;
  server_key: string | null;
  device_id: string | null;
}

export class Workstation {
  private cached: WorkstationInfo | null = null;
  constructor(private readonly db: Db) {
    db.prepare('INSERT OR IGNORE INTO workstation (id, workstation_id, workstation_name) VALUES (1, ?, ?)').run(
      randomUUID(),
      hostname().slice(0, 80) || 'Workstation',
    );
  }

  /** Read on every scan: cached, and refreshed by `update`. */
  info(): WorkstationInfo {
    if (this.cached) return this.cached;
    const r = this.db.prepare('SELECT * FROM workstation WHERE id = 1').get() as Row;
    this.cached = {
      workstationId: r.workstation_id,
      workstationName: r.workstation_name,
      electionNumber: r.election_number,
      electionName: r.election_name,
      closesAt: r.closes_at,
      centreId: r.centre_id,
      centreName: r.centre_name,
      enrolled: r.device_id !== null,
      serverUrl: r.server_url,
      serverKey: r.server_key,
    };
    return this.cached;
  }

  deviceId(): string | null {
    return (this.db.prepare('SELECT device_id FROM workstation WHERE id = 1').get() as { device_id: string | null }).device_id;
  }

  /** Call inside the transaction that audits the change. */
  update(fields: Partial<{
    workstation_name: string;
    election_number: number;
    election_name: string;
    closes_at: string;
    centre_id: string | null;
    centre_name: string | null;
    server_url: string | null;
    server_key: string | null;
    device_id: string | null;
    enrolled_at: string | null;
  }>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE workstation SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = 1`)
      .run(fields);
    this.cached = null;
  }
}
