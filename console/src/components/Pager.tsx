import Pagination from '@cloudscape-design/components/pagination';
import type { CursorPages } from './hooks';

/** Pages of a cursor listing: the pages seen so far, and "next" while the API says there is more. */
export function Pager({ pages }: { pages: Pick<CursorPages<unknown>, 'pageIndex' | 'pagesCount' | 'hasNext' | 'goTo' | 'loading'> }) {
  return (
    <Pagination
      currentPageIndex={pages.pageIndex}
      pagesCount={pages.pagesCount}
      openEnd={pages.hasNext}
      disabled={pages.loading}
      onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
      ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
    />
  );
}
