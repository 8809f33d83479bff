import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import {
  CountryParams,
  CountryTaxRates,
  CreateDiscountInput,
  Discount,
  DiscountList,
  DiscountParams,
  PricingSettings,
  PutTaxRatesInput,
  TaxRateList,
  UpdateDiscountInput,
} from '../schemas/admin.js';
import type { CartRouteOptions } from './index.js';

const DISCOUNT_RULES = ['discount_value_invalid', 'discount_window_invalid'];

/** Staff routes: pricing settings, tax rates and discount codes. */
export const adminRoutes: FastifyPluginAsync<CartRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage pricing and discounts');
  const { taxes, discounts } = api;

  app.get(
    '/admin/settings',
    {
      onRequest,
      schema: {
        operationId: 'getCartSettings',
        tags: ['cart-admin'],
        summary: 'Whether prices include tax, and the default tax country',
        response: { 200: PricingSettings },
      },
    },
    async (request) => taxes.getSettings(request.ctx),
  );

  app.put(
    '/admin/settings',
    {
      onRequest,
      schema: {
        operationId: 'putCartSettings',
        tags: ['cart-admin'],
        summary: 'Set whether prices include tax, and the default tax country',
        description:
          'pricesIncludeTax: catalogue prices are gross (tax = gross - round(gross / (1 + rate))) or net ' +
          '(tax = round(net x rate)); tax is computed per line and rounded half up. defaultCountry: whose rates ' +
          'apply until a cart has a destination.',
        body: PricingSettings,
        response: { 200: PricingSettings },
      },
    },
    async (request) => taxes.putSettings(request.ctx, request.body),
  );

  app.get(
    '/admin/tax-rates',
    {
      onRequest,
      schema: {
        operationId: 'listTaxRates',
        tags: ['cart-admin'],
        summary: 'Tax rates by country and tax class',
        response: { 200: TaxRateList },
      },
    },
    async (request) => ({ items: await taxes.listRates(request.ctx) }),
  );

  app.put(
    '/admin/tax-rates/:country',
    {
      onRequest,
      schema: {
        operationId: 'putTaxRates',
        tags: ['cart-admin'],
        summary: "Replace a country's tax rates",
        description:
          'Every class once, standard among them (it also taxes shipping, and stands in for a class the country ' +
          'has no rate of). Rates in basis points: 1900 is 19%.',
        params: CountryParams,
        body: PutTaxRatesInput,
        response: {
          200: CountryTaxRates,
          ...problemResponses({ 422: ['tax_class_repeated', 'standard_rate_required'] }),
        },
      },
    },
    async (request) => taxes.putCountryRates(request.ctx, request.params.country, request.body),
  );

  app.post(
    '/admin/discounts',
    {
      onRequest,
      schema: {
        operationId: 'createDiscount',
        tags: ['cart-admin'],
        summary: 'Create a discount code',
        description:
          'percentage: value in basis points of the goods subtotal (1000 = 10%), at most 10000; fixed: value in minor ' +
          'units. Optional minimum subtotal, validity window [startsAt, endsAt), usage limit in total and per customer.',
        body: CreateDiscountInput,
        response: {
          201: Discount,
          ...problemResponses({ 409: ['discount_code_taken'], 422: DISCOUNT_RULES }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await discounts.create(request.ctx, request.body)),
  );

  app.get(
    '/admin/discounts',
    {
      onRequest,
      schema: {
        operationId: 'listDiscounts',
        tags: ['cart-admin'],
        summary: 'Every discount code, newest first, with its uses',
        response: { 200: DiscountList },
      },
    },
    async (request) => ({ items: await discounts.list(request.ctx) }),
  );

  app.get(
    '/admin/discounts/:id',
    {
      onRequest,
      schema: {
        operationId: 'getDiscount',
        tags: ['cart-admin'],
        summary: 'A discount code and its uses',
        params: DiscountParams,
        response: { 200: Discount, ...problemResponses({ 404: ['discount_not_found'] }) },
      },
    },
    async (request) => discounts.get(request.ctx, request.params.id),
  );

  app.patch(
    '/admin/discounts/:id',
    {
      onRequest,
      schema: {
        operationId: 'updateDiscount',
        tags: ['cart-admin'],
        summary: "Change a discount code's terms (not its code or kind)",
        description: 'A usage limit below the uses already taken is refused (409 discount_limit_below_used).',
        params: DiscountParams,
        body: UpdateDiscountInput,
        response: {
          200: Discount,
          ...problemResponses({
            404: ['discount_not_found'],
            409: ['discount_limit_below_used'],
            422: DISCOUNT_RULES,
          }),
        },
      },
    },
    async (request) => discounts.update(request.ctx, request.params.id, request.body),
  );
};
