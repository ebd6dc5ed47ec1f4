// The Node driver: sets up a pool on the emulator with plain fetch, serves the page from another
// 127.0.0.1 origin, drives AWS Amplify v6 in headless Chromium through the whole Auth API, and
// verifies every token with aws-jwt-verify. One line per step passed; on the first failure, one
// line with the reason, then the emulator exchanges of that step and the browser's console.
// Usage (run.sh does this): EMULATOR_URL=http://127.0.0.1:<port> node run.mjs
import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer-core';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

const here = path.dirname(fileURLToPath(import.meta.url));
const emulator = (process.env.EMULATOR_URL ?? '').replace(/\/+$/, '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(emulator)) {
  console.log(`FAIL setup: EMULATOR_URL must be http://127.0.0.1:<port>, got "${emulator}"`);
  process.exit(1);
}

// ---------------------------------------------------------------- steps and failure reports

class StepFailure extends Error {}
const fail = (message) => {
  throw new StepFailure(message);
};
const expect = (condition, message) => {
  if (!condition) fail(message);
};

const exchanges = []; // every request from the page to the emulator, with its answer
const consoleLines = []; // Chromium console output and page errors
let stepNumber = 0;
let browser;
let pageServer;

async function step(name, body) {
  stepNumber += 1;
  const firstExchange = exchanges.length;
  const firstConsole = consoleLines.length;
  const started = Date.now();
  try {
    const note = await body();
    const ms = Date.now() - started;
    console.log(`PASS ${String(stepNumber).padStart(2)}. ${name}${note ? ` (${note})` : ''} [${ms} ms]`);
  } catch (error) {
    const reason = error instanceof StepFailure ? error.message : `${error?.name}: ${error?.message}`;
    console.log(`FAIL ${String(stepNumber).padStart(2)}. ${name}: ${reason}`);
    await settle();
    const mine = exchanges.slice(firstExchange);
    console.log(`--- the page's calls to the emulator during this step (${mine.length}):`);
    for (const x of mine) console.log(describeExchange(x));
    const lines = consoleLines.slice(firstConsole);
    console.log(`--- Chromium console and page errors during this step (${lines.length}):`);
    for (const line of lines) console.log(`  ${line}`);
    if (!(error instanceof StepFailure) && error?.stack) console.log(`--- stack:\n${error.stack}`);
    await shutdown();
    process.exit(1);
  }
}

const clip = (text, max = 1500) =>
  text == null ? '' : text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;

function describeExchange(x) {
  const head = `  ${x.method} ${x.target ?? x.url} -> ${x.status ?? `failed: ${x.failure}`}`;
  if (x.method === 'OPTIONS') return head;
  return `${head}\n    request:  ${clip(x.requestBody)}\n    response: ${clip(x.responseBody)}`;
}

// Response bodies arrive asynchronously: let the pending ones land before a report.
const pendingBodies = new Set();
async function settle() {
  await Promise.allSettled([...pendingBodies]);
}

async function shutdown() {
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
  pageServer?.close();
}

// ---------------------------------------------------------------- the emulator from Node

async function cognito(operation, body) {
  const response = await fetch(`${emulator}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    /* not JSON: reported below */
  }
  return { status: response.status, json, text };
}

async function cognitoOk(operation, body) {
  const answer = await cognito(operation, body);
  expect(answer.status === 200 && answer.json, `${operation} answered ${answer.status}: ${clip(answer.text, 400)}`);
  return answer.json;
}

function errorType(answer) {
  const raw = answer.json?.__type ?? answer.json?.code ?? '';
  return raw.split('#').pop();
}

async function outbox(username) {
  const response = await fetch(`${emulator}/_emulator/messages?username=${encodeURIComponent(username)}`);
  expect(response.ok, `GET /_emulator/messages answered ${response.status}`);
  const json = await response.json();
  expect(Array.isArray(json.Messages), `GET /_emulator/messages: no Messages array: ${clip(JSON.stringify(json), 300)}`);
  return json.Messages;
}

// The code of the first message sent after `before` messages, waiting a little for it.
async function newCode(username, before, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const messages = await outbox(username);
    if (messages.length > before) {
      const message = messages[messages.length - 1];
      expect(/^\d{6}$/.test(String(message.Code)), `${what}: outbox message has no 6-digit Code: ${JSON.stringify(message)}`);
      return message;
    }
    if (Date.now() > deadline) fail(`${what}: no new message in the outbox for ${username}`);
    await sleep(100);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- TOTP (RFC 6238 over RFC 4226)

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/=+$/, '').replace(/\s+/g, '');
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function totpAt(secret, counter) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const number = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

let lastTotpStep = -1;
// A code for a 30 s step not used before (the emulator refuses a step already used).
async function freshTotp(secret) {
  let counter = Math.floor(Date.now() / 1000 / 30);
  while (counter <= lastTotpStep) {
    await sleep(500);
    counter = Math.floor(Date.now() / 1000 / 30);
  }
  lastTotpStep = counter;
  return totpAt(secret, counter);
}

// RFC 6238 appendix B, SHA-1: the implementation is checked before it is trusted.
{
  const rfcSecret = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString('ascii');
  expect(rfcSecret === '12345678901234567890', 'base32 decoder');
  const checks = [
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ];
  for (const [time, code] of checks) {
    expect(totpAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', Math.floor(time / 30)) === code, `TOTP self-test at ${time}`);
  }
}

// ---------------------------------------------------------------- the run

const suffix = randomBytes(4).toString('hex');
const username = `amplify-${suffix}`;
const firstEmail = `amplify-${suffix}@example.com`;
const secondEmail = `amplify-${suffix}-new@example.org`;
const passwords = ['First-Passw0rd!', 'Second-Passw0rd!', 'Third-Passw0rd!'];
let poolId;
let clientId;
let page;
let idVerifier;
let accessVerifier;
let totpSecret;
let deviceKey;

// Verifies both tokens of a session and answers their payloads.
async function verifySession(session, what) {
  expect(session?.idToken && session?.accessToken, `${what}: the session has no tokens: ${JSON.stringify(session)}`);
  let id;
  let access;
  try {
    id = await idVerifier.verify(session.idToken);
  } catch (error) {
    fail(`${what}: the ID token does not verify: ${error.name}: ${error.message}`);
  }
  try {
    access = await accessVerifier.verify(session.accessToken);
  } catch (error) {
    fail(`${what}: the access token does not verify: ${error.name}: ${error.message}`);
  }
  expect(id['cognito:username'] === username, `${what}: ID token cognito:username is ${id['cognito:username']}`);
  expect(access.username === username, `${what}: access token username is ${access.username}`);
  expect(id.sub === access.sub, `${what}: ID and access tokens name different subs`);
  return { id, access };
}

// Calls an Amplify Auth function in the page; answers its result, or fails with its error.
async function amplify(name, ...args) {
  const answer = await page.evaluate((n, a) => window.callAuth(n, ...a), name, args);
  if (answer.error) {
    const { name: errorName, message, underlying } = answer.error;
    fail(`${name} threw ${errorName}: ${message}${underlying ? ` (underlying: ${underlying})` : ''}`);
  }
  return answer.ok;
}

// The same, for a call that must fail: answers the error.
async function amplifyError(name, ...args) {
  const answer = await page.evaluate((n, a) => window.callAuth(n, ...a), name, args);
  expect(answer.error, `${name} was expected to fail but answered ${clip(JSON.stringify(answer.ok), 300)}`);
  return answer.error;
}

const storage = () =>
  page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));

const storedValue = async (suffixName) => {
  const entries = Object.entries(await storage()).filter(([k]) => k.endsWith(`.${suffixName}`));
  return entries.length ? entries[0][1] : null;
};

const targetsSince = (index) => exchanges.slice(index).filter((x) => x.method === 'POST').map((x) => x.target);

// A signIn that must end signed in: answers the challenge names the page went through.
async function signInDone(password, what) {
  const before = exchanges.length;
  let result = await amplify('signIn', { username, password });
  let usedTotp = false;
  if (result.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') {
    usedTotp = true;
    result = await amplify('confirmSignIn', { challengeResponse: await freshTotp(totpSecret) });
  }
  expect(
    result.isSignedIn === true && result.nextStep?.signInStep === 'DONE',
    `${what}: signIn answered ${clip(JSON.stringify(result), 400)}`,
  );
  await settle();
  const challenges = exchanges
    .slice(before)
    .filter((x) => x.target === 'RespondToAuthChallenge')
    .map((x) => safeJson(x.requestBody)?.ChallengeName);
  return { usedTotp, challenges };
}

const safeJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

await step('create the pool, its TOTP-only MFA and an SRP client (plain fetch)', async () => {
  const pool = await cognitoOk('CreateUserPool', {
    PoolName: `amplify-browser-${suffix}`,
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    UsernameConfiguration: { CaseSensitive: false },
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: 'Your verification code',
      EmailMessage: 'Your verification code is {####}',
    },
  });
  poolId = pool.UserPool?.Id;
  expect(poolId, `CreateUserPool: no UserPool.Id in ${clip(JSON.stringify(pool), 300)}`);
  await cognitoOk('SetUserPoolMfaConfig', {
    UserPoolId: poolId,
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const client = await cognitoOk('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'amplify-web',
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  clientId = client.UserPoolClient?.ClientId;
  expect(clientId, `CreateUserPoolClient: no ClientId in ${clip(JSON.stringify(client), 300)}`);

  // The issuer is not an amazonaws.com one, so the generic RSA verifier; JWKS over plain http.
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri) => {
        const response = await fetch(uri);
        if (!response.ok) throw new Error(`GET ${uri} answered ${response.status}`);
        return response.arrayBuffer();
      },
    },
  });
  const issuer = `${emulator}/${poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  idVerifier = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience: clientId,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error(`token_use is ${payload.token_use}, not id`);
      },
    },
    { jwksCache },
  );
  accessVerifier = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error(`token_use is ${payload.token_use}, not access`);
        if (payload.client_id !== clientId) throw new Error(`client_id is ${payload.client_id}, not ${clientId}`);
      },
    },
    { jwksCache },
  );
  return `pool ${poolId}`;
});

await step('serve the page from another 127.0.0.1 origin and configure Amplify in headless Chromium', async () => {
  const files = {
    '/': ['text/html; charset=utf-8', await readFile(path.join(here, 'page', 'index.html'))],
    '/page.js': ['text/javascript; charset=utf-8', await readFile(path.join(here, 'dist', 'page.js'))],
  };
  pageServer = http.createServer((request, response) => {
    const file = files[new URL(request.url, 'http://x').pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': file[0], 'Cache-Control': 'no-store' }).end(file[1]);
  });
  await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${pageServer.address().port}/`;
  expect(new URL(pageUrl).origin !== new URL(emulator).origin, 'the page and the emulator share an origin');

  browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-proxy-server', '--disable-gpu'],
  });
  page = await browser.newPage();
  page.on('console', (message) => consoleLines.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(emulator)) return;
    exchanges.push({
      method: request.method(),
      url: request.url(),
      target: targetOf(request),
      requestBody: request.postData(),
      failure: request.failure()?.errorText,
    });
  });
  page.on('response', (response) => {
    const request = response.request();
    if (!request.url().startsWith(emulator)) return;
    const exchange = {
      method: request.method(),
      url: request.url(),
      target: targetOf(request),
      status: response.status(),
      requestBody: request.postData(),
      responseBody: null,
    };
    exchanges.push(exchange);
    if (request.method() !== 'OPTIONS') {
      const body = response
        .text()
        .then((text) => {
          exchange.responseBody = text;
        })
        .catch((error) => {
          exchange.responseBody = `(body unavailable: ${error.message})`;
        })
        .finally(() => pendingBodies.delete(body));
      pendingBodies.add(body);
    }
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.callAuth === 'function', { timeout: 10_000 });
  const config = await page.evaluate(
    (c) => window.configureAmplify(c),
    { Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: emulator } } },
  );
  expect(config?.Auth?.Cognito?.userPoolEndpoint === emulator, `Amplify config: ${JSON.stringify(config)}`);
  return `page ${pageUrl}, ${(await browser.version())}`;
});

function targetOf(request) {
  const header = request.headers()['x-amz-target'];
  return header ? header.replace('AWSCognitoIdentityProviderService.', '') : null;
}

await step('signUp', async () => {
  const result = await amplify('signUp', {
    username,
    password: passwords[0],
    options: { userAttributes: { email: firstEmail } },
  });
  expect(result.isSignUpComplete === false, `isSignUpComplete: ${result.isSignUpComplete}`);
  expect(result.nextStep?.signUpStep === 'CONFIRM_SIGN_UP', `nextStep: ${JSON.stringify(result.nextStep)}`);
  expect(
    result.nextStep?.codeDeliveryDetails?.deliveryMedium === 'EMAIL',
    `codeDeliveryDetails: ${JSON.stringify(result.nextStep?.codeDeliveryDetails)}`,
  );
  expect(typeof result.userId === 'string' && result.userId, `userId: ${result.userId}`);
  return `userId ${result.userId}`;
});

await step('confirmSignUp with the code from the outbox', async () => {
  const message = await newCode(username, 0, 'sign-up code');
  expect(message.Destination === firstEmail, `sign-up code went to ${message.Destination}`);
  const result = await amplify('confirmSignUp', { username, confirmationCode: message.Code });
  expect(result.isSignUpComplete === true, `confirmSignUp answered ${JSON.stringify(result)}`);
  return `code ${message.Code}, nextStep ${result.nextStep?.signUpStep}`;
});

await step('signIn (SRP) asks to set up TOTP (CONTINUE_SIGN_IN_WITH_TOTP_SETUP)', async () => {
  const before = exchanges.length;
  const result = await amplify('signIn', { username, password: passwords[0] });
  expect(result.isSignedIn === false, `isSignedIn: ${result.isSignedIn}`);
  expect(
    result.nextStep?.signInStep === 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP',
    `nextStep: ${clip(JSON.stringify(result.nextStep), 400)}`,
  );
  totpSecret = result.nextStep?.totpSetupDetails?.sharedSecret;
  expect(/^[A-Z2-7]+=*$/.test(totpSecret ?? ''), `totpSetupDetails.sharedSecret: ${totpSecret}`);
  const targets = targetsSince(before);
  expect(targets[0] === 'InitiateAuth', `first call ${targets[0]}`);
  expect(targets.includes('AssociateSoftwareToken'), `calls: ${targets.join(', ')}`);
  await settle();
  const initiate = safeJson(exchanges.slice(before).find((x) => x.target === 'InitiateAuth')?.requestBody);
  expect(initiate?.AuthFlow === 'USER_SRP_AUTH', `AuthFlow ${initiate?.AuthFlow}`);
  return `calls: ${targets.join(' → ')}`;
});

await step('confirmSignIn with the TOTP code computed in Node: signed in', async () => {
  const before = exchanges.length;
  const result = await amplify('confirmSignIn', { challengeResponse: await freshTotp(totpSecret) });
  expect(
    result.isSignedIn === true && result.nextStep?.signInStep === 'DONE',
    `confirmSignIn answered ${clip(JSON.stringify(result), 400)}`,
  );
  const user = await amplify('getCurrentUser');
  expect(user.username === username, `getCurrentUser: ${JSON.stringify(user)}`);
  return `calls: ${targetsSince(before).join(' → ')}`;
});

let firstSession;
await step('fetchAuthSession: ID and access tokens verify (aws-jwt-verify, token_use)', async () => {
  firstSession = await amplify('fetchAuthSession');
  const { id } = await verifySession(firstSession, 'fetchAuthSession');
  expect(id.email === firstEmail, `ID token email ${id.email}`);
  expect(id.email_verified === true, `ID token email_verified ${id.email_verified}`);
  deviceKey = await storedValue('deviceKey');
  expect(deviceKey, `no deviceKey in localStorage after the sign-in (ConfirmDevice): ${Object.keys(await storage()).join(', ')}`);
  return `sub ${id.sub}, device ${deviceKey}`;
});

await step('fetchAuthSession({ forceRefresh: true }): new tokens, via GetTokensFromRefreshToken', async () => {
  const before = exchanges.length;
  await sleep(1100); // so that the new tokens' iat can differ
  const session = await amplify('fetchAuthSession', { forceRefresh: true });
  const targets = targetsSince(before);
  expect(targets.includes('GetTokensFromRefreshToken'), `refresh calls: ${targets.join(', ') || 'none'}`);
  expect(session.accessToken !== firstSession.accessToken, 'the access token did not change');
  expect(session.idToken !== firstSession.idToken, 'the ID token did not change');
  const { access } = await verifySession(session, 'refreshed session');
  return `calls: ${targets.join(' → ')}, new access iat ${access.iat}`;
});

let listDevicesBody;
let rememberedDevice;
await step('rememberDevice, then fetchDevices lists it', async () => {
  const before = exchanges.length;
  await amplify('rememberDevice');
  const devices = await amplify('fetchDevices');
  const targets = targetsSince(before);
  expect(
    targets.join(',') === 'UpdateDeviceStatus,ListDevices',
    `rememberDevice + fetchDevices calls: ${targets.join(', ')}`,
  );
  await settle();
  const update = safeJson(exchanges.slice(before).find((x) => x.target === 'UpdateDeviceStatus')?.requestBody);
  expect(update?.DeviceRememberedStatus === 'remembered', `UpdateDeviceStatus sent ${JSON.stringify(update)}`);
  listDevicesBody = exchanges.slice(before).find((x) => x.target === 'ListDevices')?.responseBody;
  rememberedDevice = devices[0];
  expect(Array.isArray(devices) && devices.length === 1, `fetchDevices: ${clip(JSON.stringify(devices), 400)}`);
  expect(devices[0].id === deviceKey, `fetchDevices id ${devices[0].id}, localStorage deviceKey ${deviceKey}`);
  return `device ${devices[0].id}, attributes ${JSON.stringify(devices[0].attributes)}`;
});

await step('signOut, then the old refresh token is refused (raw InitiateAuth REFRESH_TOKEN_AUTH)', async () => {
  const refreshToken = await storedValue('refreshToken');
  expect(refreshToken, 'no refresh token in localStorage');
  const before = exchanges.length;
  await amplify('signOut');
  const targets = targetsSince(before);
  expect(!(await storedValue('refreshToken')), 'the refresh token is still in localStorage after signOut');
  const answer = await cognito('InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken, DEVICE_KEY: deviceKey },
  });
  expect(
    answer.status === 400 && errorType(answer) === 'NotAuthorizedException',
    `InitiateAuth with the old refresh token answered ${answer.status}: ${clip(answer.text, 300)}`,
  );
  return `signOut calls: ${targets.join(' → ') || 'none'}; refresh answered ${errorType(answer)}`;
});

await step('signIn again on the remembered device: no TOTP step (DONE)', async () => {
  const before = exchanges.length;
  const result = await amplify('signIn', { username, password: passwords[0] });
  expect(
    result.isSignedIn === true && result.nextStep?.signInStep === 'DONE',
    `signIn answered ${clip(JSON.stringify(result), 400)}`,
  );
  await settle();
  const challenges = exchanges
    .slice(before)
    .filter((x) => x.target === 'RespondToAuthChallenge')
    .map((x) => safeJson(x.requestBody)?.ChallengeName);
  expect(
    challenges.join(',') === 'PASSWORD_VERIFIER,DEVICE_SRP_AUTH,DEVICE_PASSWORD_VERIFIER',
    `challenges answered: ${challenges.join(', ')}`,
  );
  const session = await amplify('fetchAuthSession');
  const { access } = await verifySession(session, 'device sign-in');
  return `challenges: ${challenges.join(' → ')}${access.device_key ? `, access token device_key ${access.device_key}` : ''}`;
});

await step('updatePassword', async () => {
  await amplify('updatePassword', { oldPassword: passwords[0], newPassword: passwords[1] });
});

await step('signOut; the old password is refused', async () => {
  await amplify('signOut');
  const error = await amplifyError('signIn', { username, password: passwords[0] });
  expect(error.name === 'NotAuthorizedException', `signIn with the old password threw ${error.name}: ${error.message}`);
  return `${error.name}: ${error.message}`;
});

await step('resetPassword + confirmResetPassword with the code from the outbox', async () => {
  const before = (await outbox(username)).length;
  const result = await amplify('resetPassword', { username });
  expect(
    result.nextStep?.resetPasswordStep === 'CONFIRM_RESET_PASSWORD_WITH_CODE',
    `resetPassword answered ${clip(JSON.stringify(result), 400)}`,
  );
  const message = await newCode(username, before, 'reset code');
  expect(message.Destination === firstEmail, `reset code went to ${message.Destination}`);
  await amplify('confirmResetPassword', { username, confirmationCode: message.Code, newPassword: passwords[2] });
  return `code ${message.Code} (${message.Kind})`;
});

await step('signIn with the new password', async () => {
  const { usedTotp, challenges } = await signInDone(passwords[2], 'new password');
  await verifySession(await amplify('fetchAuthSession'), 'new-password sign-in');
  return `${usedTotp ? 'asked for TOTP' : 'no TOTP step'}; challenges: ${challenges.join(' → ')}`;
});

await step('updateUserAttributes (new email) + confirmUserAttribute with the code from the outbox', async () => {
  const before = (await outbox(username)).length;
  const result = await amplify('updateUserAttributes', { userAttributes: { email: secondEmail } });
  expect(
    result.email?.nextStep?.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE',
    `updateUserAttributes answered ${clip(JSON.stringify(result), 400)}`,
  );
  const message = await newCode(username, before, 'attribute code');
  expect(message.Destination === secondEmail, `attribute code went to ${message.Destination}`);
  await amplify('confirmUserAttribute', { userAttributeKey: 'email', confirmationCode: message.Code });
  const attributes = await amplify('fetchUserAttributes');
  expect(
    attributes.email === secondEmail && attributes.email_verified === 'true',
    `fetchUserAttributes: ${JSON.stringify(attributes)}`,
  );
  return `code ${message.Code} (${message.Kind})`;
});

await step('signOut({ global: true }), then the old access token is refused (raw GetUser)', async () => {
  const session = await amplify('fetchAuthSession', { forceRefresh: true });
  const { id } = await verifySession(session, 'session before global sign-out');
  expect(id.email === secondEmail, `the refreshed ID token's email is ${id.email}`);
  const before = exchanges.length;
  await amplify('signOut', { global: true });
  const targets = targetsSince(before);
  expect(targets.includes('GlobalSignOut'), `signOut({ global: true }) calls: ${targets.join(', ') || 'none'}`);
  const answer = await cognito('GetUser', { AccessToken: session.accessToken });
  expect(
    answer.status === 400 && errorType(answer) === 'NotAuthorizedException',
    `GetUser with the old access token answered ${answer.status}: ${clip(answer.text, 300)}`,
  );
  return `calls: ${targets.join(' → ')}; GetUser answered ${errorType(answer)}`;
});

await step('signIn again', async () => {
  const { usedTotp, challenges } = await signInDone(passwords[2], 'after global sign-out');
  const { id } = await verifySession(await amplify('fetchAuthSession'), 'sign-in after global sign-out');
  expect(id.email === secondEmail, `ID token email ${id.email}`);
  return `${usedTotp ? 'asked for TOTP' : 'no TOTP step'}; challenges: ${challenges.join(' → ')}`;
});

await step('deleteUser, then signIn fails (the user is gone)', async () => {
  await amplify('deleteUser');
  const error = await amplifyError('signIn', { username, password: passwords[2] });
  expect(
    ['UserNotFoundException', 'NotAuthorizedException'].includes(error.name),
    `signIn after deleteUser threw ${error.name}: ${error.message}`,
  );
  const answer = await cognito('AdminGetUser', { UserPoolId: poolId, Username: username });
  expect(errorType(answer) === 'UserNotFoundException', `AdminGetUser after deleteUser answered ${answer.status}: ${clip(answer.text, 200)}`);
  return `${error.name}: ${error.message}`;
});

await step('every call from the page was cross-origin, with a CORS preflight answered', async () => {
  await settle();
  const preflights = exchanges.filter((x) => x.method === 'OPTIONS');
  expect(preflights.length > 0, 'no CORS preflight was seen');
  const bad = preflights.filter((x) => !(x.status >= 200 && x.status < 300));
  expect(bad.length === 0, `preflights answered ${bad.map((x) => x.status).join(', ')}`);
  const failed = exchanges.filter((x) => x.failure);
  expect(failed.length === 0, `requests failed: ${failed.map(describeExchange).join('; ')}`);
  const posts = exchanges.filter((x) => x.method === 'POST');
  const counts = {};
  for (const x of posts) counts[x.target] = (counts[x.target] ?? 0) + 1;
  return `${posts.length} calls, ${preflights.length} preflights; ${Object.entries(counts)
    .map(([t, n]) => `${t}×${n}`)
    .join(', ')}`;
});

// Checked last so that one wrong name does not hide the rest of the walk: Cognito names the
// remembered status `dev:device_remembered_status` (AWS's ListDevices / AdminGetDevice examples:
// device_status, device_name, dev:device_owner, last_ip_used, dev:device_remembered_status,
// dev:device_sdk), and a web app reading fetchDevices' attributes looks for that name.
await step("fetchDevices' attributes (step 9) name the remembered status as Cognito does", async () => {
  const attributes = rememberedDevice?.attributes ?? {};
  expect(
    attributes['dev:device_remembered_status'] === 'remembered',
    `no dev:device_remembered_status=remembered in fetchDevices' attributes ${JSON.stringify(attributes)}; ` +
      `the emulator's ListDevices answered ${clip(listDevicesBody, 600)}`,
  );
  return JSON.stringify(attributes);
});

const pageErrors = consoleLines.filter((line) => line.startsWith('pageerror'));
await shutdown();
if (pageErrors.length) {
  console.log(`FAIL page errors during the run:\n  ${pageErrors.join('\n  ')}`);
  process.exit(1);
}
console.log(`${stepNumber} passed, 0 failed`);
