import { useState } from 'react';

/**
 * Delete something after the user confirms: says while it runs, keeps the failure to show
 * (the server's problem detail) and lets the user try again.
 */
export function useConfirmedDelete(question: string, remove: () => Promise<void>, onDeleted: () => void) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirmAndDelete() {
    if (!window.confirm(question)) return;
    setDeleting(true);
    setError(null);
    try {
      await remove();
      onDeleted();
    } catch (caught) {
      setError(caught);
      setDeleting(false);
    }
  }

  return { deleting, error, confirmAndDelete };
}
