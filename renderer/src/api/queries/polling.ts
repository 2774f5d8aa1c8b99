// Polling as a query's `refetchInterval`: every `everyMs` while someone is signed in and at the
// screen (a key or click in the last minute), otherwise not at all — a background call would
// keep an idle session awake, and nobody signed in has nothing to see.
import { useEffect, useState } from 'react';
import { useAppStore } from '../../state/app-store';
import { personIsThere } from '../../state/idle';

export function usePolling(everyMs: number): number | false {
  const signedIn = useAppStore((s) => Boolean(s.state?.session));
  const [there, setThere] = useState(personIsThere);
  useEffect(() => {
    // no call: only whether the person is still there, so polling stops and starts again with them
    const check = setInterval(() => setThere(personIsThere()), 2_000);
    return () => clearInterval(check);
  }, []);
  return signedIn && there ? everyMs : false;
}
