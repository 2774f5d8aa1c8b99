// On the scan screen: this computer's clock is over 2 minutes off the central server's, in
// words. Every scan is stamped with this clock (late_return, the tray, the statement).
import { useSyncStatusQuery } from '../api/queries/sync';

export function ClockWarning() {
  const clock = useSyncStatusQuery().data?.clock ?? null;
  if (!clock?.warning) return null;
  const words = `${clock.warning.charAt(0).toUpperCase()}${clock.warning.slice(1)}`;
  return (
    <p className="warning big" role="alert" aria-label="Clock">
      {words}. Scan times are taken from this clock: ask a supervisor to correct it.
    </p>
  );
}
