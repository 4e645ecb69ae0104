#!/usr/bin/env node
// `npx aisle run notebook.md …`: Aisle's sources are TypeScript, so tsx compiles them as they load.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
