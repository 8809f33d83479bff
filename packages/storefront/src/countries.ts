/** Countries offered in address and shipping forms, by ISO 3166-1 alpha-2 code. */
export const COUNTRIES =
  'AT AU BE BG CA CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT JP LI LT LU LV MT NL NO NZ PL PT RO SE SI SK US'.split(
    ' ',
  );

/** A country's name in the store's language, e.g. DE -> Germany. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The countries sorted by name, the store's own first. */
export function countryOptions(locale: string, first: string): Array<{ code: string; name: string }> {
  const list = COUNTRIES.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) =>
    a.name.localeCompare(b.name, locale),
  );
  return [...list.filter((c) => c.code === first), ...list.filter((c) => c.code !== first)];
}
