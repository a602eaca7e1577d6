#!/usr/bin/env node
// Generates one typed handler per operationId of each bundled spec, and the route table a
// server needs to mount them: src/generated/handlers.ts (the contacts API) and
// src/generated/sandbox-handlers.ts (the reference server's sandbox). Run by `pnpm generate`;
// the output is committed and checked for drift in CI.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const pascal = (id) => id[0].toUpperCase() + id.slice(1);

function readOperations(specFile) {
  const spec = JSON.parse(readFileSync(require.resolve(`@wa-contacts/spec/${specFile}`), 'utf8'));
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const security = (op.security ?? spec.security ?? []).flatMap((s) => Object.keys(s));
      const statuses = Object.keys(op.responses)
        .map(Number)
        .sort((a, b) => a - b);
      operations.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        security,
        statuses,
      });
    }
  }
  return operations.sort((a, b) => a.id.localeCompare(b.id));
}

function render({ operations, typesModule, iface, routes, idType }) {
  const list = (items) => items.map((s) => (typeof s === 'string' ? `'${s}'` : s)).join(', ');
  return [
    `// Generated from the bundled OpenAPI document by packages/server/scripts/generate.mjs.`,
    `// Do not edit: change the spec and run \`pnpm generate\`.`,
    ``,
    `import type { operations } from '${typesModule}';`,
    `import type { OperationRequest, OperationResponse } from '../operation.js';`,
    ``,
    ...operations.flatMap((o) => [
      `/** ${o.method} ${o.path}: ${o.summary} */`,
      `export type ${pascal(o.id)}Request = OperationRequest<operations['${o.id}']>;`,
      `/** ${o.method} ${o.path}: one of ${o.statuses.join(', ')} */`,
      `export type ${pascal(o.id)}Response = OperationResponse<operations['${o.id}']>;`,
      ``,
    ]),
    `/**`,
    ` * One handler per operationId. A handler returns one of the responses its operation`,
    ` * documents, so a shape the spec does not allow fails to compile. \`Context\` is whatever`,
    ` * the server passes along (the authenticated user, a logger...). A handler may answer`,
    ` * without a promise when it has nothing to wait for (a cached answer, say).`,
    ` */`,
    `export interface ${iface}<Context = unknown> {`,
    ...operations.flatMap((o) => [
      `  /** ${o.method} ${o.path}: ${o.summary} */`,
      `  ${o.id}(request: ${pascal(o.id)}Request, context: Context): ${pascal(o.id)}Response | Promise<${pascal(o.id)}Response>;`,
    ]),
    `}`,
    ``,
    `/** Where each operation is mounted, how it authenticates and which statuses it documents. */`,
    `export const ${routes} = {`,
    ...operations.map(
      (o) =>
        `  ${o.id}: { method: '${o.method}', path: '${o.path}', security: [${list(o.security)}], statuses: [${list(o.statuses)}] },`,
    ),
    `} as const;`,
    ``,
    `export type ${idType} = keyof typeof ${routes};`,
    ``,
  ].join('\n');
}

const targets = [
  {
    specFile: 'contacts.json',
    typesModule: '@wa-contacts/types',
    iface: 'ContactsApiHandlers',
    routes: 'operationRoutes',
    idType: 'OperationId',
    file: 'handlers.ts',
  },
  {
    specFile: 'sandbox.json',
    typesModule: '@wa-contacts/types/sandbox',
    iface: 'SandboxApiHandlers',
    routes: 'sandboxRoutes',
    idType: 'SandboxOperationId',
    file: 'sandbox-handlers.ts',
  },
];

mkdirSync(new URL('../src/generated/', import.meta.url), { recursive: true });
for (const target of targets) {
  const operations = readOperations(target.specFile);
  writeFileSync(new URL(`../src/generated/${target.file}`, import.meta.url), render({ ...target, operations }));
  console.log(`generated ${operations.length} operation handlers → src/generated/${target.file}`);
}
