import { display, formatBoolean, formatDateTime, formatNumber, truncate } from '@/lib/format';
import { pageHref, parseTrail } from '@/lib/pagination';

describe('format', () => {
  it('formats date-times in UTC, independent of the machine', () => {
    expect(formatDateTime('2030-01-02T03:04:05Z')).toBe('2030-01-02 03:04 UTC');
    expect(formatDateTime('2030-01-02T05:04:05+02:00')).toBe('2030-01-02 03:04 UTC');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('formats booleans and numbers', () => {
    expect(formatBoolean(true)).toBe('Yes');
    expect(formatBoolean(false)).toBe('No');
    expect(formatNumber(12.5)).toBe('12.5');
  });

  it('truncates long text', () => {
    expect(truncate('short')).toBe('short');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});

describe('display', () => {
  it('shows each kind of value, and a dash for a missing one', () => {
    expect(display('bool', true)).toBe('Yes');
    expect(display('time', '2030-01-02T05:04:05+02:00')).toBe('2030-01-02 03:04 UTC');
    expect(display('bigint', '9007199254740993')).toBe('9007199254740993');
    expect(display('date', null)).toBe('—');
  });
});

describe('pagination', () => {
  it('reads the cursor trail of ?after= defensively', () => {
    const [a, b] = ['A'.repeat(32), 'd-e_f'.padEnd(32, '0')];
    expect(parseTrail(undefined)).toEqual([]);
    expect(parseTrail(`${a},${b}`)).toEqual([a, b]);
    expect(parseTrail([a, b])).toEqual([a]);
    expect(parseTrail(`${a},not ok`)).toEqual([]);
    expect(parseTrail(`${a},,${b}`)).toEqual([]);
    expect(parseTrail(`${a},${b}x`)).toEqual([]); // not the contract's 32 characters
  });

  it('links the pages of a trail', () => {
    expect(pageHref('/items', [])).toBe('/items');
    expect(pageHref('/items', ['a', 'b'])).toBe('/items?after=a,b');
  });
});
