// A figure the screen asks for again and again while someone is at it: once at first, then every
// `everyMs`, and on the push events named — never while the session sits idle (background calls
// would keep an idle session open). For the dashboard and its whole-centre panel.
import { useCallback, useEffect, useState } from 'react';
import type { PushEvent } from '../../../shared/api/types';
import type { OperationName, OperationOutput } from '../../../shared/api/contract';
import { api, call } from '../api/client';
import { personIsActive } from './idle';

type NoInput = { [K in OperationName]: Record<string, never> extends Parameters<typeof call<K>>[1] ? K : never }[OperationName];

export interface Polled<T> {
  value: T | null;
  error: string | null;
  /** when the last answer came */
  at: string | null;
}

export function usePolled<K extends NoInput>(name: K, everyMs: number, alsoOn: ReadonlyArray<PushEvent['type']> = []): Polled<OperationOutput<K>> {
  const [state, setState] = useState<Polled<OperationOutput<K>>>({ value: null, error: null, at: null });
  const events = alsoOn.join(',');
  const load = useCallback(async () => {
    const r = await call(name, {} as Parameters<typeof call<K>>[1]);
    if (r.ok) setState({ value: r.value, error: null, at: new Date().toISOString() });
    else setState((s) => ({ ...s, error: r.error.message }));
  }, [name]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => personIsActive(60_000) && void load(), everyMs);
    const wanted = new Set(events.split(',').filter(Boolean));
    const off = api.subscribe((e) => wanted.has(e.type) && personIsActive(60_000) && void load());
    return () => {
      clearInterval(timer);
      off();
    };
  }, [load, everyMs, events]);
  return state;
}
