// Verifies credentials with the Digital Credentials Consortium's verifier-core, the library behind the
// Learner Credential Wallet and VerifierPlus. It resolves the issuer's did:web, loads the status list
// and reads the registries over the network itself (its document loader is built in): the test serves
// the site's documents over HTTPS on 127.0.0.1 and trusts its certificate through NODE_EXTRA_CA_CERTS.
// Its JSON-schema check fetches 1EdTech's schema with the global fetch; "schemas" maps that URL to the
// copy shipped with the tests (this machine has no internet), and every other URL goes to the network.
// stdin: {"credentials": [...], "registries": [{"name", "type", "url"}], "schemas": {"<url>": "<file>"}}
// stdout: one result per credential. Its own diagnostics go to stderr.
import { readFile } from 'node:fs/promises'
import { verifyCredential } from '@digitalcredentials/verifier-core'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const networkFetch = globalThis.fetch
globalThis.fetch = async (resource, options) => {
  const url = String(resource.url || resource)
  if (input.schemas && input.schemas[url]) {
    const body = await readFile(input.schemas[url])
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })
  }
  return networkFetch(resource, options)
}
console.log = (...args) => console.error(...args)

const results = []
for (const credential of input.credentials) {
  const result = await verifyCredential({ credential, knownDIDRegistries: input.registries })
  delete result.credential // the caller has it
  for (const error of result.errors || []) {
    if (error.stackTrace) error.stackTrace = String(error.stackTrace.stack || error.stackTrace)
  }
  results.push(result)
}
process.stdout.write(JSON.stringify(results))
