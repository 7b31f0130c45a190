// Progress: mood and the PHQ-9 / GAD-7 over time as charts, skills practised, the stories
// played and what each session held. The therapy routes (/v1/me/progress, /mood, /measures,
// /summaries) may be missing on an older server: each part then says so and the rest shows.
import data from 'virtual:tta-data';
import type { App } from '../app';
import { lineChart, type Point } from '../charts';
import { h } from '../dom';
import type { MoodPoint, ProgressReport, Session, SessionSummary } from '../types';

// A list from a response that is either the list itself or an object holding one.
export function listFrom<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v)) return v as T[];
  }
  return [];
}

const MEASURES: Record<string, { title: string; max: number; bands: { from: number; to: number; label: string }[] }> = {
  phq9: { title: 'PHQ-9 (low mood)', max: 27, bands: [{ from: 10, to: 27, label: 'moderate or more' }] },
  gad7: { title: 'GAD-7 (anxiety)', max: 21, bands: [{ from: 10, to: 21, label: 'moderate or more' }] },
};

function techniqueName(id: string): string {
  return data.techniques.find((t) => t.id === id)?.name ?? id.replace(/_/g, ' ');
}

function minutes(ms: number | undefined): string {
  if (!ms) return '';
  const m = Math.round(ms / 60000);
  return m < 1 ? 'under a minute' : `${m} min`;
}

export default async function progressScreen(app: App): Promise<void> {
  const [sessions, progress, mood, measures, summaries] = await Promise.all([
    app.api.get<{ sessions: Session[] }>('/v1/sessions?limit=50'),
    app.api.optional<ProgressReport>('GET', '/v1/me/progress').catch(() => null),
    app.api.optional<unknown>('GET', '/v1/me/mood?limit=100').catch(() => null),
    app.api.optional<unknown>('GET', '/v1/me/measures?limit=100').catch(() => null),
    app.api.optional<unknown>('GET', '/v1/me/summaries?limit=20').catch(() => null),
  ]);
  const therapyAvailable = progress !== null || mood !== null || measures !== null;

  // Mood: the check-ins themselves when the server lists them.
  const moodPoints: Point[] = listFrom<MoodPoint>(mood).map((m) => ({ at: m.at_ms, value: m.score }));
  const moodSection = h('section', { 'aria-labelledby': 'mood-title' }, h('h2', { id: 'mood-title' }, 'Mood'));
  if (moodPoints.length) {
    moodSection.append(lineChart(moodPoints, { title: 'Mood check-ins, 0 to 10', description: `${moodPoints.length} check-ins; latest ${moodPoints[moodPoints.length - 1].value} out of 10.`, min: 0, max: 10, valueLabel: 'Mood (0–10)' }));
  } else if (progress?.mood) {
    const m = progress.mood;
    moodSection.append(h('p', {}, `${m.count} check-ins: from ${m.first} to ${m.last} out of 10, averaging ${m.average.toFixed(1)}.`));
  } else {
    moodSection.append(h('p', {}, therapyAvailable ? 'No check-ins yet. Use “Check in” while you play.' : 'Mood over time is not available on this server yet. Your check-ins during play are still kept.'));
  }

  // Questionnaires: one chart per measure.
  const series = new Map<string, Point[]>();
  for (const s of progress?.measures ?? []) series.set(s.measure, s.points.map((p) => ({ at: p.at_ms, value: p.total })));
  if (series.size === 0) {
    for (const r of listFrom<{ measure: string; at_ms: number; total: number }>(measures)) {
      const list = series.get(r.measure) ?? [];
      list.push({ at: r.at_ms, value: r.total });
      series.set(r.measure, list);
    }
  }
  const measureSection = h('section', { 'aria-labelledby': 'measures-title' }, h('h2', { id: 'measures-title' }, 'Questionnaires'));
  for (const id of ['phq9', 'gad7']) {
    const points = series.get(id) ?? [];
    const m = MEASURES[id];
    if (points.length) {
      measureSection.append(h('h3', {}, m.title), lineChart(points, { title: `${m.title} totals`, description: `${points.length} answered; latest total ${points[points.length - 1].value} of ${m.max}. Lower is better.`, min: 0, max: m.max, valueLabel: 'Total', bands: m.bands }));
    }
  }
  if (series.size === 0) {
    measureSection.append(h('p', {}, 'No questionnaires answered yet. In the story, type “questionnaire phq9” or “questionnaire gad7” whenever you like.'));
  }

  const skills = progress?.skills ?? [];
  const skillsSection = h(
    'section',
    { 'aria-labelledby': 'skills-title' },
    h('h2', { id: 'skills-title' }, 'Skills practised'),
    skills.length
      ? h('ul', {}, skills.map((s) => h('li', {}, h('strong', {}, techniqueName(s.technique)), ` — practised ${s.practised} ${s.practised === 1 ? 'time' : 'times'}, finished ${s.completed}`)))
      : h('p', {}, progress ? 'None yet. When someone in the story offers a skill, you can try it (or say no).' : 'Type “progress” in the story to see the skills you have practised.'),
  );

  // Each closed session of play, newest first, in plain words.
  const titles = new Map(sessions.sessions.map((s) => [s.id, s.title]));
  const closed = listFrom<SessionSummary>(summaries).slice().reverse();
  const summarySection = h(
    'section',
    { 'aria-labelledby': 'summaries-title' },
    h('h2', { id: 'summaries-title' }, 'Session summaries'),
    closed.length
      ? h(
          'ul',
          { class: 'summaries' },
          closed.map((s) =>
            h(
              'li',
              {},
              h('strong', {}, titles.get(s.session_id) ?? 'A story'),
              `: ${s.turns} ${s.turns === 1 ? 'turn' : 'turns'}${s.duration_ms ? `, ${minutes(s.duration_ms)}` : ''}${s.places_visited ? `, ${s.places_visited} places` : ''}`,
              s.techniques?.length ? `; practised ${s.techniques.map((t) => techniqueName(t.technique)).join(', ')}` : '',
              s.mood_before != null ? (s.mood_after != null ? `; mood from ${s.mood_before} to ${s.mood_after}` : `; mood ${s.mood_before}`) : '',
              '.',
            ),
          ),
        )
      : h('p', {}, summaries === null ? 'Session summaries are not available on this server yet.' : 'None yet: a summary is kept when you quit a story, reach an ending or take a long break.'),
  );

  // The summaries above say it all when the server lists them; else the latest one.
  const last = summaries === null ? progress?.last_session : null;
  const sessionsSection = h(
    'section',
    { 'aria-labelledby': 'sessions-title' },
    h('h2', { id: 'sessions-title' }, 'Your stories'),
    last
      ? h(
          'p',
          { class: 'summary' },
          `Last session: ${last.turns} turns${last.duration_ms ? `, ${minutes(last.duration_ms)}` : ''}${last.places_visited ? `, ${last.places_visited} places` : ''}`,
          last.mood_before != null && last.mood_after != null ? `; mood from ${last.mood_before} to ${last.mood_after}` : '',
          '.',
        )
      : null,
    sessions.sessions.length
      ? h(
          'ul',
          { class: 'sessions' },
          sessions.sessions.map((s) =>
            h(
              'li',
              {},
              h('a', { href: `/play/${encodeURIComponent(s.id)}`, 'data-link': true }, s.title),
              ` — ${s.head} ${s.head === 1 ? 'turn' : 'turns'}, ${s.status === 'active' ? 'in progress' : s.status}, last played ${new Date(s.updated_at).toLocaleString()}`,
            ),
          ),
        )
      : h('p', {}, 'No stories yet.'),
  );

  app.main.append(h('h1', {}, 'Your progress'), moodSection, measureSection, skillsSection, summarySection, sessionsSection);
}
