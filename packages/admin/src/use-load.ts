import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  /** What went wrong with the last load, for people. */
  error: string | null;
  loading: boolean;
  /** Loads again (after a change), keeping the data shown meanwhile. */
  reload: () => void;
  /** Replaces the data with what a change answered, without loading. */
  setData: (data: T) => void;
}

/**
 * Data loaded for a page: loaded again whenever `key` changes; an answer to an older load that
 * arrives late is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  useEffect(() => {
    let current = true;
    setLoading(true);
    latest.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(messageOf(err));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** A value that follows `value` once it has not changed for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
