import { emailToText } from './email-text';

describe('emailToText', () => {
  it('keeps the Subject and the body, and drops every other header', () => {
    const raw = [
      'From someone@example.com  Thu Aug 22 12:36:23 2002',
      'Received: from mail.example.com (mail [10.0.0.1])',
      '\tby relay.example.com with ESMTP',
      'Subject: Lunch',
      '  tomorrow?',
      'X-Mailer: Foo 1.0',
      '',
      'Are we still on for noon?',
      '',
      'Tom',
    ].join('\r\n');
    expect(emailToText(raw)).toBe('Lunch tomorrow? Are we still on for noon? Tom');
  });

  it('decodes quoted-printable bodies and RFC 2047 subjects in their charset', () => {
    const raw = [
      'Subject: =?iso-8859-1?Q?Caf=E9_ouvert?=',
      'Content-Type: text/plain; charset="iso-8859-1"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Le caf=E9 est ouv=',
      'ert.',
    ].join('\n');
    expect(emailToText(raw)).toBe('Café ouvert Le café est ouvert.');
  });

  it('reduces HTML to its visible text', () => {
    const raw = [
      'Subject: Offer',
      'Content-Type: text/html',
      '',
      '<html><head><style>p { color: red }</style></head><body><p>FREE&nbsp;money &amp; <b>more</b></p><!-- x --></body></html>',
    ].join('\n');
    expect(emailToText(raw)).toBe('Offer FREE money & more');
  });

  it('keeps one form of a multipart/alternative message, skips attachments, decodes base64 parts', () => {
    const raw = [
      'Subject: Report',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Numbers attached.').toString('base64'),
      '--inner',
      'Content-Type: text/html',
      '',
      '<p>Numbers attached.</p>',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      'AAECAwQFBgcICQ==',
      '--outer--',
      'epilogue',
    ].join('\n');
    expect(emailToText(raw)).toBe('Report Numbers attached.');
  });
});
