// SPDX-License-Identifier: Apache-2.0
// A certified OpenID Connect relying party (openid-client v6) against the emulator's managed
// login, without a browser: discovery from the pool's issuer, an authorization URL with PKCE
// S256, state and nonce, the hosted sign-in walked with plain HTTP and a cookie jar, the code
// exchange (openid-client checks the state, nonce, iss, aud, exp, the signature against the
// JWKS; at_hash is checked here), userInfo, a refresh, and a revocation.
// Usage: EMULATOR_URL=http://127.0.0.1:PORT node rp.mjs   (run.sh starts the emulator)

import { createHash } from 'node:crypto';
import * as client from 'openid-client';

const url = process.env.EMULATOR_URL;
const DOMAIN = 'oidc-rp';
const CALLBACK = 'http://localhost:3000/callback';
const USERNAME = 'relying-party-user';
const PASSWORD = 'Corr3ct-Horse!';
let passed = 0;

function ok(what) {
  passed += 1;
  console.log(`oidc: ok: ${what}`);
}

function fail(what) {
  console.error(`oidc: FAIL: ${what}`);
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}

function check(condition, what) {
  if (!condition) fail(what);
}

/** One operation of the emulator's JSON API. */
async function api(operation, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  check(response.ok, `${operation}: ${JSON.stringify(answer)}`);
  return answer;
}

/** A pool with a domain, a confidential app client of the code grant, and a user. */
async function setUp() {
  const pool = (await api('CreateUserPool', { PoolName: 'oidc-relying-party' })).UserPool;
  await api('CreateUserPoolDomain', { UserPoolId: pool.Id, Domain: DOMAIN });
  const app = (
    await api('CreateUserPoolClient', {
      UserPoolId: pool.Id,
      ClientName: 'relying-party',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    })
  ).UserPoolClient;
  await api('AdminCreateUser', {
    UserPoolId: pool.Id,
    Username: USERNAME,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: 'rp@example.com' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: 'Relying Party' },
    ],
  });
  await api('AdminSetUserPassword', {
    UserPoolId: pool.Id,
    Username: USERNAME,
    Password: PASSWORD,
    Permanent: true,
  });
  return { poolId: pool.Id, clientId: app.ClientId, clientSecret: app.ClientSecret };
}

/** The cookies a browser would send back: name=value, by name. */
class CookieJar {
  cookies = new Map();

  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** GET or POST without following redirects, cookies kept. */
async function request(jar, target, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (jar.cookies.size) headers.Cookie = jar.header();
  const response = await fetch(target, { ...init, headers, redirect: 'manual' });
  jar.take(response);
  return response;
}

const decodeEntities = (text) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The attributes of one HTML tag. */
function attributes(tag) {
  const found = {};
  for (const match of tag.matchAll(/([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    found[match[1].toLowerCase()] = decodeEntities(match[3] ?? match[4] ?? '');
  }
  return found;
}

/** The page's POST form with a password field: its action and its hidden inputs. */
function signInForm(html, pageUrl) {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttributes = attributes(form[1]);
    if ((formAttributes.method ?? '').toLowerCase() !== 'post') continue;
    const inputs = [...form[2].matchAll(/<input\b[^>]*>/gi)].map((input) => attributes(input[0]));
    if (!inputs.some((input) => input.name === 'password')) continue;
    const hidden = inputs.filter((input) => input.type === 'hidden' && input.name);
    return {
      action: new URL(formAttributes.action ?? pageUrl, pageUrl),
      hidden: hidden.map((input) => [input.name, input.value ?? '']),
    };
  }
  return null;
}

/** Follows the authorize URL to the sign-in page, signs in, and returns the callback URL. */
async function signIn(authorizationUrl) {
  const jar = new CookieJar();
  let at = new URL(authorizationUrl);
  let response = await request(jar, at);
  for (let hops = 0; response.status >= 300 && response.status < 400; hops += 1) {
    check(hops < 5, 'the authorize request redirected more than 5 times');
    at = new URL(response.headers.get('location'), at);
    response = await request(jar, at);
  }
  check(response.status === 200, `GET ${at.pathname}: ${response.status}`);
  const form = signInForm(await response.text(), at);
  check(form, `no sign-in form (method="post" with a password field) at ${at.pathname}`);
  ok(`the authorize URL led to the sign-in page ${at.pathname} (${form.hidden.length} hidden inputs)`);
  const body = new URLSearchParams([...form.hidden, ['username', USERNAME], ['password', PASSWORD]]);
  response = await request(jar, form.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  check(
    response.status === 302 || response.status === 303,
    `signing in answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
  );
  const callback = new URL(response.headers.get('location'), form.action);
  check(callback.href.startsWith(CALLBACK), `signing in redirected to ${callback.href}`);
  ok('signing in redirected to the callback with a code');
  return callback;
}

/** OpenID Connect Core 3.3.2.11: the left half of the access token's SHA-256, base64url. */
function atHash(accessToken) {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

async function main() {
  check(url, 'EMULATOR_URL is not set');
  const { poolId, clientId, clientSecret } = await setUp();
  ok(`a pool ${poolId} with the domain ${DOMAIN}, a confidential app client and a user`);

  const issuer = new URL(`${url}/${poolId}`);
  const config = await client.discovery(
    issuer,
    clientId,
    undefined,
    client.ClientSecretBasic(clientSecret),
    { execute: [client.allowInsecureRequests] },
  );
  // The ID token's signature is checked against the pool's JWKS too.
  client.enableNonRepudiationChecks(config);
  const metadata = config.serverMetadata();
  check(metadata.issuer === issuer.href, `discovery's issuer is ${metadata.issuer}`);
  ok(`discovery from ${issuer.href}: token endpoint ${metadata.token_endpoint}`);

  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callback = await signIn(authorizationUrl);

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  check(claims.at_hash === atHash(tokens.access_token), `at_hash ${claims.at_hash} is not the access token's`);
  check(claims['cognito:username'] === USERNAME, `the ID token is of ${claims['cognito:username']}`);
  check(typeof tokens.refresh_token === 'string', 'the code exchange gave no refresh token');
  ok('the code exchange: state, nonce, iss, aud, signature and at_hash check out');

  const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check(userInfo.email === 'rp@example.com', `userInfo: ${JSON.stringify(userInfo)}`);
  check(userInfo.name === 'Relying Party', `userInfo has no name: ${JSON.stringify(userInfo)}`);
  ok('userInfo answers for the access token, with the email and profile scopes');

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.claims()?.sub === claims.sub, 'the refreshed ID token is of another user');
  await client.fetchUserInfo(config, refreshed.access_token, claims.sub);
  ok('a refresh gives new tokens that userInfo takes');

  await client.tokenRevocation(config, tokens.refresh_token);
  let refused = false;
  try {
    await client.refreshTokenGrant(config, tokens.refresh_token);
  } catch (error) {
    refused = error.error === 'invalid_grant';
  }
  check(refused, 'a revoked refresh token still refreshes');
  ok('a revoked refresh token refreshes no more');
  console.log(`${passed} passed, 0 failed`);
}

main().catch((error) => fail(`${error.name}: ${error.message}${error.cause ? ` (${JSON.stringify(error.cause)})` : ''}`));
