/** A process that runs one job on a user-code pool and never closes it: it must still exit on its own. */
import type { StoredEvent } from '../../../../shared/event.js';
import { UserCodePool } from '../pool.js';

const pool = new UserCodePool({ threads: 1 });
const { results } = await pool.run(pool.register({ kind: 'jsonata', source: '1 + 1' }), { op: 'evaluate', inputs: [{ data: {} } as unknown as StoredEvent] });
process.stdout.write(`${JSON.stringify(results)}\n`);
