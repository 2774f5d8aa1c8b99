// A function-key shortcut shown on its button. Hidden from the accessible name (the button
// carries aria-label with its §6 name and aria-keyshortcuts with the key), so screen readers
// and tests find `Open batch`, not "Open batch F2".
export function Shortcut({ keys }: { keys: string }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {keys}
    </kbd>
  );
}
