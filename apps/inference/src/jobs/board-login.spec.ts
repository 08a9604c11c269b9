import { basicPassword, BOARD_CHALLENGE } from './board-login';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('bull-board login (HTTP Basic)', () => {
  it('takes the password as the key, whatever the user name', () => {
    expect(basicPassword(basic('admin:an-admin-key-0001'))).toBe('an-admin-key-0001');
    expect(basicPassword(basic(':the-admin-key-0001'))).toBe('the-admin-key-0001');
    expect(basicPassword(`basic   ${Buffer.from('u:p').toString('base64')}  `)).toBe('p');
  });

  it('keeps colons and UTF-8 in the password (only the first colon ends the user name)', () => {
    expect(basicPassword(basic('ops:key:with:colons-ü'))).toBe('key:with:colons-ü');
  });

  it('finds no password in other schemes, malformed headers or empty passwords', () => {
    expect(basicPassword(undefined)).toBeUndefined();
    expect(basicPassword('Bearer abcdefghijklmnop')).toBeUndefined();
    expect(basicPassword('Basic not base64!')).toBeUndefined();
    expect(basicPassword(basic('user-without-colon'))).toBeUndefined();
    expect(basicPassword(basic('user:'))).toBeUndefined();
    expect(basicPassword(['Basic a', 'Basic b'])).toBeUndefined();
  });

  it('challenges with a realm and says the credentials are UTF-8 (RFC 7617)', () => {
    expect(BOARD_CHALLENGE).toBe('Basic realm="modelgate admin", charset="UTF-8"');
  });
});
