import { startInference } from './support/test-app';

describe('shutdown right after start', () => {
  // Closing a BullMQ queue whose connection is still initialising made BullMQ throw "Unhandled error"
  // from an emitter with no listener left (bull-board's queues start connecting at once).
  it('closes cleanly however early it is asked to, ten times over', async () => {
    for (let i = 0; i < 10; i++) {
      const app = await startInference();
      await expect(app.close()).resolves.toBeUndefined();
    }
  });
});
