// The preload bundles only the list of operation names; it must equal the contract's.
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, operations } from '../../shared/api/contract';
import { OPERATION_NAME_LIST } from '../../shared/api/operation-names';

describe('the API contract', () => {
  it('the preload name list equals the contract operations', () => {
    expect([...OPERATION_NAME_LIST].sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('every input schema refuses unknown fields', () => {
    for (const name of OPERATION_NAMES) {
      const r = operations[name].input.safeParse({ surprise: 1 });
      expect(r.success, name).toBe(false);
    }
  });
});
