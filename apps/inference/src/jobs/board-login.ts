/**
 * How a person logs in to bull-board: HTTP Basic (RFC 7617), any user name, the admin key as the password.
 * A browser cannot send a header of its own, and asks for a login only when a 401 challenges it; it then
 * sends the credentials with the board's pages, scripts and API calls. `charset="UTF-8"` asks it to
 * encode them as UTF-8 (the RFC's default is unspecified). Chosen over a login form and session cookie:
 * nothing to store or expire on the server, and the key stays the only secret.
 */
export const BOARD_CHALLENGE = 'Basic realm="modelgate admin", charset="UTF-8"';

/** The password of `Authorization: Basic <base64(user:password)>`, or undefined for any other header. */
export function basicPassword(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!match) return undefined;
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  const password = colon < 0 ? '' : credentials.slice(colon + 1);
  return password.length > 0 ? password : undefined;
}
