#!/usr/bin/env node
// Generates src/generated/handlers.ts: one typed handler per operationId of the bundled spec,
// and the route table a server needs to mount them. Run by `pnpm generate`; the output is
// committed and checked for drift in CI.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@wa-contacts/spec/contacts.json'), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

const pascal = (id) => id[0].toUpperCase() + id.slice(1);
const comment = (lines) => ['  /**', ...lines.map((l) => `   * ${l}`.trimEnd()), '   */'].join('\n');

const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
    const security = (op.security ?? spec.security ?? []).flatMap((s) => Object.keys(s));
    const statuses = Object.keys(op.responses).map(Number).sort((a, b) => a - b);
    operations.push({ id: op.operationId, method: method.toUpperCase(), path, summary: op.summary, security, statuses });
  }
}
operations.sort((a, b) => a.id.localeCompare(b.id));

const out = [];
out.push(`// Generated from the bundled OpenAPI document by packages/server/scripts/generate.mjs.`);
out.push(`// Do not edit: change the spec and run \`pnpm generate\`.`);
out.push(``);
out.push(`import type { operations } from '@wa-contacts/types';`);
out.push(`import type { OperationRequest, OperationResponse } from '../operation.js';`);
out.push(``);
for (const o of operations) {
  out.push(`/** ${o.method} ${o.path}: ${o.summary} */`);
  out.push(`export type ${pascal(o.id)}Request = OperationRequest<operations['${o.id}']>;`);
  out.push(`/** ${o.method} ${o.path}: one of ${o.statuses.join(', ')} */`);
  out.push(`export type ${pascal(o.id)}Response = OperationResponse<operations['${o.id}']>;`);
  out.push(``);
}
out.push(`/**`);
out.push(` * The contacts node as a set of handlers, one per operationId. A handler returns one of the`);
out.push(` * responses its operation documents, so a shape the spec does not allow fails to compile.`);
out.push(` * \`Context\` is whatever the server passes along (the authenticated user, a logger...).`);
out.push(` */`);
out.push(`export interface ContactsApiHandlers<Context = unknown> {`);
for (const o of operations) {
  out.push(comment([`${o.method} ${o.path}`, o.summary]));
  out.push(`  ${o.id}(request: ${pascal(o.id)}Request, context: Context): Promise<${pascal(o.id)}Response>;`);
}
out.push(`}`);
out.push(``);
out.push(`/** Where each operation is mounted, how it authenticates and which statuses it documents. */`);
out.push(`export const operationRoutes = {`);
for (const o of operations) {
  out.push(
    `  ${o.id}: { method: '${o.method}', path: '${o.path}', security: [${o.security.map((s) => `'${s}'`).join(', ')}], statuses: [${o.statuses.join(', ')}] },`,
  );
}
out.push(`} as const;`);
out.push(``);
out.push(`export type OperationId = keyof typeof operationRoutes;`);
out.push(``);

mkdirSync(new URL('../src/generated/', import.meta.url), { recursive: true });
writeFileSync(new URL('../src/generated/handlers.ts', import.meta.url), out.join('\n'));
console.log(`generated ${operations.length} operation handlers → src/generated/handlers.ts`);
