/** One e-mail ready to go: multipart/alternative with a plain-text and an HTML part. */
export interface OutgoingMail {
  /** The Message-ID header, stable per message (`<id@store.shopstack>`), so a resend is recognisable. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What a person finds the message by: the order number, for a file's name. */
  reference: string;
}

/** How mail leaves the shop: an .eml file per message, or an SMTP server. */
export interface MailAdapter {
  readonly kind: 'file' | 'smtp';
  /** Sends the message; resolves with the id the transport knows it by, throws when it was refused. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** The nodemailer message options of an outgoing mail. */
export function nodemailerMessage(mail: OutgoingMail) {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  };
}
