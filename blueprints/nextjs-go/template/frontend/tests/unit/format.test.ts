import { formatBoolean, formatDateTime, formatNumber, truncate } from '@/lib/format';
import { offsetOf, pageCount, parsePage } from '@/lib/pagination';

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

describe('pagination', () => {
  it('parses ?page= defensively', () => {
    expect(parsePage(undefined)).toBe(1);
    expect(parsePage('3')).toBe(3);
    expect(parsePage(['4', '5'])).toBe(4);
    expect(parsePage('0')).toBe(1);
    expect(parsePage('-2')).toBe(1);
    expect(parsePage('abc')).toBe(1);
    expect(parsePage('99999999')).toBe(1);
  });

  it('computes pages and offsets', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
    expect(offsetOf(3, 20)).toBe(40);
  });
});
