// Every list page's row actions (delete, stop, expire) had written the same try/catch/refetch: it lives here once.
import { useState } from 'react';
import type { ApiError } from './api-error.js';

/** A row's action: its failure kept to show above the table, and the list fetched again whether it failed or not. */
export function useRowAction(refetch: () => Promise<unknown>) {
  const [actionError, setActionError] = useState<ApiError>();
  const act = async (run: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await run();
    } catch (err) {
      setActionError(err as ApiError);
    }
    await refetch();
  };
  return { actionError, act };
}
