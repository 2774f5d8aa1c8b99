// The one catalogue of audit events: every entry's `event` is a key of this table, so that
// the log can be searched by type and read by a person without guessing what a name means.
// Shared: the app core appends only these; the Audit screen offers them as filters.
export const AUDIT_EVENTS = {
  'app.started': 'The app core opened the database.',
  'signin.succeeded': 'A person signed in.',
  'signin.failed': 'A sign-in was refused (wrong PIN, disabled or locked account).',
  'signin.locked': 'Too many wrong PINs: the account is locked for a while.',
  'session.ended': 'A person signed out, or the session locked after being idle.',
  'person.added': 'A supervisor added a person.',
  'person.disabled': 'A supervisor disabled or re-enabled a person.',
  'person.pin_reset': "A supervisor reset a person's PIN.",
  'scan.recorded': 'An envelope was recorded as a receipt.',
  'scan.repeat': 'A repeat read of an envelope just recorded: no new receipt.',
  'scan.rejected': 'A read that is not a valid envelope barcode: nothing recorded.',
  'flag.raised': 'A receipt was flagged for a supervisor.',
  'flag.decided': 'A supervisor decided a flag.',
  'flag.decision_refused': 'The central server refused a decision made here (the rules say no); the flag is open again.',
  'flag.decision_accepted': 'The central server accepted a decision it had refused, once sent again: it counts again.',
  'batch.opened': 'A tray (batch) was opened.',
  'batch.closed': 'A tray was closed with its physical count.',
  'batch.clock_confirmed': "A supervisor confirmed opening a tray while this computer's clock was far off the central server's.",
  'register.imported': 'A register copy was loaded.',
  'register.import_failed': 'A register import was refused or cancelled; nothing changed.',
  'settings.changed': 'A supervisor changed a setting.',
  'workstation.configured': 'The workstation was enrolled or set to work offline.',
  'election.updated': "The central server moved the election's closing time or renamed it; the desk judges by the new values from now on.",
  'sync.pushed': 'Receipts and decisions were sent to the central server.',
  'sync.pulled': 'Changes were received from the central server.',
  'sync.failed': 'Synchronisation with the central server failed.',
  'sync.resent': 'Receipts or decisions the central server had refused were sent again.',
  'sync.clock_skew': "This computer's clock was found more than 2 minutes off the central server's (or back within 2 minutes).",
  'export.written': 'An export file was written (with its SHA-256).',
  'audit.verified': 'The audit chain was checked.',
  'audit.history_rewritten': 'The audit log no longer contains the head the central server witnessed: history was removed or rewritten.',
} as const;

export type AuditEvent = keyof typeof AUDIT_EVENTS;
