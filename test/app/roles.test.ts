// Every operation of the contract checks the role it needs: a table over the WHOLE operation
// map (a new operation without a row here fails to compile and fails the coverage test).
import { describe, expect, it } from 'vitest';
import { operations, OPERATION_NAMES, type OperationInput, type OperationName } from '../../shared/api/contract';
import { dayAtTheCentre, OPERATOR_PIN, startApp, SUPERVISOR_PIN, type TestApp } from './helpers';

/** A valid input for each operation, so that the call gets past validation to the role check. */
const SAMPLE: { [K in OperationName]: OperationInput<K> } = {
  getState: {},
  listSignInNames: {},
  createFirstSupervisor: { name: 'Someone', pin: '111111' },
  signIn: { personId: 'filled in below', pin: OPERATOR_PIN },
  signOut: {},
  configureOffline: { electionNumber: 1022, electionName: 'E', closesAt: '2026-11-25T18:00:00.000Z', workstationName: 'Desk 1' },
  enrol: { serverUrl: 'http://127.0.0.1:1', enrolmentCode: 'X', workstationName: 'Desk 1' },
  updateSettings: { muted: true },
  listPeople: {},
  addPerson: { name: 'New person', pin: '222222', role: 'operator' },
  setPersonDisabled: { personId: 'nobody', disabled: true },
  resetPin: { personId: 'nobody', pin: '333333' },
  importRegisterFile: { fileToken: 'no-such-token' },
  cancelRegisterImport: {},
  registerProgress: {},
  openBatch: { label: 'R1' },
  closeBatch: { batchId: 'no-such-batch', physicalCount: 0 },
  getBatch: { batchId: 'no-such-batch' },
  listBatches: {},
  recordScan: { barcode: '1022000000001184', source: 'scanner' },
  recordManualEntry: { barcode: '1022000000001184', repeatBarcode: '1022000000001184', reason: 'torn', confirmation: { supervisorId: 'nobody', pin: '000000' } },
  listConfirmers: {},
  recentScans: { limit: 5 },
  scanTotals: {},
  listFlags: { offset: 0, limit: 10 },
  getFlag: { flagId: 'no-such-flag' },
  decideFlags: { flagIds: ['no-such-flag'], decision: 'set_aside', note: 'n' },
  listAudit: { offset: 0, limit: 10 },
  verifyAudit: {},
  exportData: { what: 'receipts_csv' },
  dashboard: {},
  centreFigures: {},
  syncStatus: {},
  syncNow: {},
  listRefused: {},
  resendRefused: { outboxSeqs: [1] },
};

const REFUSALS = ['not_signed_in', 'forbidden', 'locked'];

describe('roles', () => {
  it('the table covers every operation of the contract', () => {
    expect(Object.keys(SAMPLE).sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('public ones work signed out; signed-in ones refuse signed out; supervisor ones refuse an operator', async () => {
    const t: TestApp = await startApp();
    const people = await dayAtTheCentre(t);
    const input = (name: OperationName) =>
      name === 'signIn'
        ? { personId: people.olgaId, pin: OPERATOR_PIN }
        : // a manual entry confirmed by a supervisor other than both who sign in below
          name === 'recordManualEntry'
          ? { ...SAMPLE.recordManualEntry, confirmation: { supervisorId: people.samId, pin: SUPERVISOR_PIN } }
          : SAMPLE[name];
    const signInAs = async (who: 'operator' | 'supervisor' | null) => {
      await t.call('signOut', {});
      if (who === 'operator') await t.must('signIn', { personId: people.olgaId, pin: OPERATOR_PIN });
      if (who === 'supervisor') await t.must('signIn', { personId: people.sueId, pin: SUPERVISOR_PIN });
    };
    const seen: Record<string, string[]> = {};
    for (const name of OPERATION_NAMES) {
      const access = operations[name].access;
      // signed out
      await signInAs(null);
      const out = await t.call(name, input(name));
      if (access === 'public') expect(out.ok || !REFUSALS.includes(out.error.code), `${name} signed out: ${JSON.stringify(out)}`).toBe(true);
      else expect(out, `${name} signed out`).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
      // an operator
      await signInAs('operator');
      const op = await t.call(name, input(name));
      if (access === 'supervisor') expect(op, `${name} as operator`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      else expect(op.ok || !REFUSALS.includes(op.error.code), `${name} as operator: ${JSON.stringify(op)}`).toBe(true);
      // a supervisor may call everything
      await signInAs('supervisor');
      const sup = await t.call(name, input(name));
      expect(sup.ok || !REFUSALS.includes(sup.error.code), `${name} as supervisor: ${JSON.stringify(sup)}`).toBe(true);
      (seen[access] ??= []).push(name);
    }
    expect(seen.public!.length + seen.signed_in!.length + seen.supervisor!.length).toBe(OPERATION_NAMES.length);
  });
});
