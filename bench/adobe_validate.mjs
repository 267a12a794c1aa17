// Runs Adobe's structured-data validator (Google rich-result rules) on HTML files and prints one JSON line per
// file: {"file": ..., "issues": [...], "types": {...}} or {"file": ..., "error": ...}.
// Install first (nothing is installed at run time):
//   npm install --prefix bench/node @adobe/structured-data-validator @marbec/web-auto-extractor
// Usage: node bench/adobe_validate.mjs page1.html page2.html ...
// The validator is given no schema.org release: only its rich-result handlers run, not its vocabulary check
// (Healthgeo's vocabulary findings are a separate check, markup.schema-valid).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'node', 'package.json'));
// the package's main module exports the class as default (its README's named import is src/validator.js's)
const validatorModule = await import(pathToFileURL(require.resolve('@adobe/structured-data-validator')).href);
const Validator = validatorModule.Validator || validatorModule.default;
const extractorModule = await import(pathToFileURL(require.resolve('@marbec/web-auto-extractor')).href);
const WebAutoExtractor = extractorModule.default.default || extractorModule.default;

// the extractor's own data-vocabulary.org and parse findings come back in `errors`; keep the types it saw
function typesOf(extracted) {
  const types = {};
  for (const format of ['jsonld', 'microdata', 'rdfa']) {
    types[format] = Object.keys(extracted[format] || {});
  }
  return types;
}

for (const file of process.argv.slice(2)) {
  try {
    const html = await readFile(file, 'utf8');
    const extracted = new WebAutoExtractor({ addLocation: false, embedSource: false }).parse(html);
    const types = typesOf(extracted);
    const issues = await new Validator().validate(extracted);
    const slim = issues.map((i) => ({
      format: i.dataFormat, rootType: i.rootType, severity: i.severity, message: i.issueMessage,
      fields: i.fieldNames || [], path: i.path || [],
    }));
    process.stdout.write(JSON.stringify({ file, types, issues: slim }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ file, error: String(err && err.stack || err) }) + '\n');
  }
}
