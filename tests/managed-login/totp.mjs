// TOTP codes as an authenticator app makes them (RFC 6238 over RFC 4226, SHA-1, 30 s, six
// digits), checked against RFC 6238's own vectors before the walk trusts them.
import { createHmac } from 'node:crypto';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const stepNow = () => Math.floor(Date.now() / 1000 / 30);

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of text.toUpperCase().replace(/[\s=]+/g, '')) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`the TOTP secret is not base32: ${JSON.stringify(char)}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function totpAt(secret, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let lastStep = -1;
// A code for a 30 s step not used before: the service refuses a step already used, and takes
// one step either side of its clock, so the next step's code saves waiting out the current one
// (an authenticator whose clock runs a little ahead does the same). Waits only past that.
export async function freshTotp(secret) {
  let counter = Math.max(stepNow(), lastStep + 1);
  while (counter > stepNow() + 1) {
    await sleep(500);
    counter = Math.max(stepNow(), lastStep + 1);
  }
  lastStep = counter;
  return totpAt(secret, counter);
}

// A code that is none of those the service would take now, nor soon.
export function wrongTotp(secret) {
  const near = new Set([-1, 0, 1, 2].map((d) => totpAt(secret, stepNow() + d)));
  for (let n = 0; ; n += 1) {
    const code = String((123456 + n * 111111) % 1_000_000).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}

// RFC 6238 appendix B, SHA-1: answers the times whose code comes out wrong (none, we hope).
export function rfcVectorsFailing() {
  const rfc = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const checks = [
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ];
  const wrong = checks.filter(([time, code]) => totpAt(rfc, Math.floor(time / 30)) !== code).map(([t]) => t);
  if (base32Decode(rfc).toString('ascii') !== '12345678901234567890') wrong.unshift('base32');
  return wrong;
}
