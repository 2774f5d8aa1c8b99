// When the renderer last called the core. The core locks a session after `idleLockMinutes`
// without calls, and the renderer's idle watch (state/idle.ts) reads this to know when to ask:
// so every call made for a person — plain or through a query — is noted here.
export const activity = { lastCallAt: Date.now() };

export function noteCall(): void {
  activity.lastCallAt = Date.now();
}
