import Fastify from 'fastify';

// The ceiling the other scenarios are measured against: Fastify with nothing in front or behind it.
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);
const address = await app.listen({ host, port });
console.log(`hello-world server listening on ${address}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
