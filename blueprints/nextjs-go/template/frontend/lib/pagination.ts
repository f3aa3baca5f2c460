// Lists page by cursor. The URL keeps the trail of cursors that led to the current page
// (`?after=c1,c2`), so "Previous" is the trail without its last cursor and no page needs
// a count of the table.
export const PAGE_SIZE = 20;

// The pattern of a cursor in the OpenAPI contract: what the API returns and accepts.
const CURSOR = /^[A-Za-z0-9_-]{32}$/;
const MAX_TRAIL = 200;

/** The cursors of `?after=`; anything malformed means the first page. */
export function parseTrail(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) {
    return [];
  }
  const trail = raw.split(',');
  return trail.length <= MAX_TRAIL && trail.every((c) => CURSOR.test(c)) ? trail : [];
}

/** The address of the page after `trail` (or of the first page for an empty trail). */
export function pageHref(basePath: string, trail: string[]): string {
  return trail.length > 0 ? `${basePath}?after=${trail.join(',')}` : basePath;
}

/** How many rows a reference's select offers: one page of the API at its largest. */
export const MAX_CHOICES = 100;
