// Display formatting that gives the same text on the server and in the browser
// (no locale or time zone of the machine), so hydration never disagrees.

/** `2030-01-02T03:04:05Z` -> `2030-01-02 03:04 UTC`; unparsable input is shown as is. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatBoolean(value: boolean): string {
  return value ? 'Yes' : 'No';
}

export function formatNumber(value: number): string {
  return String(value);
}

/** Shortens long text for table cells, on a code point boundary. */
export function truncate(value: string, max = 80): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** How a field's value reads on screen, by field type; a missing optional value is "—". */
export function display(type: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) {
    return '—';
  }
  switch (type) {
    case 'bool':
      return formatBoolean(value === true);
    case 'time':
      return formatDateTime(String(value));
    default:
      return String(value);
  }
}
