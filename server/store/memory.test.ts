import { describeEventStore } from './testing/conformance.js';
import { openMemoryStore } from './memory.js';

describeEventStore('memory', async () => openMemoryStore());
