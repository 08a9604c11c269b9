import { parseDurationSeconds, parseRatePerMinute, parseUrl } from './options';

describe('command-line values', () => {
  it('reads rates per minute, per second and per hour, a bare number as per minute', () => {
    expect(parseRatePerMinute('600/min')).toBe(600);
    expect(parseRatePerMinute('10/s')).toBe(600);
    expect(parseRatePerMinute('36000/h')).toBe(600);
    expect(parseRatePerMinute('30')).toBe(30);
    expect(() => parseRatePerMinute('10/x')).toThrow("'10/x' is not a rate: write it as 600/min, 10/s or 36000/h");
    expect(() => parseRatePerMinute('0/min')).toThrow('the rate must be above 0');
  });

  it('reads durations in ms, s, m and h, a bare number as seconds', () => {
    expect(parseDurationSeconds('10s')).toBe(10);
    expect(parseDurationSeconds('500ms')).toBe(0.5);
    expect(parseDurationSeconds('2m')).toBe(120);
    expect(parseDurationSeconds('7')).toBe(7);
    expect(() => parseDurationSeconds('soon')).toThrow("'soon' is not a duration");
  });

  it('keeps http and https URLs without their trailing slash', () => {
    expect(parseUrl('http://localhost:8080/')).toBe('http://localhost:8080');
    expect(() => parseUrl('ftp://host')).toThrow("must be an http:// or https:// URL");
    expect(() => parseUrl('localhost')).toThrow('is not a URL');
  });
});
