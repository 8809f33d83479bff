import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../session.js';
import type { ProductSummary } from '../shop.js';

/** The search field: suggestions appear as one types (typo-tolerant, from the catalogue's search). */
export function SearchBox() {
  const { api } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<ProductSummary[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const latest = useRef('');

  useEffect(() => {
    const q = query.trim();
    latest.current = q;
    if (q.length < 2) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      api
        .GET('/api/catalogue/products', { params: { query: { q, limit: 6, sort: 'relevance' } } })
        .then(({ data }) => {
          if (latest.current !== q || !data) return;
          setSuggestions(data.items);
          setOpen(true);
          setActive(-1);
        })
        .catch(() => undefined);
    }, 120);
    return () => clearTimeout(timer);
  }, [query, api]);

  function go(path: string) {
    setOpen(false);
    setSuggestions([]);
    navigate(path);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (active >= 0 && suggestions[active]) go(`/p/${suggestions[active]!.slug}`);
    else if (q) go(`/search?q=${encodeURIComponent(q)}`);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!open || suggestions.length === 0) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => (i + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const listId = `${id}-suggestions`;
  const showList = open && suggestions.length > 0;
  return (
    <form className="search" role="search" onSubmit={submit} action="/search">
      <label htmlFor={`${id}-q`} className="visually-hidden">
        Search products
      </label>
      <input
        id={`${id}-q`}
        name="q"
        type="search"
        placeholder="Search products"
        autoComplete="off"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button type="submit" className="search-button">
        Search
      </button>
      <ul id={listId} role="listbox" className="suggestions" hidden={!showList} aria-label="Suggestions">
        {suggestions.map((item, index) => (
          <li
            key={item.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            onMouseDown={(event) => {
              event.preventDefault();
              go(`/p/${item.slug}`);
            }}
          >
            {item.image && <img src={item.image.url} alt="" width={40} height={40} />}
            <span>{item.name}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
