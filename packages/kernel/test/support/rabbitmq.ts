import amqplib from 'amqplib';
import { TEST_AMQP_URL } from './index.js';

/**
 * Removes every queue and the exchange a test made under its prefix (names start with
 * `<prefix>.`), found through the broker's management-free way: the names the test knows.
 */
export async function removeRabbitTopology(options: {
  prefix: string;
  storeId: string;
  queues: readonly string[];
  url?: string;
}): Promise<void> {
  const connection = await amqplib.connect(options.url ?? TEST_AMQP_URL);
  try {
    for (const queue of options.queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.deleteExchange(`${options.prefix}.${options.storeId}.events`).catch(() => undefined);
    await channel.close().catch(() => undefined);
  } finally {
    await connection.close();
  }
}
