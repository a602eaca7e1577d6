'use strict';
// Checks a response the hooks sent themselves (a documented variant Dredd's one request per
// status cannot cover) the way Dredd checks its own: status, JSON content type, and the body
// against the same dereferenced schema that goes into `expected.bodySchema`.

const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;
const { responseSchema } = require('./schemas.js');

function createChecker(spec) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map();

  const validatorFor = (path, method, status) => {
    const key = `${method} ${path} ${status}`;
    if (!compiled.has(key)) {
      const schema = responseSchema(spec, { path, method, status });
      compiled.set(key, schema ? ajv.compile(schema) : null);
    }
    return compiled.get(key);
  };

  /**
   * The problems with `res` as the answer of the operation at `path`/`method` with the
   * expected status (and WhatsApp error code, when given); an empty list when it conforms.
   */
  return function check(res, { path, method, status, code }) {
    const problems = [];
    if (res.status !== status) {
      problems.push(`expected status ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
      return problems;
    }
    if (!/^application\/json\b/.test(res.headers['content-type'] ?? '')) {
      problems.push(`expected application/json, got content-type ${res.headers['content-type']}`);
    }
    const validate = validatorFor(path, method, status);
    if (validate && res.json === undefined) problems.push(`body is not JSON: ${res.text.slice(0, 200)}`);
    else if (validate && !validate(res.json)) {
      problems.push(`body does not match the schema: ${ajvErrors(validate.errors)}; body ${res.text.slice(0, 300)}`);
    }
    const actualCode = res.json?.errors?.[0]?.code;
    if (code !== undefined && actualCode !== code)
      problems.push(`expected error code ${code}, got ${actualCode}: ${res.text.slice(0, 300)}`);
    return problems;
  };
}

const ajvErrors = (errors = []) =>
  errors
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`,
    )
    .join('; ');

module.exports = { createChecker };
