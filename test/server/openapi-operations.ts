// The operations of the server's OpenAPI document, as the tests walk them: method, path, who may
// call (from the operation's security) and whether the body is the register's CSV.
export type Audience = 'device' | 'integration' | 'admin' | 'none';

export interface DocumentedOperation {
  method: 'get' | 'post' | 'patch';
  path: string;
  auth: Audience;
  bodyType?: 'text/csv';
}

interface Doc {
  paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; requestBody?: { content: Record<string, unknown> } }>>;
}

export function documentedOperations(doc: Doc): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (schemes.length > 1) throw new Error(`${method} ${path}: more than one security scheme`);
      return {
        method: method as DocumentedOperation['method'],
        path,
        auth: (schemes[0] ?? 'none') as Audience,
        ...(op.requestBody?.content['text/csv'] ? { bodyType: 'text/csv' as const } : {}),
      };
    }),
  );
}
