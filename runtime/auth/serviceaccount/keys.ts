/**
 * Service-account keys: the private key that signs tokens (`--service-account-signing-key-file`) and the public
 * keys that verify them (`--service-account-key-file`, repeatable), read as upstream's keyutil does: any PEM file
 * holding RSA or ECDSA keys, public or private, or certificates. A zero-configuration start gets its own RSA key
 * pair in `<data-dir>/pki/sa.key` and `sa.pub`, kubeadm's names, created once and reused.
 *
 * Each key has a key ID computed as upstream's: the base64url (unpadded) SHA-256 of its DER (SPKI) public key,
 * so tokens and the published JWKS carry the same `kid` kube-apiserver would give the same key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePemBlocks, encodePem } from '../../certificates/pem.ts';

/** JWS algorithms our keys sign with: RS256 for RSA, ES256/384/512 by the ECDSA curve (as upstream). */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface PublicKey {
  key: KeyObject;
  kid: string;
  alg: SigningAlgorithm;
}

export interface SigningKey extends PublicKey {
  privateKey: KeyObject;
}

const curveAlgorithms: Record<string, SigningAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** The JWS algorithm of a (public or private) key; throws for key types upstream does not sign with. */
export function algorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const alg = curveAlgorithms[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return alg;
    throw new Error(`unsupported ECDSA curve ${key.asymmetricKeyDetails?.namedCurve}: use P-256, P-384 or P-521`);
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}: service-account keys are RSA or ECDSA`);
}

/** Upstream's key ID: base64url of the SHA-256 of the DER-encoded (SPKI) public key. */
export function keyID(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

function publicKeyOf(key: KeyObject): PublicKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return { key: pub, kid: keyID(pub), alg: algorithmFor(pub) };
}

/** Every key in a PEM text (blocks as pem.Decode finds them): public keys, the public half of private keys, and certificates' keys. */
export function parsePublicKeys(pem: string, source: string): PublicKey[] {
  const out: PublicKey[] = [];
  for (const block of decodePemBlocks(pem)) {
    const { type } = block;
    try {
      if (type === 'CERTIFICATE') out.push(publicKeyOf(new X509Certificate(block.bytes).publicKey));
      else if (type.endsWith('PRIVATE KEY')) out.push(publicKeyOf(createPrivateKey(encodePem(block))));
      else if (type.endsWith('PUBLIC KEY')) out.push(publicKeyOf(createPublicKey(encodePem(block))));
    } catch (err) {
      throw new Error(`${source}: cannot read the ${type} block: ${(err as Error).message}`);
    }
  }
  if (out.length === 0) throw new Error(`${source}: no RSA or ECDSA key found (expected PEM public keys, private keys or certificates)`);
  return out;
}

/** Reads `--service-account-key-file` entries: the public keys tokens are verified with. */
export function readPublicKeyFiles(files: string[]): PublicKey[] {
  return files.flatMap((file) => parsePublicKeys(readFileSync(file, 'utf8'), file));
}

/** Parses the first private key of a PEM text (`--service-account-signing-key-file`). */
export function parseSigningKey(pem: string, source: string): SigningKey {
  for (const block of decodePemBlocks(pem)) {
    if (!block.type.endsWith('PRIVATE KEY')) continue;
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(encodePem(block));
    } catch (err) {
      throw new Error(`${source}: cannot read the ${block.type} block: ${(err as Error).message}`);
    }
    return { ...publicKeyOf(privateKey), privateKey };
  }
  throw new Error(`${source}: no PEM private key found`);
}

export function readSigningKeyFile(file: string): SigningKey {
  return parseSigningKey(readFileSync(file, 'utf8'), file);
}

/**
 * The generated signing key of a zero-configuration start: `<dataDir>/pki/sa.key` (private, 0600) and `sa.pub`,
 * made once (RSA 2048, as kubeadm) and read again on later starts so issued tokens stay valid across restarts.
 */
export function ensureServiceAccountKey(dataDir: string): { signingKeyFile: string; publicKeyFile: string } {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const signingKeyFile = join(dir, 'sa.key');
  const publicKeyFile = join(dir, 'sa.pub');
  let usable = false;
  if (existsSync(signingKeyFile)) {
    try {
      readSigningKeyFile(signingKeyFile);
      usable = true;
    } catch {
      usable = false;
    }
  }
  if (!usable) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    writeAtomic(signingKeyFile, privateKey, 0o600);
    writeAtomic(publicKeyFile, publicKey, 0o644);
  } else if (!existsSync(publicKeyFile)) {
    const pub = createPublicKey(readFileSync(signingKeyFile, 'utf8')).export({ type: 'spki', format: 'pem' }) as string;
    writeAtomic(publicKeyFile, pub, 0o644);
  }
  return { signingKeyFile, publicKeyFile };
}

function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}
