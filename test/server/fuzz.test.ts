// Bad input never reaches the database as an error (issue 15 item 14): a seeded fuzz of request
// bodies and addresses over every route, with valid tokens — valid bodies with one field
// mutated (control characters, NUL, huge or negative numbers, wrong types, nesting), arbitrary
// JSON, broken register files — must get no 5xx; the server stays healthy; nothing is recorded
// from a refused request, and nothing recorded is anything but a valid envelope.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedOperations, type DocumentedOperation } from './openapi-operations';
import { ADMIN_TOKEN, dropTestSchemas, ENGINES, makeMembers, receipt, setUpElection, startServer, type Election, type TestServer } from './harness';

afterAll(dropTestSchemas);

// 10,000 requests in all, shared among the engines the suite runs on (two in CI).
const RUNS = Number(process.env.FUZZ_RUNS ?? Math.ceil(10_000 / ENGINES.length));
const SEED = Number(process.env.FUZZ_SEED ?? 4022);

/** Strings a careless or hostile client might send. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', 'a\u0000b', '\u001b[2J', '\r\n', '=HYPERLINK("x")', '../../etc/passwd', '%00', '\ud800', 'x'.repeat(5000), ''),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -1, 0, Number.MAX_SAFE_INTEGER, 1e308, null, true, false),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);

/** encodeURIComponent, or the bytes of a lone surrogate (invalid UTF-8) when it cannot encode. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

function mutate(body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(body);
  const path = key.split('.');
  let at: Record<string, unknown> = out;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[path[path.length - 1]!];
  else at[path[path.length - 1]!] = value;
  return out;
}

describe.each(ENGINES)('fuzzed requests on $name', (engine) => {
  let server: TestServer;
  let base: string;
  let election: Election;
  // Every route, as the server's own OpenAPI document lists them (generated from the routes).
  let OPERATIONS: DocumentedOperation[];
  const members = makeMembers(20);

  beforeAll(async () => {
    server = await startServer(await engine.open());
    base = server.url;
    election = await setUpElection(base, members);
    OPERATIONS = documentedOperations((await (await fetch(`${base}/v1/openapi.json`)).json()) as Parameters<typeof documentedOperations>[0]);
  });
  afterAll(async () => {
    await server?.close();
    await server?.db.close();
  });

  it(`answers ${RUNS} fuzzed requests over every route with no 5xx, and records nothing from bad input`, async () => {
    const north = election.centres.north!.token;
    const tokenFor = { device: north, integration: election.integrationToken, admin: ADMIN_TOKEN, none: undefined } as const;
    // A valid body per route, to mutate one field at a time.
    const valid: Record<string, Record<string, unknown>> = {
      'POST /v1/receipts': { receipts: [receipt(members[0]!.barcode)] },
      'POST /v1/flags/{flagId}/resolution': { resolutionId: randomUUID(), decision: 'set_aside', note: 'n', supervisorId: 's', decidedAt: new Date().toISOString() },
      'POST /v1/audit-heads': { seq: 1, hash: 'a'.repeat(64) },
      'POST /v1/online-codes/redeem': { code: 'ABCDEFGH' },
      'POST /v1/enrol': { enrolmentCode: 'AAAA-BBBB-CCCC', workstationName: 'w' },
      'POST /v1/admin/elections': { electionNumber: 9001, name: 'e', closesAt: new Date().toISOString() },
      'PATCH /v1/admin/elections/{electionNumber}': { name: 'renamed' },
      'POST /v1/admin/centres': { centreId: 'c1', name: 'c', electionNumber: 1022 },
    };
    const fieldsOf = (body: Record<string, unknown>): string[] =>
      Object.entries(body).flatMap(([k, v]) =>
        Array.isArray(v) && typeof v[0] === 'object' ? Object.keys(v[0] as object).map((f) => `${k}.0.${f}`) : [k],
      );
    const statuses = new Map<number, number>();
    const fiveHundreds: string[] = [];
    const param = fc.oneof(fc.uuid().map(String), nasty.map(enc), fc.constantFrom('1022', 'north', '%00', '%ZZ'));

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATIONS.keys()),
        fc.oneof(
          { weight: 3, arbitrary: fc.tuple(fc.nat(), anyValue, fc.boolean()).map(([i, v, drop]) => ({ kind: 'mutate' as const, i, v, drop })) },
          { weight: 1, arbitrary: fc.jsonValue().map((v) => ({ kind: 'json' as const, v })) },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((v) => ({ kind: 'raw' as const, v })) },
        ),
        fc.array(param, { minLength: 1, maxLength: 1 }),
        async (opIndex, how, [p]) => {
          const op = OPERATIONS[opIndex]!;
          const path = op.path.replace(/\{\w+\}/g, () => p!);
          const key = `${op.method.toUpperCase()} ${op.path}`;
          let body: string | undefined;
          let contentType = 'application/json';
          if (op.bodyType === 'text/csv') {
            contentType = 'text/csv';
            body = how.kind === 'raw' ? how.v : `ballot_number,issue,status,member_ref,online_code\n${how.kind === 'mutate' && typeof how.v === 'string' ? how.v : JSON.stringify(how.v)},1,issued,M,ABCDEFGH\n`;
          } else if (op.method !== 'get') {
            const base0 = valid[key];
            if (how.kind === 'mutate' && base0) {
              const fields = fieldsOf(base0);
              body = JSON.stringify(mutate(base0, fields[how.i % fields.length]!, how.drop ? undefined : how.v));
            } else body = how.kind === 'raw' ? how.v : JSON.stringify(how.kind === 'json' ? how.v : {});
          }
          const token = tokenFor[op.auth];
          const res = await fetch(base + path + (op.method === 'get' && how.kind === 'raw' ? `?after=${enc(how.v)}` : ''), {
            method: op.method.toUpperCase(),
            headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
            ...(body === undefined ? {} : { body }),
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) fiveHundreds.push(`${key} ${path} ${body?.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`);
          // every refusal says what is wrong in words
          if (res.status >= 400) expect(`${JSON.parse(text).detail}`, `${key} ${path} → ${res.status}: ${text}`).toMatch(/[a-z]{3}/);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(fiveHundreds, fiveHundreds.slice(0, 5).join('\n')).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // Whatever was recorded is a valid envelope of this election, stored once.
    const { rows } = await server.db.query<{ bad: number }>(`select count(*)::int as bad from receipts where barcode !~ '^1022[0-9]{12}$'`);
    expect(rows[0]!.bad).toBe(0);
    console.log(JSON.stringify({ fuzz: RUNS, seed: SEED, statuses: Object.fromEntries(statuses) }));
  }, 600_000);
});
