// Runs converted models in a real TFLite interpreter: @tensorflow/tfjs-tflite
// (the TFLite runtime compiled to WebAssembly) inside headless Chromium.
//
//   node tools/interop/run_tflite.mjs CASE_DIR...
//
// Each CASE_DIR holds model.tflite, mfcc.f32 and case.json (written by
// tests/common/interop_cases.hpp). For each, the interpreter's outputs are
// written next to them: tflite_logits.f32 (count x labels float32) and, when
// the model has an "activation" output, tflite_activation.i8. One browser
// serves every case: starting Chromium takes seconds, a model milliseconds.
// A tiny localhost HTTP server serves the page, node_modules and the cases
// (Chromium has no network beyond localhost here). Exit code 0 when every
// case ran; otherwise a message on stderr and exit code 1.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.join(here, 'node_modules');
const chromiumPath = process.env.TINYKWS_CHROMIUM || '/usr/bin/chromium';
const caseInputs = new Set(['model.tflite', 'mfcc.f32', 'case.json']);
const caseOutputs = new Set(['tflite_logits.f32', 'tflite_activation.i8']);
const contentTypes = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

const caseDirs = process.argv.slice(2).map((d) => path.resolve(d));
if (caseDirs.length === 0) {
  fail('usage: node run_tflite.mjs CASE_DIR...');
}
for (const dir of caseDirs) {
  for (const name of caseInputs) {
    if (!fs.existsSync(path.join(dir, name))) fail(`${dir}: no ${name}`);
  }
}
if (!fs.existsSync(path.join(nodeModules, '@tensorflow/tfjs-tflite'))) {
  fail(`${nodeModules}: @tensorflow/tfjs-tflite is not installed ` +
       '(run scripts/setup.sh)');
}
if (!fs.existsSync(chromiumPath)) {
  fail(`${chromiumPath} not found (run scripts/setup.sh)`);
}
let chromium;
try {
  ({chromium} = await import('playwright-core'));
} catch (e) {
  fail(`playwright-core: ${e.message} (run scripts/setup.sh)`);
}

function send(res, status, body, type = 'text/plain') {
  res.writeHead(status, {'Content-Type': type});
  res.end(body);
}

// A file under root, or null when the request path leaves root.
function under(root, relative) {
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (req.method === 'GET' && url.pathname === '/') {
    return send(res, 200, fs.readFileSync(path.join(here, 'tflite_page.html')),
                'text/html');
  }
  if (url.pathname === '/favicon.ico') return send(res, 204, '');
  if (req.method === 'GET' && url.pathname === '/cases') {
    const profile = process.env.TINYKWS_TFLITE_PROFILE === '1';
    return send(res, 200, JSON.stringify({count: caseDirs.length, profile}),
                'application/json');
  }
  if (req.method === 'GET' && parts[0] === 'nm') {
    const file = under(nodeModules, decodeURIComponent(parts.slice(1).join('/')));
    if (!file || !fs.existsSync(file)) return send(res, 404, 'not found');
    const type = contentTypes[path.extname(file)] || 'application/octet-stream';
    return send(res, 200, fs.readFileSync(file), type);
  }
  const index = Number(parts[1]);
  const dir = Number.isInteger(index) ? caseDirs[index] : undefined;
  if (parts.length === 3 && dir !== undefined) {
    if (req.method === 'GET' && parts[0] === 'case' && caseInputs.has(parts[2])) {
      return send(res, 200, fs.readFileSync(path.join(dir, parts[2])),
                  'application/octet-stream');
    }
    if (req.method === 'POST' && parts[0] === 'result' &&
        caseOutputs.has(parts[2])) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        fs.writeFileSync(path.join(dir, parts[2]), Buffer.concat(chunks));
        send(res, 200, 'ok');
      });
      return;
    }
  }
  send(res, 404, 'not found');
}

const server = http.createServer(handle);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tinykws-chromium-'));
let context;
let exitCode = 0;
try {
  const started = Date.now();
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e}\n`));
  await page.goto(`${origin}/`);
  const browserMs = Date.now() - started;
  const report = await page.evaluate(() => window.runAllCases());
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  process.stdout.write(`browser start ${browserMs} ms, total ` +
                       `${Date.now() - started} ms\n`);
  if (report.error) {
    process.stderr.write(`error: ${report.error}\n`);
    exitCode = 1;
  }
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  exitCode = 1;
} finally {
  if (context) await context.close();
  server.close();
  fs.rmSync(profile, {recursive: true, force: true});
}
process.exit(exitCode);
