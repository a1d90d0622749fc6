/**
 * The update feed's own signature, checked on every platform before a downloaded update may be
 * installed (on top of electron-updater's sha512 and, on Windows, its Authenticode check against
 * `publisherName`; on macOS, Squirrel's code-signature check). The publisher signs each installer
 * (`scripts/sign-update.ts`, RSA or ECDSA over SHA-256, base64 in `<file>.sig` beside it in the
 * feed); the app carries the publisher's certificate (`resources/update-signing.pem`) and refuses
 * an update whose signature, certificate validity or subject does not match. No Electron import:
 * the signing script and the tests use the same code.
 */
import { createReadStream } from 'node:fs';
import { createSign, createVerify, X509Certificate, type KeyObject } from 'node:crypto';

export const SIGNATURE_SUFFIX = '.sig';
const ALGORITHM = 'sha256';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

async function digestInto<T extends { update(chunk: Buffer): unknown }>(target: T, file: string): Promise<T> {
  for await (const chunk of createReadStream(file)) target.update(chunk as Buffer);
  return target;
}

/** base64 signature of `file` with the publisher's private key (PEM). */
export async function signUpdateFile(file: string, privateKey: string | KeyObject): Promise<string> {
  const signer = await digestInto(createSign(ALGORITHM), file);
  return signer.sign(privateKey, 'base64');
}

/** The subject's common name (CN) of a certificate, as Windows shows it as the publisher. */
export function commonName(certificate: X509Certificate): string | null {
  const line = certificate.subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : null;
}

/**
 * Checks that `file` was signed by the holder of `certificatePem`, that the certificate is valid
 * at `now` and names `publisherName`. Any doubt (unreadable certificate, malformed signature) is a
 * refusal with the reason, never an exception.
 */
export async function verifyUpdateFile(input: {
  file: string;
  signatureBase64: string;
  certificatePem: string;
  publisherName: string;
  now: Date;
}): Promise<SignatureCheck> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(input.certificatePem);
  } catch {
    return { ok: false, reason: 'the update certificate in the app cannot be read' };
  }
  if (commonName(certificate) !== input.publisherName) {
    return {
      ok: false,
      reason: `the update certificate names ${commonName(certificate)}, not ${input.publisherName}`,
    };
  }
  if (input.now < new Date(certificate.validFrom) || input.now > new Date(certificate.validTo)) {
    return { ok: false, reason: 'the update certificate is not valid at this time' };
  }
  const signature = input.signatureBase64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature) || signature.length > 4096) {
    return { ok: false, reason: 'the update signature is not base64' };
  }
  const verifier = await digestInto(createVerify(ALGORITHM), input.file);
  const matches = verifier.verify(certificate.publicKey, signature, 'base64');
  return matches ? { ok: true } : { ok: false, reason: 'the update signature does not match the file' };
}
