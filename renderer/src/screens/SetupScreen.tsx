// First-run setup, after the first supervisor exists: the election (enrol or offline), then
// the register, then scanning.
import { RegisterImport } from '../components/RegisterImport';
import { WorkstationSetup } from '../components/WorkstationSetup';
import { useAppStore } from '../state/app-store';
import { useUiStore } from '../state/ui-store';

export function SetupScreen() {
  const state = useAppStore((s) => s.state)!;
  const setSetupOpen = useUiStore((s) => s.setSetupOpen);
  const configured = state.workstation.electionNumber !== null;
  return (
    <section className="setup">
      <h1>Set up this workstation</h1>
      <ol className="steps">
        <li>
          <h2>1. The election</h2>
          {configured ? (
            <p className="ok">
              Election {state.workstation.electionNumber} — {state.workstation.electionName}
              {state.workstation.enrolled ? `, enrolled with ${state.workstation.serverUrl}` : ', working offline'}.
            </p>
          ) : (
            <WorkstationSetup />
          )}
        </li>
        <li>
          <h2>2. The register</h2>
          {configured ? <RegisterImport /> : <p>First choose the election.</p>}
        </li>
        <li>
          <h2>3. Start</h2>
          <button
            type="button"
            disabled={!configured}
            onClick={() => {
              window.location.hash = 'scan';
              setSetupOpen(false);
            }}
          >
            Start scanning
          </button>
        </li>
      </ol>
    </section>
  );
}
