// Keyboard play: number keys pick the numbered choices, and the command box keeps a history
// that the up and down arrows walk through, like a terminal.

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  // True when focus is in a place that takes typing (a text box, a select, contenteditable):
  // there a digit is text, not a choice.
  inEditable: boolean;
}

// The choice a key press picks, or null. Digits 1-9 on the main row or the number pad pick
// the choice of that number when it is offered.
export function choiceForKey(e: KeyLike, choices: readonly { number: number }[]): number | null {
  if (e.inEditable || e.ctrlKey || e.altKey || e.metaKey) return null;
  if (!/^[1-9]$/.test(e.key)) return null;
  const n = Number(e.key);
  return choices.some((c) => c.number === n) ? n : null;
}

export class InputHistory {
  private readonly items: string[] = [];
  private cursor = 0; // items.length means "the line being typed"
  private draft = '';

  constructor(
    private readonly limit = 100,
    initial: readonly string[] = [],
  ) {
    for (const i of initial) this.add(i);
  }

  get all(): readonly string[] {
    return this.items;
  }

  // A command was sent: remember it (not twice in a row), and start a fresh line.
  add(text: string): void {
    const t = text.trim();
    if (t !== '' && this.items[this.items.length - 1] !== t) {
      this.items.push(t);
      if (this.items.length > this.limit) this.items.shift();
    }
    this.cursor = this.items.length;
    this.draft = '';
  }

  // Up arrow: the previous command, keeping what was being typed to come back to.
  previous(current: string): string {
    if (this.cursor === this.items.length) this.draft = current;
    if (this.cursor > 0) this.cursor -= 1;
    return this.items[this.cursor] ?? current;
  }

  // Down arrow: the next command, or back to the line being typed.
  next(current: string): string {
    if (this.cursor >= this.items.length) return current;
    this.cursor += 1;
    return this.cursor === this.items.length ? this.draft : this.items[this.cursor];
  }
}
