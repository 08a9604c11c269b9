import { htmlToText } from './html-text';

/**
 * The text a person would read in a raw RFC 822 email (as the SpamAssassin corpus stores them): the
 * Subject plus the decoded body, HTML reduced to its text, every other header and any attachment dropped.
 * The spam model is trained on this so that what it learns transfers to a plain message typed into the
 * API; routing headers (Received:, X-Mailer:, ...) would let it key on 2002 mail servers instead.
 */
export function emailToText(raw: string): string {
  const { headers, body } = splitMessage(raw.replace(/\r\n?/g, '\n'));
  const subject = decodeEncodedWords(headers.get('subject') ?? '');
  const text = `${subject}\n${entityText(headers, body, 0)}`;
  return text.replace(/\s+/g, ' ').trim();
}

type Headers = Map<string, string>;

const MAX_MIME_DEPTH = 5;

function splitMessage(message: string): { headers: Headers; body: string } {
  // A MIME part may have no headers at all: then it starts with the blank line.
  if (message.startsWith('\n')) return { headers: new Map(), body: message.slice(1) };
  const end = message.indexOf('\n\n');
  const head = end < 0 ? message : message.slice(0, end);
  const body = end < 0 ? '' : message.slice(end + 2);
  const headers: Headers = new Map();
  // Continuation lines start with whitespace (RFC 5322 folding); unfold them onto their header.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function entityText(headers: Headers, body: string, depth: number): string {
  const contentType = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  const mediaType = contentType.split(';')[0].trim();
  if (mediaType.startsWith('multipart/') && depth < MAX_MIME_DEPTH) {
    const parts = multipartParts(body, parameter(headers.get('content-type') ?? '', 'boundary'));
    const texts = parts.map((part) => {
      const { headers: partHeaders, body: partBody } = splitMessage(part);
      return { type: (partHeaders.get('content-type') ?? 'text/plain').toLowerCase(), text: entityText(partHeaders, partBody, depth + 1) };
    });
    // multipart/alternative repeats one message in several forms: keep one, preferring plain text.
    if (mediaType === 'multipart/alternative') {
      const chosen = texts.find((t) => t.type.startsWith('text/plain') && t.text.trim()) ?? texts.find((t) => t.text.trim());
      return chosen?.text ?? '';
    }
    return texts.map((t) => t.text).join('\n');
  }
  if (mediaType === 'message/rfc822' && depth < MAX_MIME_DEPTH) {
    const inner = splitMessage(body);
    return `${decodeEncodedWords(inner.headers.get('subject') ?? '')}\n${entityText(inner.headers, inner.body, depth + 1)}`;
  }
  if (!mediaType.startsWith('text/')) return '';
  const charset = parameter(headers.get('content-type') ?? '', 'charset');
  const text = decodeTransfer(body, (headers.get('content-transfer-encoding') ?? '').toLowerCase().trim(), charset);
  // Some spam is HTML sent as text/plain (or with no Content-Type at all).
  return mediaType === 'text/html' || /<html|<body|<font|<table|<br\b|<p\b/i.test(text) ? htmlToText(text) : text;
}

function multipartParts(body: string, boundary: string | undefined): string[] {
  if (!boundary) return [body];
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\n'));
      current = trimmed === delimiter ? [] : undefined;
      if (!current) break;
    } else if (current) {
      current.push(line);
    }
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

function parameter(headerValue: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2]) : undefined;
}

function decodeTransfer(body: string, encoding: string, charset: string | undefined): string {
  if (encoding === 'base64') return decodeBytes(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'), charset);
  if (encoding === 'quoted-printable') return decodeBytes(quotedPrintableBytes(body), charset);
  return body;
}

function quotedPrintableBytes(text: string): Buffer {
  const unfolded = text.replace(/=[ \t]*\n/g, ''); // soft line breaks
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded[i] === '=' ? unfolded.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      // The corpus is already a JS string; anything outside Latin-1 cannot have been a raw byte.
      const code = unfolded.charCodeAt(i);
      bytes.push(code < 256 ? code : 0x3f);
    }
  }
  return Buffer.from(bytes);
}

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'latin1').decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes); // unknown charset label
  }
}

/** RFC 2047 encoded words in headers: =?charset?Q|B?text?= */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // whitespace between adjacent encoded words is not part of the text
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : quotedPrintableBytes(text.replace(/_/g, ' '));
      return decodeBytes(bytes, charset.split('*')[0]);
    });
}
