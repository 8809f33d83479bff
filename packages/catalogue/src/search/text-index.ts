import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const WORD = /[\p{L}\p{N}]+/gu;
const STOPWORDS = new Set(eng);

/** Shortest query word that may carry a typo: shorter words have too many neighbours to guess. */
const TYPO_MIN_LENGTH = 5;
/** Shortest last query word that also matches as a prefix ("jack" finds jackets while typing). */
const PREFIX_MIN_LENGTH = 3;
/** Most terms a prefix expands to; the rest are too vague to rank anyway. */
const PREFIX_MAX_TERMS = 64;

/** How much a kind of match is worth, relative to an exact word in the product name (1). */
const TYPO_FACTOR = 0.5;
const PREFIX_FACTOR = 0.4;

/** The lower-cased words of a text, in order. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The index terms of a word: its English stem. */
const termOf = (word: string) => stemmer(word);

/** Query words without stop words, unless the query has nothing else. */
function meaningfulWords(query: string): string[] {
  const all = words(query);
  const kept = all.filter((w) => !STOPWORDS.has(w));
  return kept.length ? kept : all;
}

/** Keys under which a term is found with one edit: itself and each of its one-letter deletions. */
function deletionKeys(term: string): string[] {
  const keys = [term];
  for (let i = 0; i < term.length; i++) keys.push(term.slice(0, i) + term.slice(i + 1));
  return keys;
}

/**
 * Whether two terms are one edit apart (optimal string alignment): one letter added, dropped or
 * changed, or two neighbours swapped. Only called on candidates that share a deletion key.
 */
function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  // Different lengths share a deletion key only when one is the other with a letter added.
  if (a.length !== b.length) return Math.abs(a.length - b.length) === 1;
  let first = -1;
  let second = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (first < 0) first = i;
    else if (second < 0) second = i;
    else return false;
  }
  if (second < 0) return true;
  return second === first + 1 && a[first] === b[second] && a[second] === b[first];
}

/** A text field of a document and what a match in it is worth. */
export interface WeightedText {
  text: string;
  weight: number;
}

/**
 * An inverted index of stemmed words with typo tolerance (one edit on words of five letters or more,
 * found through a deletion-key index) and prefix matching of the last query word. Documents are
 * small integers chosen by the caller. Every query word must match (AND); a document's score is the
 * sum over query words of its best match, weighted by field and by kind of match.
 */
export class TextIndex {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly neighbours = new Map<string, Set<string>>();
  private sortedTerms: string[] | null = null;

  /** Indexes a document's fields; returns its terms, which remove() needs back. */
  add(doc: number, fields: readonly WeightedText[]): string[] {
    const best = new Map<string, number>();
    for (const { text, weight } of fields) {
      for (const word of words(text)) {
        const term = termOf(word);
        if ((best.get(term) ?? 0) < weight) best.set(term, weight);
      }
    }
    for (const [term, weight] of best) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = new Map();
        this.postings.set(term, posting);
        for (const key of deletionKeys(term)) {
          let terms = this.neighbours.get(key);
          if (!terms) this.neighbours.set(key, (terms = new Set()));
          terms.add(term);
        }
        this.sortedTerms = null;
      }
      posting.set(doc, weight);
    }
    return [...best.keys()];
  }

  /** Takes a document out of the postings of the given terms. */
  remove(doc: number, terms: readonly string[]): void {
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      posting.delete(doc);
      if (posting.size) continue;
      this.postings.delete(term);
      for (const key of deletionKeys(term)) {
        const set = this.neighbours.get(key);
        set?.delete(term);
        if (set?.size === 0) this.neighbours.delete(key);
      }
      this.sortedTerms = null;
    }
  }

  /** Documents matching every word of the query, with their scores; null for a query with no words. */
  search(query: string): Map<number, number> | null {
    const queryWords = meaningfulWords(query);
    if (queryWords.length === 0) return null;
    let result: Map<number, number> | null = null;
    for (const [i, word] of queryWords.entries()) {
      const matches = this.matchWord(word, i === queryWords.length - 1);
      if (result === null) {
        result = matches;
      } else {
        const combined = new Map<number, number>();
        for (const [doc, score] of result) {
          const more = matches.get(doc);
          if (more !== undefined) combined.set(doc, score + more);
        }
        result = combined;
      }
      if (result.size === 0) break;
    }
    return result;
  }

  /** Documents matching one query word, each with its best score for it. */
  private matchWord(word: string, last: boolean): Map<number, number> {
    const term = termOf(word);
    const scores = new Map<number, number>();
    const take = (matched: string, factor: number) => {
      const posting = this.postings.get(matched);
      if (!posting) return;
      for (const [doc, weight] of posting) {
        const score = weight * factor;
        if ((scores.get(doc) ?? 0) < score) scores.set(doc, score);
      }
    };
    take(term, 1);
    if (word.length >= TYPO_MIN_LENGTH) {
      const seen = new Set<string>();
      for (const key of deletionKeys(term)) {
        for (const candidate of this.neighbours.get(key) ?? []) {
          if (seen.has(candidate)) continue;
          seen.add(candidate);
          if (oneEditApart(term, candidate)) take(candidate, TYPO_FACTOR);
        }
      }
    }
    if (last && word.length >= PREFIX_MIN_LENGTH) {
      for (const prefixed of this.termsStartingWith(word))
        if (prefixed !== term) take(prefixed, PREFIX_FACTOR);
    }
    return scores;
  }

  private termsStartingWith(prefix: string): string[] {
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const terms = this.sortedTerms;
    let low = 0;
    let high = terms.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (terms[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const found: string[] = [];
    for (let i = low; i < terms.length && found.length < PREFIX_MAX_TERMS; i++) {
      if (!terms[i]!.startsWith(prefix)) break;
      found.push(terms[i]!);
    }
    return found;
  }
}
