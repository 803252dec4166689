// Redis connections for BullMQ (engineering.md §2.10): workers need maxRetriesPerRequest null; producers
// fail fast instead of queueing commands while Redis is away.
import { Redis } from 'ioredis';
import { ioredisOptions } from '../infra/redis-service.js';

export function workerConnection(url: string): Redis {
  return new Redis({ ...(ioredisOptions(url) as object), maxRetriesPerRequest: null } as never);
}

export function producerConnection(url: string): Redis {
  return new Redis({ ...(ioredisOptions(url) as object), maxRetriesPerRequest: 3, enableOfflineQueue: false } as never);
}
