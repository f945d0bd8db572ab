// Writes schema/plan.v1.schema.json from the zod schema in src/report/plan-schema.ts
// (run after `npm run build`; test/report/plan-schema.test.ts fails when the file is stale).
import fs from 'node:fs';
import { planJsonSchema } from '../lib/src/index.js';

const out = new URL('../schema/plan.v1.schema.json', import.meta.url);
fs.writeFileSync(out, `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
