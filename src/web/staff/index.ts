// The staff side of the web server in one call: login, reports and status (routes.ts), and the queue
// dashboard when the process has the gateway's queues (queue-board.ts).
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { mountQueueBoard } from './queue-board.js';
import { registerStaffRoutes, type StaffAuth, type StaffRoutesOptions } from './routes.js';

export { StaffDirectory, type StaffAccount, type StaffScope } from './accounts.js';
export { hashPassword, parsePasswordHash, verifyPassword } from './password.js';
export { LoginThrottle, type ThrottleLimits } from './throttle.js';
export type { StaffAuth, StaffSession } from './routes.js';

export async function registerStaff(app: FastifyInstance, o: Omit<StaffRoutesOptions, 'queueBoard'> & { queues?: readonly Queue[] }): Promise<StaffAuth> {
  const auth = registerStaffRoutes(app, { ...o, queueBoard: !!o.queues?.length });
  if (o.queues?.length) await mountQueueBoard(app, auth, o.queues);
  return auth;
}
