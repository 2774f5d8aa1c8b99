import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, RENDERER_SECURITY_HEADERS } from '../../shared/security/csp';

const directive = (name: string) =>
  CONTENT_SECURITY_POLICY.split(';')
    .map((d) => d.trim())
    .find((d) => d.split(' ')[0] === name);

describe('the renderer CSP', () => {
  it('allows no inline script, no eval and no inline style', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-hashes'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*/);
  });

  it('says exactly what each directive allows', () => {
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('style-src')).toBe("style-src 'self'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('form-action')).toBe("form-action 'none'");
    expect(directive('img-src')).toBe("img-src 'self' data: blob:");
    expect(directive('media-src')).toBe("media-src 'self' blob: mediastream:");
    expect(directive('worker-src')).toBe("worker-src 'self' blob:");
  });

  it('names each directive once, and no network origin anywhere', () => {
    const names = CSP_DIRECTIVES.map(([d]) => d);
    expect(new Set(names).size).toBe(names.length);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });

  it('is one of the headers every renderer response carries', () => {
    expect(RENDERER_SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(RENDERER_SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });
});
