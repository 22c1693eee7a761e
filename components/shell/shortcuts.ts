/** `g` then a letter, as in Linear. The top bar acts on these; the palette and the help list show them. */
export const GO_TO_KEYS: { key: string; path: string; label: string }[] = [
  { key: "h", path: "", label: "Home" },
  { key: "c", path: "/contacts", label: "Contacts" },
  { key: "a", path: "/accounts", label: "Accounts" },
  { key: "s", path: "/settings/members", label: "Settings" },
];

/** The palette's hint for a screen ("g c"), when it has a `g` shortcut. */
export function goToHint(label: string): string | undefined {
  const entry = GO_TO_KEYS.find((g) => g.label === label);
  return entry ? `g ${entry.key}` : undefined;
}

// Each shortcut: its alternatives, each the keys pressed together (⌘ K), or one after the other
// when `inTurn` (g then h).
export type Shortcut = { keys: string[][]; label: string; inTurn?: true };

/** What `?` lists. Where a screen handles more (the palette's ↑ ↓), that screen says so. */
export const SHORTCUT_GROUPS: { title: string; items: Shortcut[] }[] = [
  {
    title: "Anywhere",
    items: [
      { keys: [["/"]], label: "Search mail, people and companies" },
      { keys: [["⌘", "K"], ["Ctrl", "K"]], label: "Command palette: go to, sync, search" },
      ...GO_TO_KEYS.map((g) => ({ keys: [["g", g.key]], label: `Go to ${g.label}`, inTurn: true as const })),
      { keys: [["?"]], label: "These shortcuts" },
    ],
  },
  {
    title: "Lists and conversations",
    items: [
      { keys: [["j"], ["↓"]], label: "Next row or message" },
      { keys: [["k"], ["↑"]], label: "Previous row or message" },
      { keys: [["Enter"]], label: "Open" },
      { keys: [["Esc"]], label: "Back to the list" },
      { keys: [["f"]], label: "Filter contacts" },
    ],
  },
];

/** Dispatched on window to open the shortcuts list from elsewhere (the palette). */
export const OPEN_SHORTCUTS_EVENT = "threadline:open-shortcuts";

/** Whether a key event is typing into a field (shortcuts then leave it alone). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return Boolean(target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)));
}
