import Alert from '@cloudscape-design/components/alert';
import { ApiError } from '../api/client';

/** What went wrong, for a person: the API's message and each field's reason. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}

export function ErrorAlert({ error, header = 'The API answered with an error' }: { error: unknown; header?: string }) {
  if (error === undefined || error === null) return null;
  const status = error instanceof ApiError && error.status > 0 ? ` (${error.status})` : '';
  return (
    <Alert type="error" header={`${header}${status}`}>
      {errorText(error)}
    </Alert>
  );
}
