import { describe, expect, it } from 'vitest';
import { choiceForKey, InputHistory } from '../../src/keys';

const choices = [{ number: 1 }, { number: 2 }, { number: 3 }];

describe('choiceForKey', () => {
  it('picks an offered choice by its digit', () => {
    expect(choiceForKey({ key: '2', inEditable: false }, choices)).toBe(2);
  });
  it('ignores digits with no such choice, zero, and other keys', () => {
    expect(choiceForKey({ key: '4', inEditable: false }, choices)).toBeNull();
    expect(choiceForKey({ key: '0', inEditable: false }, choices)).toBeNull();
    expect(choiceForKey({ key: 'a', inEditable: false }, choices)).toBeNull();
    expect(choiceForKey({ key: '12', inEditable: false }, choices)).toBeNull();
  });
  it('leaves digits alone while typing in a text box', () => {
    expect(choiceForKey({ key: '1', inEditable: true }, choices)).toBeNull();
  });
  it('leaves shortcuts with modifiers to the browser', () => {
    expect(choiceForKey({ key: '1', ctrlKey: true, inEditable: false }, choices)).toBeNull();
    expect(choiceForKey({ key: '1', altKey: true, inEditable: false }, choices)).toBeNull();
    expect(choiceForKey({ key: '1', metaKey: true, inEditable: false }, choices)).toBeNull();
  });
  it('picks nothing when no choices are offered', () => {
    expect(choiceForKey({ key: '1', inEditable: false }, [])).toBeNull();
  });
});

describe('InputHistory', () => {
  it('walks back and forward, returning to the line being typed', () => {
    const h = new InputHistory();
    h.add('look');
    h.add('go north');
    expect(h.previous('tal')).toBe('go north');
    expect(h.previous('go north')).toBe('look');
    expect(h.previous('look')).toBe('look'); // stays at the oldest
    expect(h.next('look')).toBe('go north');
    expect(h.next('go north')).toBe('tal');
    expect(h.next('tal')).toBe('tal');
  });
  it('keeps no blank lines or immediate repeats, and at most `limit` entries', () => {
    const h = new InputHistory(2);
    h.add('  ');
    h.add('look');
    h.add('look');
    h.add('west');
    h.add('up');
    expect(h.all).toEqual(['west', 'up']);
  });
  it('starts a fresh line after each command', () => {
    const h = new InputHistory(10, ['a', 'b']);
    expect(h.previous('')).toBe('b');
    h.add('c');
    expect(h.previous('')).toBe('c');
  });
});
