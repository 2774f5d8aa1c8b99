// The window shown instead of the app when it must not start: the database cannot be opened,
// it was written by a newer version, or the audit chain is broken. It says what happened, where
// the data and the log are, and what to do, in a static page with JavaScript turned off.
import { BrowserWindow } from 'electron';
import type { AppStartupError } from '../app/app.types';

export interface StartupProblem {
  title: string;
  message: string;
  whatToDo: string;
}

export function describeStartupError(error: AppStartupError): StartupProblem {
  if (error.code === 'newer_database') {
    return {
      title: 'This data was written by a newer version of Ballot Intake',
      message: error.message,
      whatToDo: 'Install the newer version on this workstation. Do not delete the data folder: it holds the receipts.',
    };
  }
  return {
    title: 'The database could not be opened',
    message: error.message,
    whatToDo:
      'Nothing was scanned or changed. Check that the disk is not full and that no other copy of Ballot Intake is running, then start it again. If it still fails, keep the data folder as it is and call support with the log file.',
  };
}

export function describeBrokenAudit(audit: { firstBrokenSeq: number | null; problem: string | null }): StartupProblem {
  const where = audit.firstBrokenSeq === null ? '' : ` at entry ${audit.firstBrokenSeq}`;
  return {
    title: 'The audit log is broken',
    message: `The audit log's hash chain does not verify${where}${audit.problem ? `: ${audit.problem}` : '.'}`,
    whatToDo:
      'Scanning is stopped on this workstation so that the evidence stays as it is. Do not delete or copy over the data folder. Call the election supervisor and support, and give them the data folder and the log file.',
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function errorPageHtml(problem: StartupProblem, paths: { dataDir: string; logFile: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Ballot Intake: ${escapeHtml(problem.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.4rem;color:#a00}code{background:#eee;padding:0 .2em;word-break:break-all}</style>
</head><body><main role="alert">
<h1>${escapeHtml(problem.title)}</h1>
<p>${escapeHtml(problem.message)}</p>
<p><strong>What to do:</strong> ${escapeHtml(problem.whatToDo)}</p>
<p>Data folder: <code>${escapeHtml(paths.dataDir)}</code><br>Log file: <code>${escapeHtml(paths.logFile)}</code></p>
</main></body></html>`;
}

export function showErrorWindow(problem: StartupProblem, paths: { dataDir: string; logFile: string }): BrowserWindow {
  const win = new BrowserWindow({
    title: `Ballot Intake: ${problem.title}`,
    width: 720,
    height: 480,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, devTools: false },
  });
  void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(errorPageHtml(problem, paths))}`);
  return win;
}
