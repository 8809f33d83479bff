import { parse, type Options as CsvOptions } from 'csv-parse';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InvalidInput, unstorableText } from '@shopstack/kernel';
import { IMPORT_MAX_ITEMS, type ImportError } from '../schemas/admin.js';
import { ATTRIBUTE_NAME } from '../schemas/common.js';
import { slugify } from './catalogue-rules.js';

/**
 * One product assembled from the import, before it is checked: `input` is meant to match
 * ImportProductInput; `locate` turns a field path of that input back into the row and field
 * (JSON path or CSV column) the user wrote.
 */
export interface ImportCandidate {
  row: number;
  key: string;
  input: unknown;
  locate(path: string): { row: number; field: string };
}

/** Columns a product import CSV may have; `option:<Name>` columns add option values (e.g. option:Size). */
export const CSV_COLUMNS = [
  'slug',
  'name',
  'description',
  'category_slug',
  'status',
  'sku',
  'title',
  'price',
  'compare_at_price',
  'currency',
  'weight_grams',
  'stock',
  'image_url',
  'image_alt',
] as const;

const PRODUCT_COLUMNS = ['slug', 'name', 'description', 'category_slug', 'status'] as const;
const OPTION_PREFIX = 'option:';
const ATTRIBUTE_KEY = new RegExp(`^${ATTRIBUTE_NAME}$`);

/** Input field (first path segment) -> CSV column, to report schema errors by column. */
const columnOfField: Record<string, string> = {
  slug: 'slug',
  name: 'name',
  description: 'description',
  status: 'status',
  categorySlug: 'category_slug',
  images: 'image_url',
  sku: 'sku',
  title: 'title',
  price: 'price',
  compareAtPrice: 'compare_at_price',
  weightGrams: 'weight_grams',
  onHand: 'stock',
};

interface Header {
  index: Map<string, number>;
  /** Option columns: display name as written, attribute key, column index. */
  options: Array<{ name: string; key: string; column: string; at: number }>;
}

/** Details of every refusal of a header: the file is refused whole. */
const BAD_HEADER = { code: 'csv_bad_header' };

function readHeader(cells: string[]): Header {
  const index = new Map<string, number>();
  const options: Header['options'] = [];
  cells.forEach((raw, at) => {
    const column = raw.trim();
    if (index.has(column)) throw new InvalidInput(`Column ${column} appears twice.`, column, BAD_HEADER);
    index.set(column, at);
    if (column.toLowerCase().startsWith(OPTION_PREFIX)) {
      const name = column.slice(OPTION_PREFIX.length).trim();
      const key = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
      if (key === 'constructor') {
        throw new InvalidInput(
          `Option column ${column} makes the attribute name constructor, which JSON bodies may not hold: choose another name.`,
          column,
          BAD_HEADER,
        );
      }
      if (!name || !ATTRIBUTE_KEY.test(key)) {
        throw new InvalidInput(
          `Option column ${column} needs a name that starts with a letter and makes an attribute name of at ` +
            `most 50 characters (a lower-case letter, then lower-case letters, digits, _ or -).`,
          column,
          BAD_HEADER,
        );
      }
      options.push({ name, key, column, at });
    } else if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      throw new InvalidInput(
        `Unknown column ${column}. Columns: ${CSV_COLUMNS.join(', ')} and option:<Name>.`,
        column,
        BAD_HEADER,
      );
    }
  });
  for (const required of ['sku', 'price']) {
    if (!index.has(required))
      throw new InvalidInput(`The CSV needs a ${required} column.`, required, BAD_HEADER);
  }
  if (!index.has('slug') && !index.has('name'))
    throw new InvalidInput('The CSV needs a slug or a name column.', 'slug', BAD_HEADER);
  return { index, options };
}

interface Row {
  line: number;
  cells: string[];
}

/** With `info`, each record comes wrapped with its position; the typings do not model that option. */
interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** Text fed to the parser at a time; between slices other requests get the event loop. */
const PARSE_SLICE = 64 * 1024;

/** Parses CSV text slice by slice, yielding to the event loop between slices. */
async function parseRecords(text: string, options: CsvOptions): Promise<CsvRecord[]> {
  const parser = parse(options);
  const records: CsvRecord[] = [];
  let failure: Error | undefined;
  let ended = false;
  parser.on('readable', () => {
    let record: CsvRecord | null;
    while ((record = parser.read() as CsvRecord | null) !== null) records.push(record);
  });
  parser.on('error', (err) => (failure = err));
  const done = new Promise<void>((resolve) => {
    parser.on('end', () => {
      ended = true;
      resolve();
    });
    parser.on('close', () => resolve());
  });
  for (let at = 0; at < text.length && !failure && !ended && !parser.destroyed;) {
    // Cut after a line break, so no slice ends inside a surrogate pair.
    const cut = text.indexOf('\n', at + PARSE_SLICE);
    const next = cut < 0 ? text.length : cut + 1;
    parser.write(text.slice(at, next));
    at = next;
    await yieldToEventLoop();
  }
  if (!failure && !ended && !parser.destroyed) parser.end();
  await done;
  if (failure) throw failure;
  return records;
}

/**
 * Reads CSV text (one row per variant, a header row first) into one candidate per product;
 * rows of a product share its slug (or, without a slug column, its name). Cells that cannot be
 * read (a price that is not a whole number, ...) and rows with the wrong number of cells are
 * reported in `errors` and mark their product.
 */
export async function candidatesFromCsv(
  text: string,
  storeCurrency: string,
): Promise<{ candidates: ImportCandidate[]; errors: ImportError[]; broken: Set<string> }> {
  // The parser would turn a lone surrogate into U+FFFD without a word: refused first, naming its line.
  const unstorable = unstorableText(text);
  if (unstorable) {
    const line = text.split('\n').findIndex((lineText) => unstorableText(lineText) !== null) + 1;
    throw new InvalidInput(`Line ${line} of the CSV ${unstorable}.`, 'body', { code: 'invalid_text', line });
  }
  let records: CsvRecord[];
  try {
    records = await parseRecords(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      // The header, the most rows an import may hold, and one more to tell that there are too many:
      // parsing stops there instead of reading millions of rows only to refuse them.
      to: IMPORT_MAX_ITEMS + 2,
    });
  } catch (err) {
    throw new InvalidInput(`The CSV cannot be read: ${(err as Error).message}`, 'body', {
      code: 'csv_unreadable',
    });
  }
  if (!records.length)
    throw new InvalidInput('The CSV is empty: it needs a header row.', 'body', { code: 'csv_unreadable' });
  if (records.length - 1 > IMPORT_MAX_ITEMS) {
    throw new InvalidInput(
      `An import may hold at most ${IMPORT_MAX_ITEMS} rows after the header; this one holds more.`,
      'body',
      { code: 'import_too_many_rows', maxRows: IMPORT_MAX_ITEMS },
    );
  }
  const header = readHeader(records[0]!.record);
  const errors: ImportError[] = [];
  const broken = new Set<string>();
  const groups = new Map<string, Row[]>();

  for (const { record, info } of records.slice(1)) {
    const row: Row = { line: info.lines, cells: record };
    const slug = cell(header, row, 'slug');
    const name = cell(header, row, 'name');
    const key = slug ?? (name ? slugify(name, 'product') : undefined);
    if (record.length !== header.index.size) {
      errors.push({
        row: row.line,
        field: '(row)',
        message: `has ${record.length} cells, the header has ${header.index.size}`,
      });
      // The product this row seems to belong to must not go in without it.
      if (key) broken.add(key);
      continue;
    }
    if (!key) {
      errors.push({ row: row.line, field: 'slug', message: 'needs a slug or a name' });
      continue;
    }
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }

  const candidates: ImportCandidate[] = [];
  for (const [key, rows] of groups) {
    if (candidates.length % 500 === 499) await yieldToEventLoop();
    const candidate = assemble(header, key, rows, storeCurrency);
    if (candidate.errors.length) {
      errors.push(...candidate.errors);
      broken.add(key);
    }
    candidates.push(candidate.candidate);
  }
  return { candidates, errors, broken };
}

function cell(header: Header, row: Row, column: string): string | undefined {
  const at = header.index.get(column);
  const value = at === undefined ? undefined : row.cells[at];
  return value ? value : undefined;
}

function assemble(header: Header, key: string, rows: Row[], storeCurrency: string) {
  const errors: ImportError[] = [];
  const first = rows[0]!;
  const product: Record<string, string | undefined> = {};
  for (const column of PRODUCT_COLUMNS) {
    product[column] = cell(header, first, column);
    for (const other of rows.slice(1)) {
      const value = cell(header, other, column);
      if (value !== undefined && value !== product[column]) {
        errors.push({
          row: other.line,
          field: column,
          message: `differs from line ${first.line} of the same product`,
        });
      }
    }
  }

  const whole = (row: Row, column: string, hint = ''): number | undefined => {
    const value = cell(header, row, column);
    if (value === undefined) return undefined;
    if (/^\d{1,10}$/.test(value)) return Number(value);
    errors.push({ row: row.line, field: column, message: `must be a whole number of at least 0${hint}` });
    return undefined;
  };
  const minorUnits = ' (minor units: 1999 for 19.99)';

  const optionValues = new Map(header.options.map((o) => [o.key, [] as string[]]));
  const images: Array<{ url: string; alt: string }> = [];
  const variants = rows.map((row) => {
    const currency = cell(header, row, 'currency') ?? storeCurrency;
    const price = whole(row, 'price', minorUnits);
    const compareAt = whole(row, 'compare_at_price', minorUnits);
    const attributes: Record<string, string> = {};
    for (const option of header.options) {
      const value = cell(header, row, option.column);
      if (value === undefined) continue;
      attributes[option.key] = value;
      const values = optionValues.get(option.key)!;
      if (!values.includes(value)) values.push(value);
    }
    const url = cell(header, row, 'image_url');
    if (url && !images.some((image) => image.url === url))
      images.push({ url, alt: cell(header, row, 'image_alt') ?? '' });
    return dropUndefined({
      sku: cell(header, row, 'sku'),
      title: cell(header, row, 'title'),
      price: price === undefined ? undefined : { amount: price, currency },
      compareAtPrice: compareAt === undefined ? undefined : { amount: compareAt, currency },
      weightGrams: whole(row, 'weight_grams'),
      onHand: whole(row, 'stock'),
      attributes: Object.keys(attributes).length ? attributes : undefined,
    });
  });

  const options = header.options
    .filter((o) => optionValues.get(o.key)!.length)
    .map((o) => ({ name: o.name, values: optionValues.get(o.key)! }));
  const input = dropUndefined({
    slug: key,
    name: product.name,
    description: product.description,
    status: product.status,
    categorySlug: product.category_slug,
    options: options.length ? options : undefined,
    images: images.length ? images : undefined,
    variants,
  });

  const optionColumn = new Map(header.options.map((o) => [o.key, o.column]));
  const columnOf = (path: string): string => {
    const [head, next] = path.split('.');
    if (head === 'attributes' && next) return optionColumn.get(next) ?? 'option';
    if (head === 'options') return header.options[Number(next)]?.column ?? 'option';
    if ((head === 'price' || head === 'compareAtPrice') && path.endsWith('.currency')) return 'currency';
    return columnOfField[head ?? ''] ?? head ?? '(row)';
  };
  const candidate: ImportCandidate = {
    row: first.line,
    key,
    input,
    locate(path) {
      const variant = /^variants\.(\d+)(?:\.(.*))?$/.exec(path);
      if (variant)
        return { row: rows[Number(variant[1])]?.line ?? first.line, field: columnOf(variant[2] ?? 'sku') };
      return { row: first.line, field: path === '(root)' ? '(row)' : columnOf(path) };
    },
  };
  return { candidate, errors };
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
