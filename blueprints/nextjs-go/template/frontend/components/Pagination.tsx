import Link from 'next/link';

import { type Filters, pageHref } from '@/lib/pagination';
import { ui } from '@/styles/ui';

interface PaginationProps {
  basePath: string;
  /** The cursors that led to this page; empty on the first page. */
  trail: string[];
  /** The API's next_cursor: null on the last page. */
  next: string | null;
  /** The list's filters, kept on every page. */
  filters?: Filters;
}

/** Previous/next links over `?after=`; renders nothing when everything fits on one page. */
export function Pagination({ basePath, trail, next, filters = {} }: PaginationProps) {
  if (trail.length === 0 && !next) {
    return null;
  }
  return (
    <nav className={ui.pagination} aria-label="Pagination">
      {trail.length > 0 ? (
        <Link className={ui.buttonSecondary} href={pageHref(basePath, trail.slice(0, -1), filters)} rel="prev">
          Previous
        </Link>
      ) : (
        <span />
      )}
      <span className={ui.muted}>Page {trail.length + 1}</span>
      {next ? (
        <Link className={ui.buttonSecondary} href={pageHref(basePath, [...trail, next], filters)} rel="next">
          Next
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
