// `node --import ./extensions/ui/src/testing/register.mjs`: installs resolve-hooks.mjs for the test process.
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url);
