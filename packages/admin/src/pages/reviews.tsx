import type { ResponseOf } from '@shopstack/api-client';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { messageOf, unwrap } from '../api.js';
import { Empty, ErrorMessage, Loading, PageHeader, Pager, StatusBadge } from '../components/ui.js';
import { formatDate } from '../money.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';

type ReviewPage = ResponseOf<'adminListReviews'>;
type Review = ReviewPage['items'][number];

function Stars({ rating }: { rating: number }) {
  return (
    <span className="stars" role="img" aria-label={`${rating} out of 5 stars`}>
      {'★'.repeat(rating)}
      <span className="stars-off">{'★'.repeat(5 - rating)}</span>
    </span>
  );
}

function ReviewCard({
  review,
  productName,
  onChange,
}: {
  review: Review;
  productName: string | undefined;
  onChange: (review: Review) => void;
}) {
  const api = useApi();
  const id = useId();
  const [reply, setReply] = useState(review.reply?.body ?? '');
  const [replying, setReplying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<Review>) {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
      setReplying(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  const path = { params: { path: { id: review.id } } };

  return (
    <article className={`card review ${review.status === 'hidden' ? 'review-hidden' : ''}`}>
      <header className="review-head">
        <div>
          <h2 className="review-title">{review.title || 'Untitled review'}</h2>
          <p className="muted">
            <Stars rating={review.rating} /> ·{' '}
            <Link to={`/products/${review.productId}`}>{productName ?? 'Product'}</Link> ·{' '}
            <Link to={`/customers/${review.customerId}`}>customer</Link> · {formatDate(review.createdAt)}
            {review.helpfulCount > 0 && ` · ${review.helpfulCount} found it helpful`}
          </p>
        </div>
        <StatusBadge status={review.status} />
      </header>
      <p className="review-body">{review.body}</p>
      {review.reply && !replying && (
        <blockquote className="review-reply">
          <p>
            <strong>Your reply</strong> · {formatDate(review.reply.repliedAt)}
          </p>
          <p>{review.reply.body}</p>
        </blockquote>
      )}
      <ErrorMessage>{error}</ErrorMessage>
      {replying && (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            if (!reply.trim()) {
              setError('Write a reply first.');
              return;
            }
            void run(async () =>
              unwrap(
                await api.PUT('/api/ratings/admin/reviews/{id}/reply', {
                  ...path,
                  body: { body: reply.trim() },
                }),
              ),
            );
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-reply`}>Reply to “{review.title || 'this review'}”</label>
            <textarea id={`${id}-reply`} rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />
          </div>
          <div className="row">
            <button type="submit" className="button button-primary" disabled={busy}>
              Publish reply
            </button>
            <button type="button" className="button button-ghost" onClick={() => setReplying(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {!replying && (
        <div className="row">
          {review.status === 'visible' ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(async () => unwrap(await api.POST('/api/ratings/admin/reviews/{id}/hide', path)))
              }
            >
              Hide
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                void run(async () => unwrap(await api.POST('/api/ratings/admin/reviews/{id}/show', path)))
              }
            >
              Show
            </button>
          )}
          <button type="button" className="button" disabled={busy} onClick={() => setReplying(true)}>
            {review.reply ? 'Edit reply' : 'Reply'}
          </button>
          {review.reply && (
            <button
              type="button"
              className="button button-ghost"
              disabled={busy}
              onClick={() =>
                void run(async () => unwrap(await api.DELETE('/api/ratings/admin/reviews/{id}/reply', path)))
              }
            >
              Remove reply
            </button>
          )}
        </div>
      )}
    </article>
  );
}

/** Customers' reviews, newest first: hide or show them, reply to them. */
export default function Reviews() {
  const api = useApi();
  const [status, setStatus] = useState<'' | 'visible' | 'hidden'>('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const [names, setNames] = useState<Record<string, string>>({});
  const reviews = useLoad<ReviewPage>(
    async () =>
      unwrap(
        await api.GET('/api/ratings/admin/reviews', {
          params: { query: { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
        }),
      ),
    `${status}|${cursor ?? ''}`,
  );

  // The list names products by id: read the names of those not known yet.
  useEffect(() => {
    const missing = [...new Set((reviews.data?.items ?? []).map((r) => r.productId))].filter(
      (id) => !(id in names),
    );
    if (missing.length === 0) return;
    void Promise.all(
      missing.map(async (id) => {
        const answer = await api.GET('/api/catalogue/admin/products/{id}', { params: { path: { id } } });
        return [id, answer.data?.name ?? 'Removed product'] as const;
      }),
    ).then((found) => setNames((known) => ({ ...known, ...Object.fromEntries(found) })));
  }, [reviews.data, api, names]);

  const replace = (updated: Review) => {
    if (!reviews.data) return;
    reviews.setData({
      ...reviews.data,
      items: reviews.data.items.map((r) => (r.id === updated.id ? updated : r)),
    });
  };

  return (
    <>
      <PageHeader title="Reviews">
        <div className="field field-inline">
          <label htmlFor="review-status">Show</label>
          <select
            id="review-status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as typeof status);
              setCursors([]);
            }}
          >
            <option value="">All reviews</option>
            <option value="visible">Visible</option>
            <option value="hidden">Hidden</option>
          </select>
        </div>
      </PageHeader>
      <ErrorMessage>{reviews.error}</ErrorMessage>
      {reviews.loading && !reviews.data && <Loading />}
      {reviews.data?.items.length === 0 && <Empty>No reviews here.</Empty>}
      <div className="stack-lg">
        {reviews.data?.items.map((review) => (
          <ReviewCard
            key={review.id}
            review={review}
            productName={names[review.productId]}
            onChange={replace}
          />
        ))}
      </div>
      <Pager
        label="Review pages"
        onPrevious={cursors.length ? () => setCursors((c) => c.slice(0, -1)) : undefined}
        onNext={
          reviews.data?.nextCursor ? () => setCursors((c) => [...c, reviews.data!.nextCursor!]) : undefined
        }
      />
    </>
  );
}
