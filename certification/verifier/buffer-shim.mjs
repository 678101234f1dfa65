// Some of the verifier's dependencies (base64url, used to read a status list) call Node's Buffer;
// esbuild injects this browser implementation wherever they do.
export {Buffer} from 'buffer';
