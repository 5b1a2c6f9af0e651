// The demo page's federated sign-in: a button per provider the server offers (GET /accounts/providers), the
// provider's round trip (POST /accounts/sessions/federated, then the browser goes to the provider and comes back
// through the callback, which answers with the session cookies or with the outcome in this page's fragment), the
// "prove it's you" step of a link that waits for the account's password, and the linked identities with unlink.
// Uses app.js's helpers and mfa.js's askSecondFactor(), which load first.
'use strict';

/** The #accounts_error codes of the contract, as sentences. */
const FEDERATION_ERRORS = {
  access_denied: 'Sign-in was cancelled at the provider.',
  invalid_state: 'That sign-in took too long, was finished in another browser, or was already used. Please start again.',
  provider_error: 'The provider could not confirm who you are. Please try again later.',
  email_not_verified: 'The provider has not verified your email address, so it cannot sign you in here.',
  sign_up_closed: 'No account uses that address, and this provider may not create new ones.',
  account_disabled: 'This account has been disabled by an operator.',
  identity_taken: 'That provider account is already linked to another account here.',
};

let federationProviders = [];
let linkToken = null; // a link waiting for the account's password, kept in memory only
onUserReset(() => { linkToken = null; });

/** Sends the browser to the provider; it comes back to this page. */
async function goToProvider(path, provider) {
  const { authorization_url } = await call('POST', path, { provider, return_to: '/' });
  location.assign(authorization_url);
}

function providerButton(p, label, path) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label + p.name;
  button.addEventListener('click', async () => {
    clearMessage();
    try {
      await goToProvider(path, p.id);
    } catch (problem) {
      showProblem(problem);
    }
  });
  return button;
}

async function loadProviders() {
  try {
    federationProviders = (await call('GET', '/accounts/providers', undefined, false)).providers;
  } catch (problem) {
    federationProviders = [];
  }
  $('providers').hidden = federationProviders.length === 0;
  $('provider-buttons').replaceChildren(...federationProviders.map((p) =>
    providerButton(p, 'Sign in with ', '/accounts/sessions/federated')));
}

/** The signed-in user's identities, with unlink, and a button to link each provider. */
async function renderIdentities() {
  $('identities-card').hidden = federationProviders.length === 0;
  if (federationProviders.length === 0) return;
  const { identities } = await call('GET', '/accounts/users/me/identities');
  $('identities').replaceChildren(...identities.map((i) => {
    const row = document.createElement('tr');
    for (const text of [i.provider, i.email || '', new Date(i.linked_at).toLocaleString()]) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    const unlink = document.createElement('button');
    unlink.type = 'button';
    unlink.className = 'quiet';
    unlink.textContent = 'Unlink';
    unlink.addEventListener('click', async () => {
      clearMessage();
      try {
        await call('DELETE', '/accounts/users/me/identities/' + encodeURIComponent(i.id));
        await render();
        show('info', 'Unlinked.');
      } catch (problem) {
        showProblem(problem);
      }
    });
    const actions = document.createElement('td');
    actions.append(unlink);
    row.append(actions);
    return row;
  }));
  $('link-buttons').replaceChildren(...federationProviders.map((p) =>
    providerButton(p, 'Link ', '/accounts/users/me/identities')));
}

/** What the callback put in the fragment: an error, a link to prove, or a second step; then the fragment goes. */
function takeFederationFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!['accounts_error', 'link_token', 'mfa_token'].some((k) => fragment.has(k))) return;
  history.replaceState(null, '', location.pathname + location.search);
  if (fragment.has('accounts_error')) {
    const code = fragment.get('accounts_error');
    show('error', FEDERATION_ERRORS[code] || 'Signing in with the provider failed (' + code + ').');
  } else if (fragment.has('link_token')) {
    linkToken = fragment.get('link_token');
    $('link-email').textContent = fragment.get('email');
    $('link-account').hidden = false;
    $('link-passkey').hidden = !passkeysSupported;
    $('link-password').focus();
    show('info', 'An account with this address exists. Enter its password once to link the provider to it.');
  } else {
    askSecondFactor({ mfa_token: fragment.get('mfa_token'), methods: fragment.get('methods').split(',') });
  }
}

/** Sends the account's proof with the link token; signed in once the provider is linked. */
async function proveLink(proof) {
  const data = await call('POST', '/accounts/sessions/link', { link_token: linkToken, ...proof });
  $('link-account').reset();
  linkToken = null;
  $('link-account').hidden = true;
  if (data.mfa) return askSecondFactor(data.mfa);
  keep(data.session);
  await render();
  show('info', 'The provider is linked: it signs you in from now on.');
}

onSubmit('link-account', () => proveLink({ password: $('link-password').value }));

onClick('link-passkey', async () => {
  const { ceremony_id, options } = await call('POST', '/accounts/sessions/passkey-options');
  await proveLink({ ceremony_id, credential: await passkeyAssertion(options) }); // passkeys.js
});

$('link-cancel').addEventListener('click', () => {
  linkToken = null;
  $('link-account').reset();
  $('link-account').hidden = true;
  clearMessage();
});

loadProviders().then(takeFederationFragment);
