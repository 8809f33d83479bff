import type { ResponseOf } from '@shopstack/api-client';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { answerOf, messageOf, sendFile } from '../api.js';
import { Card, ErrorMessage, PageHeader } from '../components/ui.js';
import { useSession } from '../session.js';

type ImportReport = ResponseOf<'adminImportProducts'>;

const EXAMPLE = `slug,name,status,sku,price,stock,option:Size
trail-tee,Trail Tee,published,TEE-S,1999,10,S
trail-tee,Trail Tee,published,TEE-M,1999,8,M`;

/** The media type the import reads a file as: JSON by its name or type, CSV otherwise. */
function mediaTypeOf(file: File): string {
  return file.type === 'application/json' || file.name.toLowerCase().endsWith('.json')
    ? 'application/json'
    : 'text/csv';
}

/**
 * Products from a CSV (or JSON) file: the file is sent as it is, with its upload progress shown;
 * the answer counts what was created and updated and lists every refused row with the reason.
 */
export default function ImportPage() {
  const { token } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'processing'>('idle');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setError('Choose a file first.');
      return;
    }
    setError(null);
    setReport(null);
    setProgress(0);
    setPhase('uploading');
    abort.current = new AbortController();
    try {
      const sent = await sendFile({
        url: '/api/catalogue/admin/import',
        file,
        contentType: mediaTypeOf(file),
        token: await token(),
        signal: abort.current.signal,
        onProgress: (fraction) => {
          setProgress(fraction);
          if (fraction >= 1) setPhase('processing');
        },
      });
      setReport(answerOf<ImportReport>(sent));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setPhase('idle');
      abort.current = null;
    }
  }

  const busy = phase !== 'idle';
  return (
    <>
      <PageHeader title="Import products" />
      <div className="grid-2">
        <Card title="Upload a file">
          <form className="stack" onSubmit={submit}>
            <div className="field">
              <label htmlFor="import-file">CSV or JSON file</label>
              <input
                id="import-file"
                type="file"
                accept=".csv,text/csv,.json,application/json"
                aria-describedby="import-file-hint"
                disabled={busy}
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  setReport(null);
                  setError(null);
                }}
              />
              <p className="hint" id="import-file-hint">
                Products are matched by slug: an existing slug is updated, a new one created. A product with
                an invalid row is skipped whole; the others are imported.
              </p>
            </div>
            <div className="row">
              <button type="submit" className="button button-primary" disabled={busy || !file}>
                {busy ? 'Uploading…' : 'Upload'}
              </button>
              {busy && (
                <button type="button" className="button" onClick={() => abort.current?.abort()}>
                  Stop
                </button>
              )}
            </div>
            {progress !== null && (
              <div className="field">
                <label htmlFor="import-progress">
                  {phase === 'processing' ? 'Uploaded; the store is reading the file…' : 'Upload progress'}
                </label>
                <progress id="import-progress" max={1} value={progress} />
                <span className="hint">{Math.round(progress * 100)}%</span>
              </div>
            )}
            <ErrorMessage>{error}</ErrorMessage>
          </form>
        </Card>
        <Card title="CSV columns">
          <p>
            One row per variant; rows with the same <code>slug</code> make one product. Columns:{' '}
            <code>slug</code>, <code>name</code>, <code>description</code>, <code>category_slug</code>,{' '}
            <code>status</code>, <code>sku</code>, <code>title</code>, <code>price</code>,{' '}
            <code>compare_at_price</code>, <code>currency</code>, <code>weight_grams</code>,{' '}
            <code>stock</code>, <code>image_url</code>, <code>image_alt</code>, and <code>option:Name</code>{' '}
            for each option. Prices are in minor units (cents).
          </p>
          <pre className="code-block">{EXAMPLE}</pre>
        </Card>
      </div>

      {report && (
        <Card title="Result">
          <div role="status" className="stack">
            <p className={report.errors.length ? 'alert alert-warning' : 'alert alert-success'}>
              {report.created} created, {report.updated} updated, {report.skipped} skipped; variants:{' '}
              {report.variants.created} created, {report.variants.updated} updated.
              {report.errors.length > 0 &&
                ` ${report.errors.length} ${report.errors.length === 1 ? 'problem' : 'problems'} found.`}
            </p>
          </div>
          {report.errors.length > 0 ? (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Rows that were not imported</caption>
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      Row
                    </th>
                    <th scope="col">Field</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((e, i) => (
                    <tr key={`${e.row}-${e.field}-${i}`}>
                      <td className="numeric">{e.row}</td>
                      <td>
                        <code>{e.field}</code>
                      </td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>
              Every row was imported. <Link to="/products">See the product list</Link>.
            </p>
          )}
        </Card>
      )}
    </>
  );
}
