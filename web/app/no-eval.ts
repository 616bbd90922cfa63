/**
 * Imported first by main.tsx, before any zod schema is built. The server's Content-Security-Policy has no
 * 'unsafe-eval', and zod compiles object parsers with `new Function` unless told not to — even its probe for
 * whether it may is reported as a violation. Without it zod parses the same, a little slower, which the app's
 * small configs do not feel.
 */
import { z } from 'zod';

z.config({ jitless: true });
