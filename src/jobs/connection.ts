// Redis connections for BullMQ (engineering.md §2.10): workers need maxRetriesPerRequest null; producers
// fail fast instead of queueing commands while Redis is away. ioredis reconnects by itself; its 'error'
// events are expected while Redis restarts, so they are counted here instead of printed as unhandled.
import { Redis } from 'ioredis';
import { ioredisOptions } from '../infra/redis-service.js';

export const connectionErrors = { count: 0, last: '' };

function observed(c: Redis): Redis {
  c.on('error', (err: Error) => {
    connectionErrors.count++;
    connectionErrors.last = err.message;
  });
  return c;
}

export function workerConnection(url: string): Redis {
  return observed(new Redis({ ...(ioredisOptions(url) as object), maxRetriesPerRequest: null } as never));
}

export function producerConnection(url: string): Redis {
  return observed(new Redis({ ...(ioredisOptions(url) as object), maxRetriesPerRequest: 3, enableOfflineQueue: false } as never));
}
