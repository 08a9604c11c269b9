/**
 * The HTTP limit in Node on this machine, for the bench to measure modelgate against in the same run:
 * bare Fastify with its default JSON body parser (the one modelgate uses) answering every :predict with a
 * fixed 10-number prediction. No validation, no model, no logging. Started by the bench as its own
 * process through server-process.ts (it answers GET /health/ready like the app).
 */
import Fastify from 'fastify';

const PREDICTION = { predictions: [[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.55]] };

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 8 << 20 });
  app.post('/v1/models/:name', async (request) => {
    const body = request.body as { instances?: unknown[] };
    if (!Array.isArray(body?.instances)) throw Object.assign(new Error('instances required'), { statusCode: 400 });
    return PREDICTION;
  });
  app.get('/health/ready', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
