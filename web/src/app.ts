// The player's shell: the API client, the current user, navigation between screens, the
// announcer for screen readers, and the display settings. Screens are plain functions that
// render into <main> and may return a cleanup.
import { Api } from './api';
import { h } from './dom';
import { loadSettings, tokenStore, type Settings } from './storage';

export type Cleanup = () => void;
export type Screen = (ctx: App, params: Record<string, string>) => Promise<Cleanup | void> | Cleanup | void;

interface RouteDef {
  pattern: RegExp;
  keys: string[];
  screen: () => Promise<Screen>;
  needsSignIn: boolean;
  title: string;
}

function lock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request(name, fn) as Promise<T>) : fn();
}

export class App {
  readonly api: Api;
  readonly main: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly routes: RouteDef[] = [];
  private cleanup: Cleanup | null = null;
  private announceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.main = document.getElementById('main')!;
    this.announcer = document.getElementById('announcer')!;
    this.api = new Api({
      tokens: tokenStore,
      lock,
      onSignedOut: () => this.go('/signin'),
    });
  }

  route(path: string, title: string, screen: () => Promise<Screen>, needsSignIn = true): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      '^' +
        path.replace(/:([a-z]+)/g, (_m, k: string) => {
          keys.push(k);
          return '([^/]+)';
        }) +
        '/?$',
    );
    this.routes.push({ pattern, keys, screen, needsSignIn, title });
  }

  start(): void {
    document.addEventListener('click', (e) => {
      const a = (e.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
      if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      this.go(a.getAttribute('href')!);
    });
    window.addEventListener('popstate', () => void this.render());
    this.applySettings(loadSettings());
    void this.render();
  }

  go(path: string, replace = false): void {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    void this.render();
  }

  // Says `text` once through the live region. Cleared first so that the same words said
  // twice are still announced; a burst of calls announces only the last.
  announce(text: string): void {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announcer.textContent = '';
    this.announceTimer = setTimeout(() => {
      this.announcer.textContent = text;
      this.announceTimer = null;
    }, 250);
  }

  applySettings(s: Settings): void {
    const root = document.documentElement;
    root.dataset.textSize = s.textSize;
    root.dataset.contrast = s.contrast;
    root.dataset.motion = s.motion;
  }

  renderNav(): void {
    const nav = document.getElementById('nav')!;
    nav.replaceChildren();
    if (!this.api.signedIn) return;
    const here = location.pathname;
    const link = (href: string, text: string) =>
      h('a', { href, 'data-link': true, 'aria-current': here === href || here.startsWith(href + '/') ? 'page' : null }, text);
    nav.append(h('ul', {}, h('li', {}, link('/play', 'Play')), h('li', {}, link('/progress', 'Progress')), h('li', {}, link('/settings', 'Settings'))));
  }

  private async render(): Promise<void> {
    this.cleanup?.();
    this.cleanup = null;
    const path = location.pathname;
    let match: { def: RouteDef; params: Record<string, string> } | null = null;
    for (const def of this.routes) {
      const m = def.pattern.exec(path);
      if (m) {
        const params: Record<string, string> = {};
        def.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
        match = { def, params };
        break;
      }
    }
    if (!match) {
      this.go(this.api.signedIn ? '/play' : '/signin', true);
      return;
    }
    if (match.def.needsSignIn && !this.api.signedIn) {
      this.go('/signin', true);
      return;
    }
    this.renderNav();
    document.title = `${match.def.title} · TTA`;
    this.main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    try {
      const screen = await match.def.screen();
      this.main.replaceChildren();
      const done = await screen(this, match.params);
      if (location.pathname !== path) {
        done?.();
        return; // the screen moved on by itself
      }
      this.cleanup = done ?? null;
    } catch (e) {
      this.main.replaceChildren(
        h('h1', { tabindex: '-1' }, 'Something went wrong'),
        h('p', { role: 'alert' }, e instanceof Error ? e.message : String(e)),
        h('p', {}, h('a', { href: '/play', 'data-link': true }, 'Back to the start')),
      );
    }
    // Move focus to the new screen's heading, so screen readers and keyboards start there.
    const heading = this.main.querySelector<HTMLElement>('h1');
    if (heading && !this.main.contains(document.activeElement) ) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  }
}
