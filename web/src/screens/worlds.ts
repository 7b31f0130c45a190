// Choosing a world: what it is about, the skills it offers and its content notes, all shown
// before the story starts.
import type { App } from '../app';
import { h } from '../dom';
import { paragraphsOf } from '../feed';
import { saveTranscript } from '../storage';
import type { Character, Session, World } from '../types';
import { busy, errorBox, field, humanise } from './forms';
import { ApiError } from '../api';

export default async function worldsScreen(app: App): Promise<void> {
  const [{ worlds }, { characters }] = await Promise.all([
    app.api.get<{ worlds: World[] }>('/v1/worlds'),
    app.api.get<{ characters: Character[] }>('/v1/characters'),
  ]);
  if (characters.length === 0) {
    app.go('/welcome', true);
    return;
  }
  const wanted = new URLSearchParams(location.search).get('character');
  const chosen = characters.find((c) => c.id === wanted) ?? characters[characters.length - 1];
  const who = h(
    'select',
    { name: 'character' },
    characters.map((c) => h('option', { value: c.id, selected: c.id === chosen.id }, c.name)),
  );
  const errors = errorBox();

  app.main.append(
    h('h1', {}, 'Choose a world'),
    characters.length > 1 ? field('Play as', who) : h('p', {}, `You will play as ${chosen.name}.`),
    errors.el,
    h(
      'ul',
      { class: 'cards' },
      worlds.map((w) => {
        const start = h('button', { type: 'button', class: 'primary' }, `Start “${w.title}”`);
        start.addEventListener('click', async () => {
          errors.clear();
          try {
            const session = await busy(start, () => app.api.post<Session>('/v1/sessions', { character_id: who.value || chosen.id, world_id: w.id }));
            if (session.turn) {
              const t = session.turn;
              saveTranscript(session.id, String(t.number), [
                { key: 'e0', type: 'turn', number: t.number, recorded: t.recorded, paragraphs: paragraphsOf(t.narrative), turn: t, undone: false },
              ]);
            }
            app.go(`/play/${encodeURIComponent(session.id)}`);
          } catch (err) {
            errors.show(err instanceof ApiError ? err.message : String(err));
          }
        });
        const titleId = `world-${w.id}`;
        return h(
          'li',
          { class: 'card' },
          h(
            'article',
            { 'aria-labelledby': titleId },
            h('h2', { id: titleId }, w.title),
            h('p', {}, w.summary),
            h('h3', {}, 'What it can help with'),
            h('p', {}, w.therapeutic_focus.map(humanise).join(', ') || '—'),
            w.techniques.length
              ? [h('h3', {}, 'Skills you may be offered'), h('ul', {}, w.techniques.map((t) => h('li', {}, h('strong', {}, t.name), ` — ${t.summary}`)))]
              : null,
            h('h3', {}, 'Content notes'),
            h('ul', { class: 'content-notes' }, w.content_notes.map((n) => h('li', {}, n))),
            w.age_guidance ? h('p', { class: 'muted' }, `Age guidance: ${w.age_guidance}`) : null,
            start,
          ),
        );
      }),
    ),
  );
}
