// The queue dashboard (DECISIONS.md §10: "a queue dashboard behind auth"): Bull Board over the gateway's own
// BullMQ queues, mounted at /staff/queues behind the staff login. Only a regional operator's account (scope
// `all`) opens it: job data names schools, and retrying or cleaning a queue acts on every school at once.
// Its browser app needs scripts and fetches of its own API, so its pages get a CSP of their own ('self' only).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { crossOriginWithoutToken } from '../origin.js';
import type { StaffAuth } from './routes.js';

export const QUEUE_BOARD_PATH = '/staff/queues';

const BOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export async function mountQueueBoard(app: FastifyInstance, auth: StaffAuth, queues: readonly Queue[]): Promise<void> {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Очереди шлюза', locale: { lng: 'ru-RU' } } },
  });
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      const s = auth.requireStaff(req, reply);
      if (!s) return reply;
      if (s.scope !== 'all') return reply.code(404).type('text/plain; charset=utf-8').send('не найдено\n');
      // Bull Board's actions are POST/PUT/DELETE fetches; a cross-site one is refused even with a cookie.
      if (req.method !== 'GET' && req.method !== 'HEAD' && crossOriginWithoutToken(req)) return reply.code(403).send({ error: 'cross-origin request refused' });
      return undefined;
    });
    // Runs after the server-wide onSend hook (a child context's hooks come after its parent's).
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', BOARD_CSP);
      return payload;
    });
    await scope.register(adapter.registerPlugin());
  }, { prefix: QUEUE_BOARD_PATH });
}
