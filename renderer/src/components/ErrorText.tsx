// An API error (or any refusal) in words, announced to screen readers.
import type { ApiError } from '../../../shared/api/types';

export function ErrorText({ error }: { error: ApiError | string | null | undefined }) {
  if (!error) return null;
  const words = typeof error === 'string' ? error : error.message;
  return (
    <p role="alert" className="error">
      {words}
    </p>
  );
}
