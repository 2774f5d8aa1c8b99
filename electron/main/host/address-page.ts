// What a browser sees at an address of this host without the current per-run secret: most
// often a tab left open across a restart (each run has a new secret, so the old address stops
// working). It says so in words and where the new address is printed, never the address
// itself: the secret is what keeps other local users and web pages out.

/** Its stylesheet, served without the secret (the CSP allows no inline style). */
export const ADDRESS_PAGE_CSS_PATH = '/address-page.css';
export const ADDRESS_PAGE_CSS = `body { font: 18px/1.5 system-ui, sans-serif; color: #1b1f24; margin: 0; }
main { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.75rem; color: #1f4e79; }
q, code { font-family: ui-monospace, monospace; font-size: 0.9em; }
code { white-space: nowrap; }
`;

/** The page for a GET without the current secret. `stale`: the address had a secret, just not this run's. */
export function addressPage(options: { stale: boolean; port: number }): string {
  const heading = options.stale ? 'This desk has restarted' : 'Open the desk at its private address';
  const why = options.stale
    ? 'Ballot Intake was restarted, and each start gets a new private address, so the address in this tab no longer works. Every envelope recorded before the restart is kept.'
    : 'Ballot Intake opens only at its private address, which changes each time it starts.';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <link rel="icon" type="image/png" href="/favicon.ico" />
    <link rel="stylesheet" href="${ADDRESS_PAGE_CSS_PATH}" />
    <title>Ballot Intake: ${heading.toLowerCase()}</title>
  </head>
  <body>
    <main>
      <h1>${heading}</h1>
      <p>${why}</p>
      <p>The new address is printed in the window where Ballot Intake was started, on the line that begins
        <q>Ballot Intake listening on http://127.0.0.1:${options.port}/s/</q>. Open that address in this browser.</p>
      <p>If that window is closed, start the desk again (<code>npm run start:web -- --data-dir …</code>) and open the address it prints.</p>
    </main>
  </body>
</html>
`;
}

/** The answer to an API call without the current secret: the old tab's screens show it. */
export const STALE_ADDRESS_WORDS =
  'The desk has restarted, so this address no longer works: open the new address printed where it was started.';
