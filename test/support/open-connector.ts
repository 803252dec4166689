// Open a connector, use it, close it whatever happens: a test run must leave no session behind (АСУ РСО
// parks a second login, ЭПОС counts live sessions).
import type { Connector } from '../../src/connectors/contract.js';

export async function withOpenConnector<C extends Connector, T>(connector: C, use: (connector: C) => Promise<T>): Promise<T> {
  await connector.open();
  try {
    return await use(connector);
  } finally {
    await connector.close();
  }
}
