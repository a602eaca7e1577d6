#!/usr/bin/env node
// Builds bundled/reference.html (the contacts API) and bundled/sandbox-reference.html: the
// reference rendered by Redoc's standalone bundle, with the bundle and the document inlined so
// the page needs no network (file:// works).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const here = new URL('..', import.meta.url).pathname;
const bundles = join(dirname(require.resolve('redoc/package.json')), 'bundles');
// The sidebar's "API docs by Redocly" logo is its only outside request: an empty image instead.
const LOGO = 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"';
const EMPTY_IMAGE = 'src:"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"';
const standalone = readFileSync(join(bundles, 'redoc.standalone.js'), 'utf8');
if (standalone.split(LOGO).length !== 2) throw new Error(`redoc.standalone.js: expected ${LOGO} once`);
const redoc = standalone.replace(LOGO, EMPTY_IMAGE);
const licence = readFileSync(join(bundles, 'redoc.standalone.js.LICENSE.txt'), 'utf8');
const { version } = require('redoc/package.json');

// `<` escaped: a description containing `</script>` must not end the inline script.
const inline = (text) => text.replace(/</g, '\\u003c');
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
if (redoc.includes('</script')) throw new Error('redoc.standalone.js contains </script: cannot inline it');

const page = (spec) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(spec.info.title)} ${escapeHtml(spec.info.version)}</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<div id="redoc"></div>
<!-- Redoc ${version} (redoc.standalone.js), MIT; its bundled licences:
${licence.replace(/--/g, '- -')}-->
<script>${redoc}</script>
<script>
Redoc.init(${inline(JSON.stringify(spec))}, { expandResponses: '200', jsonSampleExpandLevel: 3 }, document.getElementById('redoc'));
</script>
</body>
</html>
`;
for (const [document, file] of [
  ['contacts', 'reference.html'],
  ['sandbox', 'sandbox-reference.html'],
]) {
  const spec = JSON.parse(readFileSync(join(here, `bundled/${document}.json`), 'utf8'));
  writeFileSync(join(here, 'bundled', file), page(spec));
}
