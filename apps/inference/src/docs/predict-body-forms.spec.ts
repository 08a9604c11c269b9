import type { OpenAPIObject } from '@nestjs/swagger';
import { splitPredictBodyForms } from './predict-body-forms';

const documentWith = (schemas: Record<string, object>) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }) as OpenAPIObject;

describe('splitPredictBodyForms', () => {
  it('turns a schema with both instances and inputs into a oneOf of the row and the columnar form, each with the shared properties', () => {
    const instances = { type: 'array', items: {}, example: [[1, 2]] };
    const inputs = { example: [[1, 2]] };
    const priority = { type: 'number', example: 10 };
    const document = splitPredictBodyForms(documentWith({ JobRequestDto: { type: 'object', properties: { instances, inputs, priority }, required: ['priority'] } }));
    expect(document.components!.schemas!.JobRequestDto).toEqual({
      oneOf: [
        { type: 'object', title: 'Row format', properties: { instances, priority }, required: ['instances', 'priority'] },
        { type: 'object', title: 'Columnar format', properties: { inputs, priority }, required: ['inputs', 'priority'] },
      ],
    });
  });

  it('leaves schemas with only one of the two forms alone', () => {
    const rows = { type: 'object', properties: { instances: { type: 'array' } } };
    expect(splitPredictBodyForms(documentWith({ Rows: rows })).components!.schemas!.Rows).toBe(rows);
  });
});
