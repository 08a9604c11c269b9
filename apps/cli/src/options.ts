import { InvalidArgumentError } from 'commander';

/** `--rate 600/min` (also `/s`, `/h`; a bare number is per minute, as the article counts): requests per minute. */
export function parseRatePerMinute(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  if (!match) throw new InvalidArgumentError(`'${text}' is not a rate: write it as 600/min, 10/s or 36000/h`);
  const value = Number(match[1]);
  const unit = (match[2] ?? 'min').toLowerCase();
  const perMinute = unit.startsWith('s') ? value * 60 : unit.startsWith('h') ? value / 60 : value;
  if (!(perMinute > 0)) throw new InvalidArgumentError(`the rate must be above 0, got '${text}'`);
  return perMinute;
}

/** `--duration 10s` (also `500ms`, `2m`, `1h`; a bare number is seconds): seconds. */
export function parseDurationSeconds(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!match) throw new InvalidArgumentError(`'${text}' is not a duration: write it as 10s, 2m or 500ms`);
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const seconds = unit === 'ms' ? value / 1000 : unit === 's' ? value : unit === 'h' ? value * 3600 : value * 60;
  if (!(seconds > 0)) throw new InvalidArgumentError(`the duration must be above 0, got '${text}'`);
  return seconds;
}

export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`'${text}' is not a whole number of 1 or more`);
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`'${text}' is not a number above 0`);
  return value;
}

export function parseFraction(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new InvalidArgumentError(`'${text}' is not a number from 0 to 1`);
  return value;
}

/** A base URL without its trailing slash; only http and https. */
export function parseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`'${text}' is not a URL (for example http://localhost:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`'${text}' must be an http:// or https:// URL`);
  return url.toString().replace(/\/+$/, '');
}
