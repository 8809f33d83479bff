/** The shipping service's client as the cart uses it: declared by the shipping package (ServiceClients.shipping). */
export type { ShippingClient, ShippingRate } from '@shopstack/shipping';
