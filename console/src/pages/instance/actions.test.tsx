import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Instance } from '../../api/types';
import { fakeApi, renderSignedIn } from '../../test/render';
import { DeleteInstanceModal } from './actions';

const instance = { id: 'ins_1', name: 'Acme orders', enabled: true, pauseMode: 'REJECT', flowConfigs: [] } as unknown as Instance;

afterEach(() => vi.unstubAllGlobals());

describe('the delete dialog', () => {
  it('stays disabled until the instance\u2019s exact name is typed, then deletes with it as the confirmation', async () => {
    const api = fakeApi(() => [204, undefined]);
    const onDeleted = vi.fn();
    renderSignedIn(<DeleteInstanceModal visible instance={instance} onDismiss={() => {}} onDeleted={onDeleted} />);
    const input = screen.getByLabelText('Instance name to confirm');
    const button = () => screen.getByRole('button', { name: 'Delete' });
    expect(button()).toBeDisabled();
    for (const wrong of ['Acme', 'acme orders', 'Acme orders ', ' Acme orders']) {
      fireEvent.change(input, { target: { value: wrong } });
      await waitFor(() => expect(button()).toBeDisabled());
    }
    expect(screen.getByText('Not the instance\u2019s exact name')).toBeInTheDocument();
    fireEvent.change(input, { target: { value: 'Acme orders' } });
    await waitFor(() => expect(button()).toBeEnabled());
    await userEvent.click(button());
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith(false));
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0].method).toBe('DELETE');
    expect(api.calls[0].url.pathname).toBe('/instances/ins_1');
    expect(api.calls[0].url.searchParams.get('confirm')).toBe('Acme orders');
  });

  it('shows the API\u2019s refusal and deletes nothing more', async () => {
    fakeApi(() => [400, { error: { code: 'validation', message: 'invalid request', details: [{ field: 'confirm', reason: 'must be the instance name' }] } }]);
    const onDeleted = vi.fn();
    renderSignedIn(<DeleteInstanceModal visible instance={instance} onDismiss={() => {}} onDeleted={onDeleted} />);
    fireEvent.change(screen.getByLabelText('Instance name to confirm'), { target: { value: 'Acme orders' } });
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('invalid request: confirm must be the instance name')).toBeInTheDocument();
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
