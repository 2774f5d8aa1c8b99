// What the page may ask the browser for: the camera (for scanning with a webcam), from this
// app's own page, and nothing else. Electron grants every permission by default, so each
// kind of request gets an explicit handler (security checklist item 5).
import type { DownloadItem, Event, Session } from 'electron';
import type { AppLog } from '../app/app.types';
import { isAppUrl } from './app-protocol';

type RequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type CheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
export type PermissionName = Parameters<RequestHandler>[1];
export type PermissionRequestDetails = Parameters<RequestHandler>[3];
export type PermissionCheckDetails = Parameters<CheckHandler>[3];

/** The part of a Session this module touches (the typed stand-in implements exactly this). */
export interface PermissionSession
  extends Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> {
  on(event: 'will-download', listener: (event: Event, item: Pick<DownloadItem, 'getURL'>) => void): unknown;
}

/**
 * A permission request: granted only for the camera alone (video, no microphone), asked by
 * the top frame of an app:// page.
 */
export function isPermissionRequestGranted(permission: PermissionName, details: PermissionRequestDetails): boolean {
  if (permission !== 'media') return false;
  if (!details.isMainFrame || !isAppUrl(details.requestingUrl)) return false;
  const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
  return Array.isArray(mediaTypes) && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/**
 * A permission check (navigator.permissions.query, device labels): the same rule, answered
 * from the origin Chromium reports for the requesting frame.
 */
export function isPermissionCheckGranted(
  permission: PermissionName,
  requestingOrigin: string,
  details: PermissionCheckDetails,
): boolean {
  if (permission !== 'media') return false;
  if (details.embeddingOrigin !== undefined) return false;
  return isAppUrl(requestingOrigin) && details.mediaType === 'video';
}

export function installPermissionHandlers(session: PermissionSession, log: AppLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionRequestGranted(permission, details);
    if (!granted) log.warn('permission request denied', { permission, url: details.requestingUrl });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionCheckGranted(permission, requestingOrigin, details),
  );
  // WebHID, WebUSB and Web Serial: the scanner is a keyboard wedge, the page needs no device.
  session.setDevicePermissionHandler(() => false);
  // The page never downloads; exports go through the save dialog in the main process.
  session.on('will-download', (event, item) => {
    log.warn('download refused', { url: item.getURL() });
    event.preventDefault();
  });
}
