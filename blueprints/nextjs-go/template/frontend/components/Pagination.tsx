import Link from 'next/link';

import { pageCount } from '@/lib/pagination';
import { ui } from '@/styles/ui';

interface PaginationProps {
  basePath: string;
  page: number;
  pageSize: number;
  total: number;
}

/** Previous/next links over `?page=`; renders nothing when everything fits on one page. */
export function Pagination({ basePath, page, pageSize, total }: PaginationProps) {
  const pages = pageCount(total, pageSize);
  if (pages <= 1 && page <= 1) {
    return null;
  }
  return (
    <nav className={ui.pagination} aria-label="Pagination">
      {page > 1 ? (
        <Link className={ui.buttonSecondary} href={`${basePath}?page=${Math.min(page - 1, pages)}`} rel="prev">
          Previous
        </Link>
      ) : (
        <span />
      )}
      <span className={ui.muted}>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className={ui.buttonSecondary} href={`${basePath}?page=${page + 1}`} rel="next">
          Next
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
