import { formatMoney } from '../format.js';
import { useSession } from '../session.js';

/** A price in the store's format; a range "from" its lowest when variants differ. */
export function Price({
  amount,
  max,
  currency,
  compareAt,
}: {
  amount: number;
  max?: number;
  currency: string;
  compareAt?: number | null;
}) {
  const { store } = useSession();
  const text = formatMoney(amount, currency, store);
  return (
    <span className="price">
      {max !== undefined && max > amount ? <>from {text}</> : text}
      {compareAt && compareAt > amount ? (
        <>
          {' '}
          <s className="compare-at">
            <span className="visually-hidden">was </span>
            {formatMoney(compareAt, currency, store)}
          </s>
        </>
      ) : null}
    </span>
  );
}
