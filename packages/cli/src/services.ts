import { ConfigError, type AnyService } from '@shopstack/kernel';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import { dispatchService } from '@shopstack/dispatch';
import { notificationsService } from '@shopstack/notifications';
import { ordersService } from '@shopstack/orders';
import { paymentService } from '@shopstack/payment';
import { ratingsService } from '@shopstack/ratings';
import { shippingService } from '@shopstack/shipping';
import { usersService } from '@shopstack/users';

/** Every service this build of ShopStack can run or reach, in the order a process mounts them. */
export const knownServices: readonly AnyService[] = [
  usersService,
  catalogueService,
  shippingService,
  cartService,
  paymentService,
  ordersService,
  dispatchService,
  notificationsService,
  ratingsService,
];

/** Every service this build of ShopStack can run, by the name used in config.services. */
export const serviceRegistry: ReadonlyMap<string, AnyService> = new Map(
  knownServices.map((service) => [service.name, service]),
);

/**
 * The definitions of the configured services, in mount order (dependencies first, as listed in
 * knownServices); an unknown name is a configuration error.
 */
export function resolveServices(names: readonly string[]): AnyService[] {
  const unknown = names.filter((name) => !serviceRegistry.has(name));
  if (unknown.length) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new ConfigError(
      'services',
      `Invalid configuration: services: unknown service ${list}; available: ${[...serviceRegistry.keys()].join(', ')} ` +
        '(set by SHOPSTACK_SERVICES or "services" in the configuration file)',
    );
  }
  return knownServices.filter((service) => names.includes(service.name));
}
