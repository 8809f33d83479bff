import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { FileMailAdapter } from '../src/mail/file-adapter.js';
import { mailDirectory, parseMail } from './support.js';

test('the file adapter writes each message as a parseable .eml named by time and order, text and HTML alternatives', async (t) => {
  const { dir, remove } = await mailDirectory();
  t.after(remove);
  const adapter = new FileMailAdapter(path.join(dir, 'mail'));
  t.after(() => adapter.close());
  const html = '<p>Hello <strong>Zoë</strong>, order 1042 — €12.34</p>';
  const text = 'Hello Zoë, order 1042 — €12.34\n'.repeat(10);
  const result = await adapter.send({
    messageId: '<0190a000-1@demo.shopstack>',
    from: 'Corner Shop <shop@example.com>',
    to: 'ada@example.com',
    subject: 'Corner Shop: order 1042 confirmed',
    text,
    html,
    reference: 'order-1042-order-confirmation',
  });
  assert.equal(result.messageId, '<0190a000-1@demo.shopstack>');

  const files = await readdir(path.join(dir, 'mail'));
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^\d{8}T\d{9}Z-order-1042-order-confirmation-0190a000-1\.eml$/);
  const raw = await readFile(path.join(dir, 'mail', files[0]!), 'utf8');
  const mail = parseMail(raw);
  assert.equal(mail.headers.get('to'), 'ada@example.com');
  assert.equal(mail.headers.get('from'), 'Corner Shop <shop@example.com>');
  assert.equal(mail.headers.get('subject'), 'Corner Shop: order 1042 confirmed');
  assert.equal(mail.headers.get('message-id'), '<0190a000-1@demo.shopstack>');
  assert.equal(mail.headers.get('mime-version'), '1.0');
  assert.ok(mail.headers.get('date'));
  assert.match(mail.headers.get('content-type')!, /^multipart\/alternative;/);
  assert.equal(mail.text, text);
  assert.equal(mail.html, html);
  // RFC 5322 lines end in CRLF.
  assert.ok(raw.includes('\r\nSubject: '));

  // A second message (a resend, say) gets a file of its own.
  await adapter.send({
    messageId: '<0190a000-2@demo.shopstack>',
    from: 'shop@example.com',
    to: 'ada@example.com',
    subject: 'Again',
    text: 'x',
    html: '<p>x</p>',
    reference: 'order-1042-order-shipped',
  });
  assert.equal((await readdir(path.join(dir, 'mail'))).length, 2);
});
