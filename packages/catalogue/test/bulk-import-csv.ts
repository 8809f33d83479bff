/** A CSV of `rows` new products, one variant each: a large staff import (tests and benchmarks). */
export function bulkImportCsv(rows: number, tag: string): string {
  const lines = ['slug,name,description,status,sku,price,weight_grams,stock,option:Size'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `${tag}-item-${i},Imported item ${i},"A plain description of imported item ${i}, for the catalogue",published,${tag.toUpperCase()}-${i},${1000 + (i % 500)},250,${i % 40},M`,
    );
  }
  return lines.join('\n');
}
