// The demo page's second factor: TOTP enrolment (the QR code drawn by the demo server itself, never by a third
// party), the recovery codes shown once, turning it off, and the second step of a sign-in, with a code or a passkey.
// Uses app.js's helpers and passkeys.js's, which load first.
'use strict';

let mfaToken = null; // the pending second step of a sign-in, kept in memory only
onUserReset(() => { mfaToken = null; });

/** Shows what fits the signed-in user: turn on, or new codes and turn off. */
function renderMfa(user) {
  $('mfa-status').textContent = user.mfa_enabled ? 'On: signing in asks for a code from your authenticator app.'
    : 'Off.';
  $('mfa-start').hidden = user.mfa_enabled || !$('mfa-enrol').hidden;
  $('mfa-regenerate').hidden = !user.mfa_enabled;
  $('mfa-disable').hidden = !user.mfa_enabled;
}

/** The second step after the right password: a code, or a passkey where the user has one, completes the sign-in. */
function askSecondFactor(mfa) {
  mfaToken = mfa.mfa_token;
  const passkey = mfa.methods.includes('passkey');
  $('second-step').hidden = false;
  $('second-step-passkey').hidden = !passkey;
  $('second-step-code').focus();
  show('info', 'Enter the code your authenticator app shows'
    + (mfa.methods.includes('recovery_code') ? ', or one of your recovery codes' : '')
    + (passkey ? ', or use a passkey.' : '.'));
}

/** The second step is done: the session is kept and the page shows the signed-in user. */
async function finishSecondStep(session) {
  mfaToken = null;
  $('second-step').reset();
  $('second-step').hidden = true;
  keep(session);
  await render();
}

async function qrImage(otpauthUri) {
  const res = await fetch('/demo/totp-qr.svg', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ otpauth_uri: otpauthUri }), credentials: 'same-origin' });
  if (!res.ok) throw { detail: 'The QR code could not be drawn; type the key instead.' };
  return 'data:image/svg+xml;base64,' + btoa(await res.text());
}

function showRecoveryCodes(codes) {
  $('mfa-recovery-codes').replaceChildren(...codes.map((code) => {
    const item = document.createElement('li');
    item.textContent = code;
    return item;
  }));
  $('mfa-codes').hidden = false;
}

onSubmit('second-step', async (form) => {
  const { session } = await call('POST', '/accounts/sessions/mfa', { mfa_token: mfaToken, code: formBody(form).code });
  await finishSecondStep(session);
});

onClick('second-step-passkey', async () => {
  requirePasskeys();
  const { ceremony_id, options } = await call('POST', '/accounts/sessions/mfa/passkey-options',
    { mfa_token: mfaToken });
  const credential = await passkeyAssertion(options);
  const { session } = await call('POST', '/accounts/sessions/mfa', { mfa_token: mfaToken, ceremony_id, credential });
  await finishSecondStep(session);
});

onSubmit('mfa-start', async (form) => {
  const epoch = userEpoch;
  const enrolment = await call('POST', '/accounts/users/me/mfa/totp', formBody(form));
  if (epoch !== userEpoch) return; // signed out meanwhile: the secret is never shown
  form.reset();
  form.hidden = true;
  $('mfa-secret').textContent = enrolment.secret;
  $('mfa-enrol').hidden = false;
  const qr = await qrImage(enrolment.otpauth_uri);
  if (epoch === userEpoch) $('mfa-qr').src = qr;
});

onSubmit('mfa-confirm', async (form) => {
  const epoch = userEpoch;
  const { recovery_codes: codes } = await call('POST', '/accounts/users/me/mfa/totp/confirm', formBody(form));
  if (epoch !== userEpoch) return;
  form.reset();
  $('mfa-enrol').hidden = true;
  $('mfa-secret').textContent = '';
  showRecoveryCodes(codes);
  await render();
});

onSubmit('mfa-regenerate', async (form) => {
  const epoch = userEpoch;
  const { recovery_codes: codes } = await call('POST', '/accounts/users/me/mfa/recovery-codes', formBody(form));
  if (epoch !== userEpoch) return;
  form.reset();
  showRecoveryCodes(codes);
});

onSubmit('mfa-disable', async (form) => {
  await call('DELETE', '/accounts/users/me/mfa/totp', formBody(form));
  form.reset();
  $('mfa-codes').hidden = true;
  show('info', 'Two-factor authentication is off.');
  await render();
});
