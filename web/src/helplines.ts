// Crisis lines for a locale, from the directory compiled into the player (tools/data.ts). The
// rules are the server's own (src/tta/safety/resources.cpp, CountryOf), so the lines shown by
// "I need help now" are the ones a crisis turn would show.
import type { Country, HelplineDirectory } from './data-types';

function isUpperAlpha2(s: string): boolean {
  return /^[A-Z]{2}$/.test(s);
}

// "en-GB", "en_US.UTF-8", "pt-BR", "de", "GB": the region if known, else the language's
// default country, else "" (the international fallback).
export function countryOf(dir: HelplineDirectory, locale: string): string {
  const cut = locale.search(/[.@]/);
  const tag = cut >= 0 ? locale.slice(0, cut) : locale;
  const parts = tag === '' ? [] : tag.split(/[-_]/);
  const known = (code: string): string => {
    const c = dir.aliases[code] ?? code;
    return dir.countries[c] ? c : '';
  };
  if (parts.length === 0 || parts[0] === '') return '';
  if (parts.length === 1 && isUpperAlpha2(parts[0])) {
    const c = known(parts[0]);
    if (c) return c;
  }
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].length === 2) return known(parts[i].toUpperCase());
    if (/^[0-9]{3}$/.test(parts[i])) return '';
  }
  return dir.languages[parts[0].toLowerCase()] ?? '';
}

export function resourcesFor(dir: HelplineDirectory, locale: string): Country {
  const code = countryOf(dir, locale);
  return code ? dir.countries[code] : dir.fallback;
}

// Crisis lines first (they are what a crisis needs), then the others.
export function orderedLines(country: Country): Country['helplines'] {
  const crisis = country.helplines.filter((h) => h.topics.includes('crisis'));
  return [...crisis, ...country.helplines.filter((h) => !h.topics.includes('crisis'))];
}

// A phone number as a tel: link target ("116 123" -> "tel:116123").
export function telHref(phone: string): string {
  return 'tel:' + phone.replace(/[^0-9+*#]/g, '');
}

export function smsHref(number: string, keyword: string): string {
  const n = number.replace(/[^0-9+]/g, '');
  return keyword ? `sms:${n}?body=${encodeURIComponent(keyword)}` : `sms:${n}`;
}
