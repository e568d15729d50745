/** The shop's fixed catalogue: small and deterministic, so lab answers can be computed. */
export const catalogue = [
  { id: 'tea', name: 'Green tea', price: 4.5 },
  { id: 'mug', name: 'Lab mug', price: 12 },
  { id: 'sticker', name: 'Prometheus sticker', price: 2 },
  { id: 'hoodie', name: 'Observability hoodie', price: 45 },
];
