// The renderer's Content Security Policy, in one place: the Electron shell sends it as a
// header of every app:// response and the headless web host sends the same string, so the
// page runs under one policy whichever transport serves it. Pure data: no Node, no DOM.

/** Each directive with why it is as loose as it is, and no looser. */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [directive: string, sources: string]> = [
  ['default-src', "'self'"],
  // No inline or eval'd script. zxing-wasm compiles WebAssembly, which needs this one keyword.
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  // Stylesheets only from the bundle. React `style` props set the CSSOM, which CSP allows.
  ['style-src', "'self'"],
  // Camera frames and generated barcodes are drawn into data:/blob: images.
  ['img-src', "'self' data: blob:"],
  // The webcam preview plays a MediaStream.
  ['media-src', "'self' blob: mediastream:"],
  // The renderer talks only to its own origin (the headless host's API); in Electron it
  // talks through IPC and needs no network at all.
  ['connect-src', "'self'"],
  // The barcode decoder runs in a Web Worker built into the bundle.
  ['worker-src', "'self' blob:"],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export const CONTENT_SECURITY_POLICY: string = CSP_DIRECTIVES.map(([d, s]) => `${d} ${s}`).join('; ');

/** Headers that go with every page and asset the renderer is served from. */
export const RENDERER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The camera for the page itself; nothing else a browser could hand out.
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
};
