import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readDataFile } from './data-file';
import { toExamples } from './examples';
import { ModelInfo } from '../server/model-info';

const dir = mkdtempSync(join(tmpdir(), 'modelgate-data-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const iris: ModelInfo = { name: 'iris', version: '1', inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }], outputs: [], labels: ['setosa', 'versicolor', 'virginica'] };
const text: ModelInfo = { name: 'spam', version: '1', inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }], outputs: [], labels: ['ham', 'spam'] };

describe('data files', () => {
  it('reads CSV as RFC 4180 says: quoted commas, doubled quotes and line breaks, lines counted from the header', () => {
    const path = file('mail.csv', 'id,text,label\n1,"Hello, ""world""",ham\n2,"two\nlines",spam\n');
    const records = readDataFile(path);
    expect(records).toEqual([
      { line: 2, fields: { id: '1', text: 'Hello, "world"', label: 'ham' } },
      { line: 3, fields: { id: '2', text: 'two\nlines', label: 'spam' } },
    ]);
    expect(toExamples(records, text, path).map((e) => [e.instance, e.expected])).toEqual([
      ['Hello, "world"', 'ham'],
      ['two\nlines', 'spam'],
    ]);
  });

  it('makes one numeric vector input from the CSV columns that are not the label', () => {
    const path = file('iris.csv', 'sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,setosa\n');
    expect(toExamples(readDataFile(path), iris, path)[0]).toMatchObject({ line: 2, instance: [5.1, 3.5, 1.4, 0.2], expected: 'setosa' });
  });

  it('names the file, the line and the reason of a row that does not parse or fit', () => {
    expect(() => readDataFile(file('a.jsonl', '{"features":[1,2,3,4]}\n[1,2]\n'))).toThrow(`${join(dir, 'a.jsonl')}:2: each line must be a JSON object`);
    expect(() => readDataFile(file('b.csv', 'a,b\n"open,1\n'))).toThrow(`${join(dir, 'b.csv')}:2: a quoted field is never closed`);
    const wrongLabel = file('c.jsonl', '{"features":[1,2,3,4],"label":"rose"}\n');
    expect(() => toExamples(readDataFile(wrongLabel), iris, wrongLabel)).toThrow(
      `${wrongLabel}:1: label 'rose' is not one of the model's labels (setosa, versicolor, virginica)`,
    );
    const noInput = file('d.jsonl', '{"a":1,"b":2,"label":"setosa"}\n');
    expect(() => toExamples(readDataFile(noInput), iris, noInput)).toThrow(`${noInput}:1: no field 'features' for the model's input (this row has a, b, label)`);
    expect(() => readDataFile(file('e.txt', 'x'))).toThrow("unknown kind of data file '.txt': use .jsonl or .csv");
  });
});
