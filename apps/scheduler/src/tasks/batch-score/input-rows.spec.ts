import { parseInput } from './input-rows';

describe('parseInput', () => {
  it('reads one instance per JSONL line and reports a malformed line without stopping', () => {
    expect(parseInput('a.jsonl', '[5.1,3.5,1.4,0.2]\n\n"Maria"\n{bad\n')).toEqual([
      { row: 1, instance: [5.1, 3.5, 1.4, 0.2] },
      { row: 3, instance: 'Maria' },
      { row: 4, error: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it('reads CSV rows of numbers as lists and single text cells as strings, after the header', () => {
    expect(parseInput('a.csv', 'sl,sw,pl,pw\n5.1,3.5,1.4,0.2\n6.7,3.0,x,2.3\n')).toEqual([
      { row: 2, instance: [5.1, 3.5, 1.4, 0.2] },
      { row: 3, error: expect.stringMatching(/expected numbers or a single text column/) },
    ]);
    expect(parseInput('b.csv', 'text\n"Hello, world"\n"She said ""hi""\nthen left"\nplain\n')).toEqual([
      { row: 2, instance: 'Hello, world' },
      { row: 3, instance: 'She said "hi"\nthen left' },
      { row: 5, instance: 'plain' },
    ]);
  });

  it('refuses other file types', () => {
    expect(() => parseInput('a.txt', 'x')).toThrow(/only \.jsonl and \.csv/);
  });
});
