// What the headless host says, besides the API's own answers, that the screen must understand.
// A tab left open across a restart calls the old address (each run has a new private address):
// the host answers those calls 404 with this header, so the screen can say the desk restarted
// and where its new address is, rather than only that the desk is not responding.
export const DESK_STATE_HEADER = 'X-Ballot-Intake-Desk';
export const DESK_RESTARTED = 'restarted';
