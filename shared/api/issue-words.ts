// The one mapping from the core's input validation (zod issues) to sentences people read:
// "The name can be at most 80 characters." rather than "name: Too big: expected string to
// have <=80 characters". A message the schema wrote for people ("a PIN is 6 to 12 digits")
// is kept, as a sentence.
import type { z } from 'zod';

type Issue = z.ZodError['issues'][number];

/** What each input field is called on screen; others are spelt out from their name. */
const FIELD_WORDS: Record<string, string> = {
  name: 'the name',
  personName: 'the name',
  pin: 'the PIN',
  newPin: 'the new PIN',
  note: 'the note',
  reason: 'the reason',
  label: 'the batch label',
  workstationName: 'the workstation name',
  electionName: 'the election name',
  electionNumber: 'the election number',
  closesAt: 'the closing time',
  serverUrl: 'the server address',
  enrolmentCode: 'the enrolment code',
  barcode: 'the barcode number',
  repeatBarcode: 'the repeated barcode number',
  expectedCount: 'the expected count',
  physicalCount: 'the physical count',
  repeatWindowSeconds: 'the repeat-read window',
  idleLockMinutes: 'the idle lock time',
  decoder: 'the camera decoder',
  role: 'the role',
  actor: 'the person searched for',
  event: 'the event type',
  from: 'the start time',
  to: 'the end time',
  supervisorId: 'the supervisor',
  personId: 'the person',
};

/** Units said after a number limit. */
const UNITS: Record<string, string> = { repeatWindowSeconds: ' seconds', idleLockMinutes: ' minutes' };

function fieldOf(issue: Issue): { key: string; words: string } {
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string') ?? '';
  const words = FIELD_WORDS[key] ?? (key ? `the ${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}` : 'what was given');
  return { key, words };
}

const sentence = (s: string): string => {
  const t = s.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
};

/** zod's own messages start so; anything else was written for people in the schema. */
const isZodDefault = (message: string): boolean => /^(Too big|Too small|Invalid|Unrecognized|Expected)/.test(message);

export function issueWords(issue: Issue): string {
  if (!isZodDefault(issue.message)) return sentence(issue.message);
  const { key, words } = fieldOf(issue);
  const limit = issue.code === 'too_big' ? Number(issue.maximum) : issue.code === 'too_small' ? Number(issue.minimum) : NaN;
  const unit = limit === 1 ? (UNITS[key] ?? '').replace(/s$/, '') : (UNITS[key] ?? '');
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return sentence(`${words} can be at most ${String(issue.maximum)} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return sentence(`${words}: at most ${String(issue.maximum)} at once`);
      return sentence(`${words} can be at most ${String(issue.maximum)}${unit}`);
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? sentence(`${words} is missing`) : sentence(`${words} needs at least ${String(issue.minimum)} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return sentence(`choose at least ${String(issue.minimum)} for ${words}`);
      return sentence(`${words} must be at least ${String(issue.minimum)}${unit}`);
    case 'invalid_type':
      return sentence(issue.message.endsWith('received undefined') ? `${words} is missing` : `${words} is not valid`);
    case 'invalid_format':
      if (issue.format === 'url') return sentence(`${words} is not a web address (it starts with http:// or https://)`);
      if (issue.format === 'datetime') return sentence(`${words} is not a date and time`);
      return sentence(`${words} is not valid`);
    case 'invalid_value':
      return sentence(`${words} is not one of the choices`);
    case 'unrecognized_keys':
      return 'The request carried something this version of the app does not know: update the app.';
    default:
      return sentence(`${words} is not valid`);
  }
}

/** Every problem (the first five), one sentence each. */
export function describeIssues(error: z.ZodError): string {
  return [...new Set(error.issues.slice(0, 5).map(issueWords))].join(' ');
}
