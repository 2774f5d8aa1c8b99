// A function-key shortcut shown on its button. aria-hidden keeps it out of the button's
// accessible name (the button says the key in aria-keyshortcuts), so screen readers and tests
// find exactly `Open batch`, not "Open batch F2". No aria-label on the button: its visible
// words stay its name (WCAG 2.5.3).
export function Shortcut({ keys }: { keys: string }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {keys}
    </kbd>
  );
}
