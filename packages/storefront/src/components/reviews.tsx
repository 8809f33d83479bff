import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../format.js';
import { useSession } from '../session.js';
import { ApiError, dataOf, type Rating, type ReviewPage } from '../shop.js';
import { Stars } from './stars.js';

const WRITE_ERRORS: Record<string, string> = {
  not_a_buyer: 'Only customers who bought this product can review it.',
  already_reviewed: 'You have already reviewed this product.',
};

/** A product's reviews: the star histogram, reviews sorted by helpfulness or date, and a form for buyers. */
export function Reviews({
  productId,
  rating,
  initial,
}: {
  productId: string;
  rating: Rating | null;
  initial: ReviewPage | null;
}) {
  const { api, signedIn, ready, store } = useSession();
  const [sort, setSort] = useState<'helpful' | 'newest'>('helpful');
  const [page, setPage] = useState<ReviewPage | null>(initial);
  const [voted, setVoted] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function load(nextSort: 'helpful' | 'newest', cursor?: string) {
    const answer = await api.GET('/api/ratings/products/{productId}/reviews', {
      params: { path: { productId }, query: { limit: 5, sort: nextSort, ...(cursor ? { cursor } : {}) } },
    });
    if (!answer.data) return;
    setPage((prev) =>
      cursor && prev ? { ...answer.data, items: [...prev.items, ...answer.data.items] } : answer.data,
    );
  }

  async function vote(id: string) {
    const answer = await api.POST('/api/ratings/reviews/{id}/helpful', { params: { path: { id } } });
    if (answer.response.ok) {
      setVoted((prev) => new Set(prev).add(id));
      setPage((prev) =>
        prev
          ? {
              ...prev,
              items: prev.items.map((r) => (r.id === id ? { ...r, helpfulCount: r.helpfulCount + 1 } : r)),
            }
          : prev,
      );
    }
  }

  async function write(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      dataOf(
        await api.POST('/api/ratings/products/{productId}/reviews', {
          params: { path: { productId } },
          body: {
            rating: Number(form.get('rating')),
            title: String(form.get('title') ?? ''),
            body: String(form.get('body') ?? ''),
          },
        }),
      );
      setMessage({ kind: 'ok', text: 'Thank you! Your review is published.' });
      await load('newest');
      setSort('newest');
    } catch (err) {
      const text =
        err instanceof ApiError ? (WRITE_ERRORS[err.code] ?? err.message) : 'Your review could not be sent.';
      setMessage({ kind: 'error', text });
    }
  }

  const total = rating?.count ?? 0;
  return (
    <section id="reviews" className="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">Reviews</h2>
      <div className="reviews-grid">
        <div className="histogram">
          {rating && total > 0 ? (
            <>
              <p className="big-rating">
                {rating.average.toFixed(1)} <Stars average={rating.average} />
              </p>
              <p className="muted">
                {total} {total === 1 ? 'review' : 'reviews'}
              </p>
              <dl>
                {([5, 4, 3, 2, 1] as const).map((stars) => {
                  const count = rating.histogram[stars];
                  return (
                    <div key={stars} className="histogram-row">
                      <dt>{stars} stars</dt>
                      <dd>
                        <span className="bar-track" aria-hidden="true">
                          <span
                            className="bar-fill"
                            style={{ width: `${total ? (count / total) * 100 : 0}%` }}
                          />
                        </span>
                        <span>{count}</span>
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </>
          ) : (
            <p>No reviews yet.</p>
          )}
        </div>
        <div>
          {page && page.items.length > 0 && (
            <div className="field inline">
              <label htmlFor="review-sort">Sort reviews</label>
              <select
                id="review-sort"
                value={sort}
                onChange={(event) => {
                  const next = event.target.value as 'helpful' | 'newest';
                  setSort(next);
                  void load(next);
                }}
              >
                <option value="helpful">Most helpful</option>
                <option value="newest">Newest</option>
              </select>
            </div>
          )}
          <ul className="review-list" role="list">
            {page?.items.map((review) => (
              <li key={review.id} className="review">
                <Stars average={review.rating} />
                <h3>{review.title}</h3>
                <p className="muted">{formatDate(review.createdAt, store)} · Verified buyer</p>
                <p>{review.body}</p>
                {review.reply && (
                  <blockquote className="reply">
                    <strong>Reply from {store.name}:</strong> {review.reply.body}
                  </blockquote>
                )}
                <button
                  type="button"
                  className="button button-small"
                  disabled={!ready || !signedIn || voted.has(review.id)}
                  onClick={() => void vote(review.id)}
                >
                  Helpful ({review.helpfulCount})
                </button>
              </li>
            ))}
          </ul>
          {page?.nextCursor && (
            <button type="button" className="button" onClick={() => void load(sort, page.nextCursor!)}>
              More reviews
            </button>
          )}
          {ready && signedIn ? (
            <form className="review-form" onSubmit={write}>
              <h3>Write a review</h3>
              <div className="field">
                <label htmlFor="review-rating">Rating</label>
                <select id="review-rating" name="rating" defaultValue="5">
                  {[5, 4, 3, 2, 1].map((n) => (
                    <option key={n} value={n}>
                      {n} {n === 1 ? 'star' : 'stars'}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="review-title">Title</label>
                <input id="review-title" name="title" required maxLength={120} />
              </div>
              <div className="field">
                <label htmlFor="review-body">Review</label>
                <textarea id="review-body" name="body" required maxLength={4000} rows={4} />
              </div>
              <button type="submit" className="button">
                Publish review
              </button>
              {message && (
                <p
                  className={message.kind === 'ok' ? 'notice notice-ok' : 'notice notice-error'}
                  role="status"
                >
                  {message.text}
                </p>
              )}
            </form>
          ) : (
            ready && (
              <p className="muted">
                <Link to="/account/sign-in">Sign in</Link> to review a product you bought.
              </p>
            )
          )}
        </div>
      </div>
    </section>
  );
}
