// Build-time data: the crisis lines (data/safety/resources.yaml) and the parts of the therapy
// catalogue (data/therapy/techniques.yaml) the player needs, read from the repository when the
// web player is built and compiled into it as `virtual:tta-data`. That is what lets "I need
// help now" show the lines with no network round trip, even offline.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Plugin } from 'vite';
import type { BundledData, Country, Helpline } from '../src/data-types';

const VIRTUAL_ID = 'virtual:tta-data';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

type Raw = Record<string, unknown>;

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function helplines(list: unknown): Helpline[] {
  return (Array.isArray(list) ? list : []).map((h: Raw) => ({
    name: str(h.name),
    phone: str(h.phone),
    sms: str(h.sms),
    sms_keyword: str(h.sms_keyword),
    url: str(h.url),
    hours: str(h.hours),
    notes: str(h.notes),
    topics: Array.isArray(h.topics) ? h.topics.map(str) : [],
  }));
}

function country(code: string, raw: Raw): Country {
  return { code, name: str(raw.name), emergency: str(raw.emergency), helplines: helplines(raw.helplines) };
}

export function loadData(repoRoot: string): BundledData {
  const resources = parse(readFileSync(resolve(repoRoot, 'data/safety/resources.yaml'), 'utf8')) as Raw;
  const catalogue = parse(readFileSync(resolve(repoRoot, 'data/therapy/techniques.yaml'), 'utf8')) as Raw;
  const countries: Record<string, Country> = {};
  for (const [code, raw] of Object.entries((resources.countries ?? {}) as Record<string, Raw>)) {
    countries[code] = country(code, raw);
  }
  const techniques = (Array.isArray(catalogue.techniques) ? catalogue.techniques : []) as Raw[];
  const contentTags = new Set<string>();
  for (const t of techniques) for (const tag of (t.content_tags as string[]) ?? []) contentTags.add(tag);
  return {
    helplines: {
      version: str(resources.version),
      reviewed: str(resources.reviewed),
      languages: (resources.languages ?? {}) as Record<string, string>,
      aliases: (resources.aliases ?? {}) as Record<string, string>,
      fallback: country('', (resources.fallback ?? {}) as Raw),
      countries,
    },
    goals: Object.entries((catalogue.tags ?? {}) as Record<string, string>).map(([id, description]) => ({
      id,
      description: str(description),
    })),
    feelings: Object.keys((catalogue.feelings ?? {}) as Raw),
    techniques: techniques.map((t) => ({ id: str(t.id), name: str(t.name), framework: str(t.framework) })),
    contentTags: [...contentTags].sort(),
  };
}

export function dataPlugin(repoRoot: string): Plugin {
  const files = ['data/safety/resources.yaml', 'data/therapy/techniques.yaml'].map((f) => resolve(repoRoot, f));
  return {
    name: 'tta-data',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    load(id) {
      if (id !== RESOLVED_ID) return null;
      for (const f of files) this.addWatchFile(f);
      return `export default ${JSON.stringify(loadData(repoRoot))};`;
    },
  };
}
