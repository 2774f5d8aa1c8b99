// The one QueryClient's settings (created once in main.tsx; tests make their own).
import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal is an answer, not a hiccup: shown at once, never asked again behind the
        // person's back (each call would also keep an idle session awake).
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // Figures polled while someone is at the desk are polled even when the window is behind another.
        refetchIntervalInBackground: true,
      },
      mutations: { retry: false },
    },
  });
}
