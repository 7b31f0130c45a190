import { describe, expect, it } from 'vitest';
import data from 'virtual:tta-data';
import { countryOf, orderedLines, resourcesFor, smsHref, telHref } from '../../src/helplines';

// The same cases as the server's ResourceDirectory (src/tta/safety/resources_test.cpp): the
// help control must show the lines a crisis turn would.
describe('countryOf', () => {
  const dir = data.helplines;
  it.each([
    ['en-GB', 'GB'],
    ['en_US.UTF-8', 'US'],
    ['pt-BR', 'BR'],
    ['de', 'DE'],
    ['GB', 'GB'],
    ['en-UK', 'GB'],
    ['en', ''],
    ['es-419', ''],
    ['en-ZZ', ''],
    ['zh-Hant-HK', 'HK'],
    ['', ''],
  ])('%s -> %s', (locale, code) => {
    expect(countryOf(dir, locale)).toBe(code);
  });

  it('always has lines to show, with the fallback for unknown places', () => {
    expect(resourcesFor(dir, 'xx').helplines.length).toBeGreaterThan(0);
    expect(resourcesFor(dir, 'en-GB').emergency).toBe('999');
  });

  it('lists crisis lines before the others', () => {
    const lines = orderedLines(resourcesFor(dir, 'en-US'));
    expect(lines[0].topics).toContain('crisis');
    const firstOther = lines.findIndex((l) => !l.topics.includes('crisis'));
    expect(lines.slice(firstOther).every((l) => !l.topics.includes('crisis'))).toBe(true);
  });
});

describe('links', () => {
  it('dials digits only and texts the keyword', () => {
    expect(telHref('116 123')).toBe('tel:116123');
    expect(smsHref('741741', 'HOME')).toBe('sms:741741?body=HOME');
  });
});
