// Passkeys on the demo page: add one, list, rename and remove them, and sign in with one alone (mfa.js uses one as
// the second step of a password sign-in with passkeyAssertion). The server's options
// are WebAuthn Level 3 JSON, so the browser parses them itself (parseCreationOptionsFromJSON /
// parseRequestOptionsFromJSON) and sends back what credential.toJSON() gives. Uses call(), keep(), render(), show()
// and showProblem() of app.js, which loads first.
'use strict';

const passkeysSupported = typeof PublicKeyCredential !== 'undefined'
  && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';

function requirePasskeys() {
  if (!passkeysSupported) throw { detail: 'This browser cannot use passkeys from JSON options.' };
}

/** Lists my passkeys; app.js calls it whenever it renders the signed-in page. */
async function renderPasskeys() {
  if (!offersPasskeys) { // app.js asked: no relying party, so the passkey routes would answer 404
    $('add-passkey').hidden = true;
    return;
  }
  let passkeys;
  try {
    ({ passkeys } = await call('GET', '/accounts/users/me/passkeys'));
  } catch (problem) {
    if (problem.status !== 404) throw problem;
    $('add-passkey').hidden = true; // the server has no relying party set up (e.g. a random port)
    return;
  }
  $('passkeys').replaceChildren(...passkeys.map((p) => {
    const row = document.createElement('tr');
    const cells = [p.name, new Date(p.created_at).toLocaleString(),
      p.last_used_at ? new Date(p.last_used_at).toLocaleString() : 'never'];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    const actions = document.createElement('td');
    actions.append(passkeyButton('Rename', async () => {
      const name = prompt('A new name for this passkey', p.name);
      if (name === null) return;
      await call('PATCH', '/accounts/users/me/passkeys/' + encodeURIComponent(p.id), { name });
    }), passkeyButton('Remove', async () => {
      await call('DELETE', '/accounts/users/me/passkeys/' + encodeURIComponent(p.id));
    }));
    row.append(actions);
    return row;
  }));
}

function passkeyButton(text, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'quiet';
  button.textContent = text;
  button.addEventListener('click', async () => {
    clearMessage();
    try {
      await action();
      await renderPasskeys();
    } catch (problem) {
      showProblem(problem);
    }
  });
  return button;
}

onSubmit('add-passkey', async (form) => {
  requirePasskeys();
  const { ceremony_id, options } = await call('POST', '/accounts/users/me/passkeys/options');
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
  const credential = await navigator.credentials.create({ publicKey });
  const name = new FormData(form).get('name');
  await call('POST', '/accounts/users/me/passkeys',
    { ceremony_id, credential: credential.toJSON(), ...(name ? { name } : {}) });
  form.reset();
  await renderPasskeys();
  show('info', 'Passkey added: you can sign in with it alone.');
});

/** The browser's answer to the server's assertion options: what credential.toJSON() gives. */
async function passkeyAssertion(options) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
  return (await navigator.credentials.get({ publicKey })).toJSON();
}

onClick('passkey-sign-in', async () => {
  requirePasskeys();
  const { ceremony_id, options } = await call('POST', '/accounts/sessions/passkey-options');
  const credential = await passkeyAssertion(options);
  const { session } = await call('POST', '/accounts/sessions/passkey', { ceremony_id, credential });
  keep(session);
  await render();
});
