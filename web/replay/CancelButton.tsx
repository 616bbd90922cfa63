/** Stops a running replay; its page and the list then show its final status (also streamed to its page). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api/client.js';
import { cancelReplay } from './api.js';

export function CancelButton({ id, label = 'Cancel replay' }: { id: string; label?: string }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelReplay(id),
    onSuccess: (status) => {
      client.setQueryData(['replay', id], status);
      void client.invalidateQueries({ queryKey: ['replays'] });
    },
  });
  return (
    <>
      <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
        {cancel.isPending ? 'Cancelling…' : label}
      </button>
      {cancel.error ? <span className="status-error"> {describeError(cancel.error)}</span> : null}
    </>
  );
}
