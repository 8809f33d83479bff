import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type StreamTransport from 'nodemailer/lib/stream-transport/index.js';
import { nodemailerMessage, type MailAdapter, type OutgoingMail } from './adapter.js';

/**
 * Writes each message as an RFC 5322 .eml file into a directory (the embedded store's default):
 * nodemailer builds the raw message, the file name starts with the time and names the order so a
 * person can find and open it.
 */
export class FileMailAdapter implements MailAdapter {
  readonly kind = 'file';
  private readonly transport: Transporter<StreamTransport.SentMessageInfo>;

  constructor(readonly dir: string) {
    this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const info = await this.transport.sendMail(nodemailerMessage(mail));
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, emlFileName(new Date(), mail));
    await writeFile(file, info.message as Buffer, { flag: 'wx' });
    return { messageId: info.messageId };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** `20261130T224105123Z-order-1042-<id>.eml`: sorts by time, says which order, never collides. */
export function emlFileName(at: Date, mail: Pick<OutgoingMail, 'messageId' | 'reference'>): string {
  const time = at.toISOString().replace(/[-:.]/g, '');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
  const id = safe(mail.messageId.replace(/^<|@.*$/g, ''));
  return `${time}-${safe(mail.reference)}-${id}.eml`;
}
