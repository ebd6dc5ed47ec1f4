#!/usr/bin/env node
// amazon-cognito-identity-js's client-side SRP (AuthenticationHelper), the same work as
// `cargo bench --bench srp`, the way CognitoUser does it but with no network:
//   device   new AuthenticationHelper(groupKey) [a, A] + getPasswordAuthenticationKey + HMAC signature
//   user     new AuthenticationHelper(poolName) [a, A] + getPasswordAuthenticationKey + HMAC signature
//   verifier generateHashDevice + getRandomPassword / getSaltDevices / getVerifierDevices (base64)
// Checked first against the known-answer vectors (fixed random words and clock), then timed.
//
// usage: node srp_js.js --lib DIR --vectors FILE --json-out FILE [--min-seconds S] [--max-seconds S] [--repeats N]
'use strict';
const fs = require('fs');
const path = require('path');

const argv = process.argv.slice(2);
function arg(name, fallback) {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
}
const LIB = arg('--lib');
const MIN_S = Number(arg('--min-seconds', 3));
const MAX_S = Number(arg('--max-seconds', 30));
const REPEATS = Number(arg('--repeats', 3));
const OUT = arg('--json-out');

const AuthenticationHelper = require(path.join(LIB, 'lib/AuthenticationHelper.js')).default;
const BigInteger = require(path.join(LIB, 'lib/BigInteger.js')).default;
const DateHelper = require(path.join(LIB, 'lib/DateHelper.js')).default;
// The very @aws-crypto/sha256-js that CognitoUser.js signs with.
const { Sha256 } = require(require.resolve('@aws-crypto/sha256-js', { paths: [path.join(LIB, 'lib')] }));
const VERSION = require(path.join(LIB, 'package.json')).version;

const vectors = JSON.parse(fs.readFileSync(arg('--vectors'), 'utf8'));
const pick = (group, id) => vectors[group].find((c) => c.id === id);
const dev = pick('device_srp', 'dev-1-basic-day-lt-10');
const usr = pick('user_srp', 'user-1-basic-day-lt-10');
const dv = pick('device_verifier', 'dv-1-basic');

function sign(key, parts) {
  const mac = new Sha256(key);
  mac.update(Buffer.concat(parts));
  return Buffer.from(mac.digestSync()).toString('base64');
}

// The callbacks of AuthenticationHelper run synchronously; `done` collects their result.
function claim(helperKey, identity, password, i, signedParts) {
  const helper = new AuthenticationHelper(helperKey);
  let srpA;
  let answer;
  helper.getLargeAValue((err, a) => {
    if (err) throw err;
    srpA = a.toString(16);
    const b = new BigInteger(i.srp_b_hex, 16);
    const salt = new BigInteger(i.salt_hex, 16);
    helper.getPasswordAuthenticationKey(identity, password, b, salt, (err2, key) => {
      if (err2) throw err2;
      const timestamp = new DateHelper().getNowString();
      answer = {
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SECRET_BLOCK: i.secret_block_b64,
        PASSWORD_CLAIM_SIGNATURE: sign(key, [...signedParts, Buffer.from(i.secret_block_b64, 'base64'),
          Buffer.from(timestamp, 'utf8')]),
      };
    });
  });
  return [srpA, answer];
}

function deviceOnce(i) {
  return claim(i.device_group_key, i.device_key, i.device_password, i,
    [Buffer.from(i.device_group_key, 'utf8'), Buffer.from(i.device_key, 'utf8')]);
}

function userOnce(i) {
  const poolName = i.pool_id.split('_')[1];
  return claim(poolName, i.user_id_for_srp, i.password, i,
    [Buffer.from(poolName, 'utf8'), Buffer.from(i.user_id_for_srp, 'utf8')]);
}

// CognitoUser builds the helper before ConfirmDevice; only the verifier work is timed.
let verifierHelper = null;
function verifierOnce(i) {
  if (!verifierHelper) verifierHelper = new AuthenticationHelper(i.device_group_key);
  const h = verifierHelper;
  let out;
  h.generateHashDevice(i.device_group_key, i.device_key, (err) => {
    if (err) throw err;
    out = {
      password: h.getRandomPassword(),
      salt: Buffer.from(h.getSaltDevices(), 'hex').toString('base64'),
      verifier: Buffer.from(h.getVerifierDevices(), 'hex').toString('base64'),
    };
  });
  return out;
}

// Runs fn with crypto.getRandomValues fed from the given hex bytes and Date frozen at iso.
function fixed(hexChunks, iso, fn) {
  const stream = Buffer.concat(hexChunks.map((h) => Buffer.from(h, 'hex')));
  let used = 0;
  const realRandom = globalThis.crypto.getRandomValues;
  const RealDate = globalThis.Date;
  globalThis.crypto.getRandomValues = (words) => {
    for (let k = 0; k < words.length; k++) {
      if (used + 4 > stream.length) throw new Error('vector random bytes exhausted');
      words[k] = stream.readUInt32BE(used);
      used += 4;
    }
    return words;
  };
  if (iso) {
    const at = new RealDate(iso).getTime();
    globalThis.Date = class extends RealDate {
      constructor(...a) { super(...(a.length ? a : [at])); }
      static now() { return at; }
    };
  }
  try {
    return [fn(), used];
  } finally {
    globalThis.crypto.getRandomValues = realRandom;
    globalThis.Date = RealDate;
  }
}

function check() {
  let ok = true;
  for (const [name, c, fn] of [['device', dev, deviceOnce], ['user', usr, userOnce]]) {
    const [[srpA, answer], used] = fixed([c.inputs.a_hex], c.inputs.utc_datetime, () => fn(c.inputs));
    const good = srpA === c.outputs.A_hex && answer.TIMESTAMP === c.outputs.timestamp &&
      answer.PASSWORD_CLAIM_SIGNATURE === c.outputs.signature_b64 && used === c.inputs.a_hex.length / 2;
    console.log(`  check ${name.padEnd(8)} ${c.id}: ${good ? 'PASS' : 'FAIL'}`);
    ok = ok && good;
  }
  verifierHelper = new AuthenticationHelper(dv.inputs.device_group_key);
  const [out] = fixed([dv.inputs.random_password_bytes_hex, dv.inputs.salt_random_bytes_hex], null,
    () => verifierOnce(dv.inputs));
  const good = out.password === dv.outputs.device_password && out.salt === dv.outputs.salt_b64 &&
    out.verifier === dv.outputs.password_verifier_b64;
  console.log(`  check verifier ${dv.id}: ${good ? 'PASS' : 'FAIL'}`);
  return ok && good;
}

function timeIt(fn, input, warmup = 3) {
  for (let k = 0; k < warmup; k++) fn(input);
  const start = process.hrtime.bigint();
  let count = 0;
  for (;;) {
    fn(input);
    count++;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed >= Math.min(MIN_S, MAX_S)) return [(elapsed * 1000) / count, count];
  }
}

console.log(`amazon-cognito-identity-js ${VERSION}, Node ${process.version}`);
const ok = check();
const result = { ok, version: VERSION, ms: {} };
if (ok) {
  for (const [key, fn, input] of [['device_password_verifier', deviceOnce, dev.inputs],
    ['user_password_verifier', userOnce, usr.inputs], ['confirm_device_verifier', verifierOnce, dv.inputs]]) {
    const runs = [];
    for (let r = 0; r < REPEATS; r++) runs.push(timeIt(fn, input));
    const sorted = runs.map((x) => x[0]).sort((a, b) => a - b);
    const mid = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    result.ms[key] = mid;
    console.log(`  ${key.padEnd(26)} median ${mid.toFixed(3).padStart(9)} ms/op  runs ` +
      runs.map(([m, n]) => `${m.toFixed(3)} ms x${n}`).join(', '));
  }
}
fs.writeFileSync(OUT, JSON.stringify(result, null, 1));
process.exit(ok ? 0 : 1);
