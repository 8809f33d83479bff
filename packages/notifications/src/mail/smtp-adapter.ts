import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { nodemailerMessage, type MailAdapter, type OutgoingMail } from './adapter.js';

/** Sends through an SMTP server named by a URL (smtp://user:pass@host:587, smtps://...). */
export class SmtpMailAdapter implements MailAdapter {
  readonly kind = 'smtp';
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(url: string) {
    this.transport = createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const info = await this.transport.sendMail(nodemailerMessage(mail));
    return { messageId: info.messageId };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
