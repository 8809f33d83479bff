/** A star rating drawn with five stars, read out as "4.5 out of 5 stars (12 reviews)". */
export function Stars({ average, count }: { average: number; count?: number }) {
  const percent = Math.max(0, Math.min(100, (average / 5) * 100));
  const label =
    `${average.toFixed(1)} out of 5 stars` +
    (count === undefined ? '' : ` (${count} ${count === 1 ? 'review' : 'reviews'})`);
  return (
    <span className="stars" role="img" aria-label={label}>
      <span className="stars-track" aria-hidden="true">
        ★★★★★
        <span className="stars-fill" style={{ width: `${percent}%` }}>
          ★★★★★
        </span>
      </span>
      {count !== undefined && (
        <span className="stars-count" aria-hidden="true">
          ({count})
        </span>
      )}
    </span>
  );
}
