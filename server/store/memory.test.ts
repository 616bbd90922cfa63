import { describeEventStore } from './conformance.js';
import { openMemoryStore } from './memory.js';

describeEventStore('memory', async () => openMemoryStore());
