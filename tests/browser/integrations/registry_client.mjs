// DCC's own registry client loading registries over HTTP and looking DIDs up, as a wallet does.
// stdin: {"registries": [{"name", "url"}], "dids": [...]}; stdout: {"loaded": [...], "entries": {did: entry|null}}
import { RegistryClient } from '@digitalcredentials/issuer-registry-client'

const input = JSON.parse(await new Promise((resolve) => {
  let text = ''
  process.stdin.on('data', (chunk) => { text += chunk })
  process.stdin.on('end', () => resolve(text))
}))
const client = new RegistryClient()
const loaded = await client.load({ config: input.registries })
const entries = {}
for (const did of input.dids) {
  const entry = client.didEntry(did)
  entries[did] = entry == null ? null : {
    name: entry.name, url: entry.url, location: entry.location,
    inRegistries: [...entry.inRegistries].map((registry) => registry.name)
  }
}
process.stdout.write(JSON.stringify({ loaded: loaded.map(({ name, loaded }) => ({ name, loaded })), entries }))
