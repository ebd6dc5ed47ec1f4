// The Node driver of the managed-login walk: sets up a pool, a domain and an OAuth client on the
// emulator with plain fetch, serves a callback on 127.0.0.1, and drives the hosted pages in
// headless Chromium at http://<prefix>.auth.localhost:<port>: sign-up, confirmation, MFA setup,
// sign-out, sign-in with TOTP (a wrong code first), a remembered device, the token exchange,
// forgotten password and an error page. Every page it reaches is checked with axe-core.
// One line per step passed; on the first failure, one line with the reason, then the page's
// URL, its alert text and the browser's console, and a non-zero exit.
// Usage (run.sh does this): EMULATOR_URL=http://127.0.0.1:<port> node walk.mjs
//   SCREENSHOTS=1 also writes docs/images/managed-login-{sign-in,mfa-setup}.png.
import { createHash, createPublicKey, createVerify, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as oidc from 'openid-client';
import puppeteer from 'puppeteer-core';

import { freshTotp, rfcVectorsFailing, wrongTotp } from './totp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = process.env.REPO ?? path.resolve(here, '../..');
const emulator = (process.env.EMULATOR_URL ?? '').replace(/\/+$/, '');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOTS === '1';
const port = /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(emulator)?.[1];
if (!port) {
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
const clip = (text, max = 600) =>
  text == null ? '' : text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const consoleLines = [];
let stepNumber = 0;
let browser;
let page;
let callbackServer;

async function step(name, body) {
  stepNumber += 1;
  const firstConsole = consoleLines.length;
  const started = Date.now();
  try {
    const note = await body();
    const ms = Date.now() - started;
    console.log(`PASS ${String(stepNumber).padStart(2)}. ${name}${note ? ` (${note})` : ''} [${ms} ms]`);
  } catch (error) {
    const reason = error instanceof StepFailure ? error.message : `${error?.name}: ${error?.message}`;
    console.log(`FAIL ${String(stepNumber).padStart(2)}. ${name}: ${reason}`);
    if (page) {
      console.log(`--- the page is at ${page.url()}`);
      const alert = await alertText().catch(() => null);
      if (alert) console.log(`--- its alert says: ${alert}`);
      const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      console.log(`--- its text: ${clip(text.replace(/\s+/g, ' '), 400)}`);
    }
    const lines = consoleLines.slice(firstConsole);
    console.log(`--- Chromium console and page errors during this step (${lines.length}):`);
    for (const line of lines) console.log(`  ${line}`);
    if (!(error instanceof StepFailure) && error?.stack) console.log(`--- stack:\n${error.stack}`);
    await shutdown();
    process.exit(1);
  }
}

async function shutdown() {
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
  callbackServer?.close();
}

// ---------------------------------------------------------------- the emulator from Node

async function cognitoOk(operation, body) {
  const response = await fetch(`${emulator}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status === 200, `${operation} answered ${response.status}: ${clip(text, 400)}`);
  return JSON.parse(text);
}

async function outbox(username) {
  const response = await fetch(`${emulator}/_emulator/messages?username=${encodeURIComponent(username)}`);
  expect(response.ok, `GET /_emulator/messages answered ${response.status}`);
  const json = await response.json();
  expect(Array.isArray(json.Messages), `GET /_emulator/messages: no Messages array`);
  return json.Messages;
}

// The code of the first message sent after `before` messages, waiting a little for it.
async function newCode(username, before, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const messages = await outbox(username);
    if (messages.length > before) {
      const code = String(messages[messages.length - 1].Code ?? '');
      expect(/^\d{6}$/.test(code), `${what}: the outbox message has no 6-digit Code`);
      return code;
    }
    if (Date.now() > deadline) fail(`${what}: no new message in the outbox for ${username}`);
    await sleep(100);
  }
}

{
  const failing = rfcVectorsFailing();
  if (failing.length) {
    console.log(`FAIL setup: the TOTP function fails RFC 6238's vectors at ${failing.join(', ')}`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------- PKCE and tokens

const base64url = (buffer) => buffer.toString('base64url');

function newAuthorization() {
  const verifier = base64url(randomBytes(32));
  return {
    state: base64url(randomBytes(12)),
    nonce: base64url(randomBytes(12)),
    verifier,
    challenge: base64url(createHash('sha256').update(verifier).digest()),
  };
}

const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

// Checks a JWT's RS256 signature against the pool's JWKS; answers its payload.
async function verifiedClaims(jwt, what) {
  const parts = String(jwt ?? '').split('.');
  expect(parts.length === 3, `${what}: not a JWT: ${clip(String(jwt), 80)}`);
  const header = decodePart(parts[0]);
  const response = await fetch(`${emulator}/${poolId}/.well-known/jwks.json`);
  expect(response.ok, `GET the pool's JWKS answered ${response.status}`);
  const jwk = (await response.json()).keys?.find((key) => key.kid === header.kid);
  expect(jwk, `${what}: the JWKS has no key ${header.kid}`);
  expect(header.alg === 'RS256', `${what}: alg is ${header.alg}, not RS256`);
  const verifier = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`);
  const good = verifier.verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2], 'base64url'));
  expect(good, `${what}: the signature does not verify with the pool's key`);
  return decodePart(parts[1]);
}

// ---------------------------------------------------------------- the callback server

const callbacks = []; // every request the browser made to the callback server
async function startCallbackServer() {
  callbackServer = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(404).end();
      return;
    }
    callbacks.push(url);
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(`<!doctype html><html lang="en"><head><title>The app</title></head>
<body><main><h1>The app</h1><p>${url.pathname === '/signed-out' ? 'Signed out.' : 'Back from sign-in.'}</p></main></body></html>`);
  });
  await new Promise((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${callbackServer.address().port}`;
}

// ---------------------------------------------------------------- the page

const axeSource = path.join(here, 'node_modules/axe-core/axe.min.js');
const checkedPages = [];

// Runs axe-core in the page; fails on any violation of impact serious or critical.
async function accessible(what) {
  await page.addScriptTag({ path: axeSource });
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const bad = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.filter((v) => !bad.includes(v));
  checkedPages.push(what);
  if (bad.length) {
    const lines = bad.map((v) => `    [${v.impact}] ${v.id}: ${v.help} at ${v.nodes.join(' | ')}`);
    fail(`axe-core found ${bad.length} serious or critical violation(s) on the ${what} page:\n${lines.join('\n')}`);
  }
  return minor.length ? `axe: ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}` : 'axe: clean';
}

const pathOf = () => new URL(page.url()).pathname;
// A field the user fills in (hidden inputs carry state between pages, and do not count).
const hasField = (name) =>
  page.$(`[name="${name}"]:not([type="hidden"])`).then((handle) => handle !== null);

async function alertText() {
  return page.evaluate(() => {
    const alert = document.querySelector('[role="alert"].errorMessage-customizable, [role="alert"]');
    if (!alert) return null;
    const visible = alert.offsetParent !== null || getComputedStyle(alert).position === 'fixed';
    const text = alert.textContent.trim();
    return visible && text ? text : null;
  });
}

async function goTo(url) {
  await page.goto(url, { waitUntil: 'load' });
}

// Types into the named fields of one form, then clicks its submit button as a user would, and
// waits for the page the answer leads to (through any redirects).
async function submit(fields, options = {}) {
  const names = Object.keys(fields);
  const form = await page.$(`form:has([name="${names[0]}"]:not([type="hidden"]))`);
  expect(form, `the ${pathOf()} page has no form with a "${names[0]}" field`);
  for (const [name, value] of Object.entries(fields)) {
    const input = await form.$(`[name="${name}"]:not([type="hidden"])`);
    expect(input, `the ${pathOf()} page's form has no "${name}" field`);
    await input.click({ clickCount: 3 });
    await input.type(value);
  }
  for (const name of options.check ?? []) {
    const box = await form.$(`input[type="checkbox"][name="${name}"]`);
    expect(box, `the ${pathOf()} page's form has no "${name}" checkbox`);
    if (!(await box.evaluate((b) => b.checked))) await box.click();
  }
  const button = await form.$('button[type="submit"], input[type="submit"], button:not([type])');
  expect(button, `the ${pathOf()} page's form has no submit button`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// Follows a link whose target path ends with `endpoint`, as a click.
async function follow(endpoint, what) {
  const link = await page.$(`a[href*="${endpoint}"]`);
  expect(link, `the ${pathOf()} page has no link to ${what} (${endpoint})`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  expect(pathOf().endsWith(endpoint), `the ${what} link led to ${page.url()}`);
}

// The authorization answer the callback server just received, checked against `auth`.
function expectCallback(auth, what) {
  const url = new URL(page.url());
  expect(
    url.origin === callbackBase && url.pathname === '/callback',
    `${what}: the browser is at ${page.url()}, not the callback`,
  );
  const last = callbacks.filter((seen) => seen.pathname === '/callback').pop();
  expect(last && last.search === url.search, `${what}: the callback server did not see this request`);
  expect(!last.searchParams.get('error'), `${what}: the callback got error=${last.searchParams.get('error')}`);
  expect(last.searchParams.get('state') === auth.state, `${what}: the callback's state is not the one sent`);
  const code = last.searchParams.get('code');
  expect(code, `${what}: the callback got no code: ${last.search}`);
  return code;
}

// ---------------------------------------------------------------- the walk

const suffix = randomBytes(3).toString('hex');
const prefix = `walk-${suffix}`;
const hostBase = `http://${prefix}.auth.localhost:${port}`;
const username = `walker${suffix}`;
const email = `walker-${suffix}@example.com`;
const passwords = ['First-Passw0rd!', 'Second-Passw0rd!'];
let callbackBase;
let poolId;
let clientId;
let totpSecret;

const authorizeUrl = (auth, overrides = {}) => {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: `${callbackBase}/callback`,
    scope: 'openid email',
    state: auth.state,
    nonce: auth.nonce,
    code_challenge: auth.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });
  return `${hostBase}/oauth2/authorize?${query}`;
};

async function startSignIn(auth, what) {
  await goTo(authorizeUrl(auth));
  expect(pathOf().endsWith('/login'), `${what}: /oauth2/authorize led to ${page.url()}, not /login`);
  expect(await hasField('username'), `${what}: the sign-in page has no username field`);
}

async function signOut() {
  const query = new URLSearchParams({ client_id: clientId, logout_uri: `${callbackBase}/signed-out` });
  await goTo(`${hostBase}/logout?${query}`);
  expect(page.url().startsWith(`${callbackBase}/signed-out`), `/logout led to ${page.url()}, not the sign-out URL`);
}

async function screenshot(name) {
  if (!screenshots) return '';
  const file = path.join(repo, 'docs/images', name);
  await page.screenshot({ path: file });
  return `, saved docs/images/${name}`;
}

await step('set up a pool (TOTP MFA required, devices remembered on request), a domain and a code-flow client', async () => {
  callbackBase = await startCallbackServer();
  const pool = await cognitoOk('CreateUserPool', {
    PoolName: `managed-login-${suffix}`,
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  poolId = pool.UserPool?.Id;
  expect(poolId, 'CreateUserPool answered no UserPool.Id');
  await cognitoOk('SetUserPoolMfaConfig', {
    UserPoolId: poolId,
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  await cognitoOk('CreateUserPoolDomain', { UserPoolId: poolId, Domain: prefix });
  const client = await cognitoOk('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'managed-login-walk',
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    SupportedIdentityProviders: ['COGNITO'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [`${callbackBase}/callback`],
    LogoutURLs: [`${callbackBase}/signed-out`],
  });
  clientId = client.UserPoolClient?.ClientId;
  expect(clientId, 'CreateUserPoolClient answered no ClientId');
  return `pool ${poolId}, domain ${prefix}, callback ${callbackBase}/callback`;
});

await step('start headless Chromium', async () => {
  browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-proxy-server', '--disable-gpu'],
    defaultViewport: { width: 1000, height: 800 },
  });
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => consoleLines.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  return browser.version();
});

let auth = newAuthorization();

await step(`open ${hostBase}/oauth2/authorize: the sign-in page`, async () => {
  await startSignIn(auth, 'first visit');
  const styled = await page.$('link[rel="stylesheet"][href*="/_style/style.css"]');
  expect(styled, 'the sign-in page links no /_style/style.css stylesheet');
  return (await accessible('sign-in')) + (await screenshot('managed-login-sign-in.png'));
});

await step('follow the sign-up link: the sign-up page', async () => {
  await follow('/signup', 'sign-up');
  for (const name of ['username', 'email', 'password']) expect(await hasField(name), `no "${name}" field`);
  return accessible('sign-up');
});

let outboxSize = 0;
await step('sign up: the confirmation page, with the code sent by email', async () => {
  outboxSize = (await outbox(username)).length;
  await submit({ username, email, password: passwords[0] });
  expect(!(await alertText()), `sign-up shows an error: ${await alertText()}`);
  expect(await hasField('code'), `sign-up led to ${page.url()}, which asks for no code`);
  return accessible('confirm sign-up');
});

await step('enter the emailed code: the MFA setup page shows a TOTP secret and a QR code', async () => {
  const code = await newCode(username, outboxSize, 'sign-up confirmation');
  await submit({ code });
  expect(!(await alertText()), `confirmation shows an error: ${await alertText()}`);
  totpSecret = await page.$eval('#totp-secret', (element) => element.textContent.replace(/\s+/g, '')).catch(() => null);
  expect(totpSecret, `the page after confirmation (${page.url()}) has no #totp-secret`);
  expect(/^[A-Z2-7]{16,}=*$/i.test(totpSecret), 'the #totp-secret is not a base32 secret');
  const qr = await page.$('img[src^="data:image"], svg, canvas');
  expect(qr, 'the MFA setup page shows no QR code (img, svg or canvas)');
  // The authenticator link (the QR code's text) must carry the same secret, for this user.
  const otpauth = await page.$eval('a[href^="otpauth://totp/"]', (a) => a.href).catch(() => null);
  expect(otpauth, 'the MFA setup page has no otpauth://totp/ link');
  const key = new URL(otpauth);
  expect(key.searchParams.get('secret') === totpSecret, "the otpauth link's secret is not the one shown");
  expect(decodeURIComponent(key.pathname).includes(username), `the otpauth link names another account: ${key.pathname}`);
  return (await accessible('MFA setup')) + (await screenshot('managed-login-mfa-setup.png'));
});

await step('enter a TOTP code from the secret: redirected to the callback with a code and the state', async () => {
  await submit({ code: await freshTotp(totpSecret) });
  expectCallback(auth, 'after MFA setup');
  return 'signed up, confirmed, MFA set up';
});

await step('sign out through /logout: redirected to the sign-out URL', async () => {
  await signOut();
});

auth = newAuthorization();
await step('sign in with a wrong password: the error shows and the page stays', async () => {
  await startSignIn(auth, 'after sign-out');
  await submit({ username, password: 'Not-The-Passw0rd!' });
  const alert = await alertText();
  expect(alert, `a wrong password shows no role="alert" error (at ${page.url()})`);
  expect(await hasField('password'), 'after a wrong password the page asks for no password');
  return `"${alert}"; ${await accessible('sign-in with an error')}`;
});

await step('sign in with the password: the TOTP prompt', async () => {
  await submit({ username, password: passwords[0] });
  expect(!(await alertText()), `signing in shows an error: ${await alertText()}`);
  expect(await hasField('code'), `the password led to ${page.url()}, which asks for no code`);
  expect(!(await page.$('#totp-secret')), 'a user with TOTP set up is shown MFA setup again');
  expect(await page.$('input[type="checkbox"][name="rememberDevice"]'), 'the TOTP prompt offers no rememberDevice checkbox');
  return accessible('TOTP prompt');
});

await step('enter a wrong TOTP code: the error shows and the prompt stays', async () => {
  await submit({ code: wrongTotp(totpSecret) });
  const alert = await alertText();
  expect(alert, `a wrong code shows no role="alert" error (at ${page.url()})`);
  expect(await hasField('code'), 'after a wrong code the page asks for no code');
  return `"${alert}"; ${await accessible('TOTP prompt with an error')}`;
});

await step('enter the right TOTP code, remembering this device: redirected with a code', async () => {
  await submit({ code: await freshTotp(totpSecret) }, { check: ['rememberDevice'] });
  expectCallback(auth, 'after the TOTP prompt');
});

let lastCode;
let lastTokens;
auth = newAuthorization();
await step('sign out, sign in again on the remembered device: no TOTP prompt', async () => {
  await signOut();
  await startSignIn(auth, 'remembered device');
  await submit({ username, password: passwords[0] });
  expect(!(await alertText()), `signing in shows an error: ${await alertText()}`);
  expect(!(await hasField('code')), `the remembered device was asked for a code at ${page.url()}`);
  lastCode = expectCallback(auth, 'on the remembered device');
});

await step('exchange the code at /oauth2/token (PKCE): the ID token names the email', async () => {
  const discovery = await fetch(`${emulator}/${poolId}/.well-known/openid-configuration`);
  expect(discovery.ok, `GET the discovery document answered ${discovery.status}`);
  const { token_endpoint: tokenEndpoint } = await discovery.json();
  expect(tokenEndpoint, 'the discovery document names no token_endpoint');
  const exchange = () =>
    fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: lastCode,
        redirect_uri: `${callbackBase}/callback`,
        code_verifier: auth.verifier,
      }),
    });
  const response = await exchange();
  const text = await response.text();
  expect(response.status === 200, `POST ${tokenEndpoint} answered ${response.status}: ${clip(text, 300)}`);
  const tokens = JSON.parse(text);
  expect(tokens.token_type === 'Bearer', `token_type is ${tokens.token_type}`);
  expect(tokens.refresh_token, 'the token answer has no refresh_token');
  const again = await exchange();
  const againText = await again.text();
  expect(
    again.status === 400 && JSON.parse(againText).error === 'invalid_grant',
    `the same code a second time answered ${again.status}: ${clip(againText, 200)}`,
  );
  const id = await verifiedClaims(tokens.id_token, 'the ID token');
  expect(id.email === email, `the ID token's email is ${id.email}, not ${email}`);
  expect(id.nonce === auth.nonce, "the ID token's nonce is not the one sent");
  expect(id.aud === clientId, `the ID token's aud is ${id.aud}`);
  const access = await verifiedClaims(tokens.access_token, 'the access token');
  expect(access.username === username, `the access token's username is ${access.username}`);
  lastTokens = tokens;
  return `token endpoint ${tokenEndpoint}; the code is refused a second time`;
});

await step('refresh at /oauth2/token, then /oauth2/revoke the refresh token: refused after', async () => {
  const discovery = await (await fetch(`${emulator}/${poolId}/.well-known/openid-configuration`)).json();
  const form = (fields) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, ...fields }),
  });
  const refresh = () =>
    fetch(discovery.token_endpoint, form({ grant_type: 'refresh_token', refresh_token: lastTokens.refresh_token }));
  const refreshed = await refresh();
  const text = await refreshed.text();
  expect(refreshed.status === 200, `the refresh answered ${refreshed.status}: ${clip(text, 300)}`);
  const id = await verifiedClaims(JSON.parse(text).id_token, 'the refreshed ID token');
  expect(id.email === email, `the refreshed ID token's email is ${id.email}`);
  expect(discovery.revocation_endpoint, 'the discovery document names no revocation_endpoint');
  const revoked = await fetch(discovery.revocation_endpoint, form({ token: lastTokens.refresh_token }));
  expect(revoked.status === 200, `/oauth2/revoke answered ${revoked.status}: ${clip(await revoked.text(), 300)}`);
  const after = await refresh();
  const afterText = await after.text();
  expect(
    after.status === 400 && JSON.parse(afterText).error === 'invalid_grant',
    `the revoked refresh token answered ${after.status}: ${clip(afterText, 200)}`,
  );
  return `revocation endpoint ${discovery.revocation_endpoint}`;
});

auth = newAuthorization();
await step('forgot password: the page asks for the username, then the emailed code', async () => {
  await signOut();
  await startSignIn(auth, 'forgot password');
  await follow('/forgotPassword', 'forgot-password');
  expect(await hasField('username'), 'the forgot-password page asks for no username');
  const note = await accessible('forgot password');
  outboxSize = (await outbox(username)).length;
  await submit({ username });
  expect(!(await alertText()), `asking for a code shows an error: ${await alertText()}`);
  expect((await hasField('code')) && (await hasField('password')), `the next page (${page.url()}) asks for no code and password`);
  return `${note}; ${await accessible('reset password')}`;
});

await step('reset the password with the emailed code, then sign in with the new one', async () => {
  const code = await newCode(username, outboxSize, 'forgotten password');
  await submit({ code, password: passwords[1] });
  expect(!(await alertText()), `resetting shows an error: ${await alertText()}`);
  if (await hasField('username')) await submit({ username, password: passwords[1] });
  const askedTotp = await hasField('code');
  if (askedTotp) await submit({ code: await freshTotp(totpSecret) });
  lastCode = expectCallback(auth, 'after the password reset');
  return askedTotp ? 'asked for a TOTP code' : 'the device stayed remembered: no TOTP code';
});

await step('openid-client: discovery from the issuer, then the code exchanged and the ID token checked', async () => {
  const issuer = new URL(`${emulator}/${poolId}`);
  // The emulator speaks plain http, which openid-client refuses unless told.
  const config = await oidc.discovery(issuer, clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
    pkceCodeVerifier: auth.verifier,
    expectedState: auth.state,
    expectedNonce: auth.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  expect(claims?.email === email, `openid-client's ID token claims name ${claims?.email}, not ${email}`);
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  expect(info.email === email, `userInfo names ${info.email}, not ${email}`);
  return `issuer ${issuer}, authorization_endpoint ${config.serverMetadata().authorization_endpoint}`;
});

await step('the path form <emulator>/_domains/<domain> in the browser: sign-in up to the TOTP prompt', async () => {
  const pathBase = `${emulator}/_domains/${prefix}`;
  await goTo(authorizeUrl(newAuthorization()).replace(hostBase, pathBase));
  expect(page.url().startsWith(`${pathBase}/login?`), `the path form's authorize led to ${page.url()}`);
  const style = await page.$eval('link[rel="stylesheet"]', (link) => link.href).catch(() => '');
  expect(style.startsWith(`${pathBase}/_style/`), `the path form's page links the stylesheet ${style}`);
  await submit({ username, password: passwords[1] });
  expect(!(await alertText()), `signing in by path shows an error: ${await alertText()}`);
  // The device was remembered by the host form's cookie: a path-form sign-in is a new browser.
  expect(await hasField('code'), `the path form's sign-in led to ${page.url()}, which asks for no code`);
  expect(page.url().startsWith(pathBase), `the path form's sign-in left for ${page.url()}`);
});

await step('authorize with an unregistered redirect_uri: an error page, no redirect', async () => {
  const other = `${callbackBase}/not-registered`;
  const before = callbacks.length;
  await goTo(authorizeUrl(newAuthorization(), { redirect_uri: other }));
  expect(callbacks.length === before, `the browser was sent to ${callbacks[callbacks.length - 1]}`);
  const text = await page.evaluate(() => document.body?.innerText ?? '');
  expect(/redirect/i.test(text), `the error page says nothing of the redirect: ${clip(text, 200)}`);
  return accessible('error');
});

await step("SetUICustomization: the client's CSS and logo show on the sign-in page", async () => {
  // A 1x1 PNG: enough for the browser to decode the logo.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
  await cognitoOk('SetUICustomization', {
    UserPoolId: poolId,
    ClientId: clientId,
    CSS: '.submitButton-customizable { background-color: rgb(0, 100, 0); }',
    ImageFile: png,
  });
  await signOut();
  await startSignIn(newAuthorization(), 'customized');
  const color = await page.$eval('.submitButton-customizable', (b) => getComputedStyle(b).backgroundColor);
  expect(color === 'rgb(0, 100, 0)', `the submit button's background is ${color}, not the customized rgb(0, 100, 0)`);
  const logo = await page
    .$eval('img.logo-customizable', (img) => img.complete && img.naturalWidth > 0)
    .catch(() => false);
  expect(logo, 'the sign-in page shows no loaded img.logo-customizable');
  return accessible('customized sign-in');
});

await shutdown();
console.log(`axe-core checked ${checkedPages.length} pages: ${checkedPages.join(', ')}`);
console.log(`walk: ${stepNumber} passed, 0 failed`);
