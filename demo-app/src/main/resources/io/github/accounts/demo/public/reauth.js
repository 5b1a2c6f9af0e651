// Re-authentication on the demo page. A route that changes the account's ways in (adding or removing a passkey)
// needs a recent proof from this session and otherwise answers 403 reauthentication_required; call() of app.js then
// awaits reauthenticate() here, which shows the #reauthenticate form, proves the session with the password (or a
// passkey) through POST /accounts/sessions/reauthenticate, and resolves, so that call() retries the request once.
// Cancelling rejects, and nothing changes. Uses call(), show() and showProblem() of app.js and, for the passkey,
// passkeysSupported and passkeyAssertion() of passkeys.js, which load first.
'use strict';

let pendingProof = null; // { promise, resolve, reject } while the form waits for the person
onUserReset(() => finishProof(false, { detail: 'Signed out: nothing changed.' }));

/** Asks for a proof and resolves once the session gave one; the same wait for requests that ask meanwhile. */
function reauthenticate() {
  if (pendingProof) return pendingProof.promise;
  const form = $('reauthenticate');
  form.reset();
  $('reauth-passkey').hidden = !passkeysSupported;
  form.hidden = false;
  show('info', 'Confirm it is you: enter your password (or use a passkey) to go on.');
  $('reauth-password').focus();
  let settle;
  const promise = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  pendingProof = { promise, ...settle };
  return promise;
}

/** Hides the form and settles the wait: {@code proved} resolves it, anything else rejects with that problem. */
function finishProof(proved, problem) {
  const pending = pendingProof;
  pendingProof = null;
  $('reauthenticate').hidden = true;
  if (!pending) return;
  if (proved) pending.resolve();
  else pending.reject(problem);
}

/** Sends one proof; a wrong one leaves the form open to try again, with the server's words. */
async function prove(body) {
  try {
    await call('POST', '/accounts/sessions/reauthenticate', body, false);
  } catch (problem) {
    showProblem(problem);
    return;
  }
  finishProof(true);
}

$('reauthenticate').addEventListener('submit', async (event) => {
  event.preventDefault();
  await prove({ password: $('reauth-password').value });
});

$('reauth-passkey').addEventListener('click', async () => {
  try {
    const { ceremony_id, options } = await call('POST', '/accounts/sessions/reauthenticate/passkey-options');
    await prove({ ceremony_id, credential: await passkeyAssertion(options) });
  } catch (problem) {
    showProblem(problem);
  }
});

$('reauth-cancel').addEventListener('click', () => {
  finishProof(false, { detail: 'Not confirmed: nothing changed.' });
});
