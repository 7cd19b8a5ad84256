// A real OpenID provider (the certified `oidc-provider` package) configured as EU Login is: PKCE required, PS512
// ID tokens, client_secret_jwt at the token endpoint, no userinfo (the claims come in the ID token), the level of
// assurance in `acr`, groups when asked through the `claims` parameter. Started by tests/oidc_provider.py.
//
// The environment: PORT, CLIENT_ID, CLIENT_SECRET, AUTH_METHOD, REDIRECT_URIS and POST_LOGOUT_URIS (comma
// separated), ACCOUNTS (a JSON file, read at each sign-in so that a test can add people while it runs). An account:
// {"password", "email", "email_verified", "name", "acr", "groups", "quirk"}. A quirk makes the provider misbehave for
// that person's tokens, as a broken or hostile provider would: wrong-issuer, wrong-audience, expired, wrong-nonce,
// alg-none, other-key, replay (their first ID token again), pkce (the verifier changed before the provider sees it).
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = () => JSON.parse(readFileSync(env.ACCOUNTS, 'utf8'));
const list = (value) => (value || '').split(',').filter(Boolean);

const { privateKey } = await jose.generateKeyPair('PS512', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'signing', alg: 'PS512', use: 'sig' };
const { privateKey: otherKey } = await jose.generateKeyPair('PS512', { extractable: true });

const provider = new Provider(issuer, {
  clients: [{
    client_id: env.CLIENT_ID,
    client_secret: env.CLIENT_SECRET,
    redirect_uris: list(env.REDIRECT_URIS),
    post_logout_redirect_uris: list(env.POST_LOGOUT_URIS),
    token_endpoint_auth_method: env.AUTH_METHOD || 'client_secret_jwt',
    ...(env.AUTH_METHOD === 'client_secret_basic' ? {} : { token_endpoint_auth_signing_alg: 'HS256' }),
    id_token_signed_response_alg: 'PS512',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  acrValues: ['basic', 'https://ecas.ec.europa.eu/loa/low', 'https://ecas.ec.europa.eu/loa/medium',
    'https://ecas.ec.europa.eu/loa/high'],
  claims: { openid: ['sub', 'acr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  conformIdTokenClaims: false, // no userinfo: the scopes' claims go in the ID token, as EU Login sends them
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: false },
    claimsParameter: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>EU Login (test)</title></head>
<body><main><h1>Sign out of EU Login?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out of EU Login</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
      },
    },
  },
  enabledJWA: { idTokenSigningAlgValues: ['PS512', 'RS256'], clientAuthSigningAlgValues: ['HS256'] },
  ttl: { IdToken: 300 },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: account.email_verified ?? true,
          name: account.name || id, groups: account.groups || [] };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>EU Login (test)</title></head><body>
<main><h1>EU Login (test provider)</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">Username or e-mail address</label> <input id="login" name="login" autocomplete="off">
<label for="password">EU Login password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to EU Login</button></form></main></body></html>`;
}

async function finish(ctx, details, accountId, account) {
  const grant = details.grantId ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  if (details.params.claims) {
    const asked = JSON.parse(details.params.claims);
    grant.addOIDCClaims(Object.keys({ ...asked.id_token, ...asked.userinfo }));
  }
  const grantId = await grant.save();
  const result = { login: { accountId, acr: account.acr || 'basic' }, consent: { grantId } };
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
}

// A strict policy on the provider's own pages too (the suite's browser watch checks every page); its forms may
// end at the portal (the sign-in's redirect back, the sign-out's).
const portal = list(env.REDIRECT_URIS).map((uri) => new URL(uri).origin).join(' ');
provider.use(async (ctx, next) => {
  await next();
  if (ctx.type && ctx.type.includes('html')) {
    ctx.set('Content-Security-Policy', `default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self' ${portal}; frame-ancestors 'none'`);
  }
});

// The login form (no consent screen: EU Login asks none of the Commission's own services).
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name === 'consent' && details.session) {
    return finish(ctx, details, details.session.accountId, accounts()[details.session.accountId] || {});
  }
  ctx.type = 'html';
  if (ctx.method === 'GET') {
    ctx.body = loginPage(match[1]);
    return undefined;
  }
  const form = await formBody(ctx.req);
  const accountId = form.get('login');
  const account = accounts()[accountId];
  if (!account || account.password !== form.get('password')) {
    ctx.body = loginPage(match[1], 'Wrong username or password.');
    return undefined;
  }
  return finish(ctx, details, accountId, account);
});

// A quirky person's ID token, remade as a broken or hostile provider would send it.
async function remade(idToken) {
  const claims = jose.decodeJwt(idToken);
  const quirk = (accounts()[claims.sub] || {}).quirk;
  if (!quirk) return idToken;
  const now = Math.floor(Date.now() / 1000);
  const changes = {
    'wrong-issuer': { iss: 'https://ecas.example.org/cas/oauth2' },
    'wrong-audience': { aud: 'another-client' },
    expired: { iat: now - 900, exp: now - 600 },
    'wrong-nonce': { nonce: 'a-nonce-from-another-sign-in' },
  }[quirk] || {};
  const payload = { ...claims, ...changes };
  if (quirk === 'alg-none') {
    const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
  }
  const key = quirk === 'other-key' ? otherKey : privateKey;
  return new jose.SignJWT(payload).setProtectedHeader({ alg: 'PS512', kid: 'signing' }).sign(key);
}

// The token endpoint: a quirky person's PKCE verifier changed on the way (as if the portal sent another), and
// their ID token remade.
const firstTokens = new Map();
provider.use(async (ctx, next) => {
  if (ctx.path !== '/token' || ctx.method !== 'POST') return next();
  const form = await formBody(ctx.req);
  const code = await provider.AuthorizationCode.find(form.get('code') || '');
  if (code && (accounts()[code.accountId] || {}).quirk === 'pkce') form.set('code_verifier', 'x'.repeat(64));
  ctx.req.body = form.toString(); // read already: the provider takes the body from here
  await next();
  if (ctx.body && ctx.body.id_token) {
    const { sub } = jose.decodeJwt(ctx.body.id_token);
    if (!firstTokens.has(sub)) firstTokens.set(sub, ctx.body.id_token);
    const token = (accounts()[sub] || {}).quirk === 'replay' ? firstTokens.get(sub) : ctx.body.id_token;
    ctx.body = { ...ctx.body, id_token: await remade(token) };
  }
  return undefined;
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.on('grant.error', (ctx, error) => console.error('grant.error', error.message, error.error_description));
provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer} ${randomUUID()}`));
