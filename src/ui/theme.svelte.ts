/**
 * The page's colour theme: light, dark, or the system's, chosen in the header and remembered in this browser
 * (a preference of the reader, not of the notebook, so it is kept apart from the workspace). `?theme=dark` in the
 * URL wins, for demos and screenshots. The CSS reads `data-theme` on <html>; charts read `theme.dark`.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const KEY = 'aisle.theme';

function isChoice(value: unknown): value is ThemeChoice {
  return THEME_CHOICES.includes(value as ThemeChoice);
}

class Theme {
  choice = $state<ThemeChoice>('system');
  private systemDark = $state(false);
  readonly dark = $derived(this.choice === 'dark' || (this.choice === 'system' && this.systemDark));

  /** Read the saved choice and the system's scheme, and keep <html> in step with both. */
  start(): void {
    const fromUrl = new URLSearchParams(location.search).get('theme');
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(KEY);
    } catch {
      // Storage may be off; the system's scheme still applies.
    }
    this.choice = isChoice(fromUrl) ? fromUrl : isChoice(saved) ? saved : 'system';
    const query = matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = query.matches;
    query.addEventListener('change', (event) => {
      this.systemDark = event.matches;
      this.apply();
    });
    this.apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // Not remembered, but still applied.
    }
    this.apply();
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.dark ? 'dark' : 'light';
  }
}

export const theme = new Theme();
