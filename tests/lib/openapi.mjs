// Strict validation of responses against the Zaikio Hub's published OpenAPI 3.0 schema
// ($ZAI_SHARED_DOCS/zaikio/hub-api-openapi.json, read at test time, never copied).
//
// The schema needs three conversions before a JSON Schema validator (ajv) can use it
// (../shared/zaikio/README.md):
//   - OpenAPI 3.0 `nullable: true` → `type: [T, "null"]` (a schema that is only {nullable: true},
//     as in `anyOf: [{…object…}, {nullable: true}]`, becomes {type: "null"});
//   - `allOf` branches that each say `additionalProperties: false` are merged into one object
//     schema (properties and required lists united), or no instance could satisfy them;
//   - Ruby regex anchors `\A` and `\z` → `^` and `$`.
// Formats the schema uses (uuid, date-time, email, uri, int32) are checked by our own
// definitions, so an unknown format is an error rather than silently ignored.
//
//   const hub = await loadHubSchema();
//   const result = hub.validate('/person', 'get', 200, body);   // { valid, errors }
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');

const annotations = new Set(['example', 'examples', 'externalDocs', 'xml', 'discriminator', 'deprecated', 'readOnly', 'writeOnly']);

function mergeAllOf(branches) {
  const merged = { type: 'object', properties: {}, required: [] };
  let closed = false;
  for (const b of branches) {
    if (b.type !== undefined && b.type !== 'object') return null;
    for (const [name, schema] of Object.entries(b.properties ?? {})) {
      merged.properties[name] = name in merged.properties ? { allOf: [merged.properties[name], schema] } : schema;
    }
    for (const r of b.required ?? []) if (!merged.required.includes(r)) merged.required.push(r);
    if (b.additionalProperties === false) closed = true;
    for (const key of Object.keys(b)) {
      if (!['type', 'properties', 'required', 'additionalProperties', 'description', 'nullable', 'title'].includes(key)) return null;
    }
  }
  if (closed) merged.additionalProperties = false;
  if (merged.required.length === 0) delete merged.required;
  return merged;
}

/** Converts one OpenAPI 3.0 schema (recursively) into JSON Schema for ajv. */
export function toJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  let s = { ...schema };
  if (Array.isArray(s.allOf) && s.allOf.length > 1 && s.allOf.some((b) => b.additionalProperties === false)) {
    const merged = mergeAllOf(s.allOf);
    if (merged) {
      const { allOf, ...rest } = s;
      s = { ...rest, ...merged };
    }
  }
  const out = {};
  for (const [key, value] of Object.entries(s)) {
    if (annotations.has(key) || key === 'nullable') continue;
    if (key === 'pattern' && typeof value === 'string') {
      out.pattern = value.replaceAll('\\A', '^').replaceAll('\\z', '$');
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (schema.nullable === true) {
    if (out.type !== undefined) {
      out.type = Array.isArray(out.type) ? [...new Set([...out.type, 'null'])] : [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else if (Object.keys(out).every((k) => k === 'description' || k === 'title')) {
      out.type = 'null';
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

const formats = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: (v) => {
    try {
      return Boolean(new URL(v).protocol);
    } catch {
      return false;
    }
  },
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  number: /^-?\d+(\.\d+)?$/,
};

export function makeAjv() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
  for (const [name, f] of Object.entries(formats)) ajv.addFormat(name, f);
  return ajv;
}

/** The 2xx (or given status) JSON response schema of `path` + `method`, converted. */
export function responseSchema(spec, path, method, status) {
  const op = spec.paths?.[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`the Hub schema has no ${method.toUpperCase()} ${path}`);
  const response = op.responses?.[String(status)];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the Hub schema has no JSON ${status} response for ${method.toUpperCase()} ${path}`);
  return toJsonSchema(schema);
}

/** Loads the Hub schema and returns a validator with compiled schemas cached per operation. */
export async function loadHubSchema(file = `${process.env.ZAI_SHARED_DOCS}/zaikio/hub-api-openapi.json`) {
  const spec = JSON.parse(await readFile(file, 'utf8'));
  const ajv = makeAjv();
  const compiled = new Map();
  return {
    spec,
    /** @returns {{ valid: boolean, errors: object[] }} */
    validate(path, method, status, body) {
      const key = `${method} ${path} ${status}`;
      if (!compiled.has(key)) compiled.set(key, ajv.compile(responseSchema(spec, path, method, status)));
      const check = compiled.get(key);
      const valid = check(body);
      return { valid, errors: valid ? [] : check.errors };
    },
  };
}
