// `npm run server:admin -- --server URL SUBCOMMAND …`: the admin API from a terminal.
// The admin token comes from env BALLOT_ADMIN_TOKEN or --admin-token-file FILE.
// Answers are printed as JSON on stdout; refusals on stderr with exit code 1.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminClient, type AdminResult } from './client';
import { progressBar } from './progress-bar';

const USAGE = `usage: npm run server:admin -- --server URL [--admin-token-file FILE] SUBCOMMAND
  create-election --number N --name NAME --closes-at ISO-TIME
  update-election --number N [--closes-at ISO-TIME] [--name NAME]   (move the close, rename)
  create-centre --id ID --name NAME --election N
  import-register --election N FILE.csv
  enrolment-code --centre ID [--valid-minutes M]
  integration-token
  revoke-device DEVICE_ID
  revoke-integration-token TOKEN_ID   (the tokenId printed by integration-token)
  sequence-gaps DEVICE_ID      (receipts a workstation numbered that never arrived)
  admin-events [--after CURSOR] [--limit N]   (what administrators did, oldest first)
  audit-alerts                 (workstations whose audit history was cut or rewritten after the server saw it)
The admin token is read from env BALLOT_ADMIN_TOKEN or from --admin-token-file.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string' },
    'admin-token-file': { type: 'string' },
    number: { type: 'string' },
    name: { type: 'string' },
    'closes-at': { type: 'string' },
    id: { type: 'string' },
    election: { type: 'string' },
    centre: { type: 'string' },
    'valid-minutes': { type: 'string' },
    after: { type: 'string' },
    limit: { type: 'string' },
    help: { type: 'boolean' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') fail(`--${name} is required\n${USAGE}`);
  return v;
}

/** The fields update-election changes: those given, at least one (the server checks them). */
function electionChanges(): { closesAt?: string; name?: string } {
  const changes = {
    ...(values['closes-at'] !== undefined ? { closesAt: values['closes-at'] } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
  };
  if (Object.keys(changes).length === 0) fail(`update-election needs --closes-at, --name or both\n${USAGE}`);
  return changes;
}

if (values.help || positionals.length === 0) fail(USAGE);
const server = need('server');
const token = process.env.BALLOT_ADMIN_TOKEN?.trim() || (values['admin-token-file'] ? readFileSync(values['admin-token-file'], 'utf8').trim() : '');
if (!token) fail('no admin token: set BALLOT_ADMIN_TOKEN or pass --admin-token-file FILE');
const client = new AdminClient(server, token);

const [command, ...rest] = positionals;
let result: AdminResult<unknown>;
switch (command) {
  case 'create-election':
    result = await client.createElection(Number(need('number')), need('name'), need('closes-at'));
    break;
  case 'update-election':
    result = await client.updateElection(Number(need('number')), electionChanges());
    break;
  case 'create-centre':
    result = await client.createCentre(need('id'), need('name'), Number(need('election')));
    break;
  case 'import-register': {
    const file = rest[0] ?? fail(`import-register needs a FILE.csv\n${USAGE}`);
    const bar = progressBar('uploading register');
    result = await client.importRegister(Number(need('election')), file, (sent, total) => bar.update(sent, total));
    bar.finish();
    break;
  }
  case 'enrolment-code':
    result = await client.enrolmentCode(need('centre'), values['valid-minutes'] ? Number(values['valid-minutes']) : undefined);
    break;
  case 'integration-token':
    result = await client.integrationToken();
    break;
  case 'sequence-gaps':
    result = await client.sequenceGaps(rest[0] ?? fail(`sequence-gaps needs a DEVICE_ID\n${USAGE}`));
    break;
  case 'revoke-integration-token':
    result = await client.revokeIntegrationToken(rest[0] ?? fail(`revoke-integration-token needs a TOKEN_ID\n${USAGE}`));
    break;
  case 'audit-alerts':
    result = await client.auditAlerts();
    break;
  case 'admin-events':
    result = await client.adminEvents(values.after, values.limit !== undefined ? Number(values.limit) : undefined);
    break;
  case 'revoke-device':
    result = await client.revokeDevice(rest[0] ?? fail(`revoke-device needs a DEVICE_ID\n${USAGE}`));
    break;
  default:
    fail(`unknown subcommand ${command}\n${USAGE}`);
}

if (result.ok) {
  console.log(JSON.stringify(result.value, null, 2));
} else {
  const p = result.error;
  console.error(`${p.status} ${p.title}: ${p.detail}`);
  for (const e of p.errors ?? []) console.error(`  line ${e.line}: ${e.message}`);
  process.exit(1);
}
