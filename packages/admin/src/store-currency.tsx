import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from './session.js';

interface StoreCurrency {
  currency: string;
  /** Takes the currency the store said it sells in (a currency_mismatch answer names it). */
  setCurrency: (currency: string) => void;
}

const CurrencyContext = createContext<StoreCurrency>({ currency: 'EUR', setCurrency: () => {} });

/** The currency the store sells in: prices are typed in its major units and sent in minor units. */
export function useCurrency(): StoreCurrency {
  return useContext(CurrencyContext);
}

/** Learns the store currency from its products (or, in a store without any, from its order figures). */
export function CurrencyProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [currency, setCurrency] = useState('EUR');
  useEffect(() => {
    let current = true;
    (async () => {
      const products = await api.GET('/api/catalogue/admin/products', { params: { query: { pageSize: 1 } } });
      const fromProducts = products.data?.items[0]?.currency;
      if (fromProducts) return fromProducts;
      const stats = await api.GET('/api/orders/admin/stats', { params: { query: { days: 1 } } });
      return stats.data?.currency;
    })().then(
      (found) => {
        if (current && found) setCurrency(found);
      },
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api]);
  const value = useMemo(() => ({ currency, setCurrency }), [currency]);
  return <CurrencyContext.Provider value={value}>{children}</CurrencyContext.Provider>;
}
