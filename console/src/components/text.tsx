import Box from '@cloudscape-design/components/box';
import Table from '@cloudscape-design/components/table';

/**
 * Text that a webhook sender or a flow controls (bodies, headers, log lines, error messages):
 * always a React text child, so the browser shows it and never parses it as HTML.
 */
export function TextBlock({ text, label, maxHeight = true }: { text: string; label?: string; maxHeight?: boolean }) {
  return (
    <pre className={maxHeight ? 'ferry-pre ferry-pre-scroll' : 'ferry-pre'} aria-label={label} data-testid={label}>
      {text}
    </pre>
  );
}

/** Name → value pairs (headers, query parameters, config variables) as a two-column table of text. */
export function KeyValueTable({ values, keyHeader = 'Name', valueHeader = 'Value', empty = 'None', label }: {
  values: Record<string, string> | null | undefined;
  keyHeader?: string;
  valueHeader?: string;
  empty?: string;
  label?: string;
}) {
  const items = Object.entries(values ?? {}).map(([k, v]) => ({ k, v: String(v) }));
  return (
    <Table
      variant="embedded"
      ariaLabels={{ tableLabel: label }}
      items={items}
      trackBy="k"
      columnDefinitions={[
        { id: 'k', header: keyHeader, cell: (i) => <span className="ferry-mono">{i.k}</span>, width: 260 },
        { id: 'v', header: valueHeader, cell: (i) => <span className="ferry-mono ferry-break">{i.v}</span> },
      ]}
      empty={<Box color="text-status-inactive">{empty}</Box>}
    />
  );
}
