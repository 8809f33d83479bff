import path from 'node:path';
import { mailTransport, storeDataDir, type Config } from '@shopstack/kernel';
import type { MailAdapter } from './adapter.js';
import { FileMailAdapter } from './file-adapter.js';
import { SmtpMailAdapter } from './smtp-adapter.js';

export type { MailAdapter, OutgoingMail } from './adapter.js';
export { FileMailAdapter } from './file-adapter.js';
export { SmtpMailAdapter } from './smtp-adapter.js';

/** The directory .eml files go to: mail.dir, else `mail` in the store's data directory. */
export function mailDir(config: Config): string {
  return config.mail.dir ?? path.join(storeDataDir(config), 'mail');
}

/** The adapter the configuration asks for: SMTP when a server is configured, else .eml files. */
export function createMailAdapter(config: Config): MailAdapter {
  if (mailTransport(config) === 'smtp') {
    if (!config.mail.smtpUrl) throw new Error('mail.transport is smtp but mail.smtpUrl is not set');
    return new SmtpMailAdapter(config.mail.smtpUrl);
  }
  return new FileMailAdapter(mailDir(config));
}
