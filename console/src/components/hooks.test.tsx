import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, renderSignedIn } from '../test/render';
import { useCursorPages } from './hooks';

afterEach(() => vi.unstubAllGlobals());

function Pages() {
  const p = useCursorPages<{ id: string }>('/executions', { instanceId: 'ins_1', limit: 2 });
  return (
    <div>
      <span data-testid="items">{p.items.map((i) => i.id).join(',')}</span>
      <span data-testid="page">{`${p.pageIndex}/${p.pagesCount}${p.hasNext ? '+' : ''}`}</span>
      <button onClick={() => p.goTo(p.pageIndex + 1)}>next</button>
      <button onClick={() => p.goTo(p.pageIndex - 1)}>previous</button>
    </div>
  );
}

describe('useCursorPages', () => {
  it('reaches each page with the cursor the page before answered, and never loads the whole list', async () => {
    const pages: Record<string, [string[], string | null]> = { '': [['a', 'b'], 'c1'], c1: [['c', 'd'], 'c2'], c2: [['e'], null] };
    const api = fakeApi((_m, url) => {
      const [items, next] = pages[url.searchParams.get('cursor') ?? ''];
      return [200, { items: items.map((id) => ({ id })), nextCursor: next }];
    });
    renderSignedIn(<Pages />);
    await waitFor(() => expect(screen.getByTestId('items').textContent).toBe('a,b'));
    expect(screen.getByTestId('page').textContent).toBe('1/2+');
    await userEvent.click(screen.getByText('next'));
    await waitFor(() => expect(screen.getByTestId('items').textContent).toBe('c,d'));
    await userEvent.click(screen.getByText('next'));
    await waitFor(() => expect(screen.getByTestId('items').textContent).toBe('e'));
    expect(screen.getByTestId('page').textContent).toBe('3/3');
    await userEvent.click(screen.getByText('previous'));
    await waitFor(() => expect(screen.getByTestId('items').textContent).toBe('c,d'));
    expect(api.calls.map((c) => c.url.searchParams.get('cursor'))).toEqual([null, 'c1', 'c2', 'c1']);
    expect(api.calls.every((c) => c.url.searchParams.get('limit') === '2' && c.url.searchParams.get('instanceId') === 'ins_1')).toBe(true);
  });
});
