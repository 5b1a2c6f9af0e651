// The demo page's second factor: TOTP enrolment (the QR code drawn by the demo server itself, never by a third
// party), the recovery codes shown once, turning it off, and the second step of a sign-in. Uses app.js's helpers.
'use strict';

let mfaToken = null; // the pending second step of a sign-in, kept in memory only

/** Shows what fits the signed-in user: turn on, or new codes and turn off. */
function renderMfa(user) {
  $('mfa-status').textContent = user.mfa_enabled ? 'On: signing in asks for a code from your authenticator app.'
    : 'Off.';
  $('mfa-start').hidden = user.mfa_enabled || !$('mfa-enrol').hidden;
  $('mfa-regenerate').hidden = !user.mfa_enabled;
  $('mfa-disable').hidden = !user.mfa_enabled;
}

/** The second step after the right password: a code completes the sign-in. */
function askSecondFactor(mfa) {
  mfaToken = mfa.mfa_token;
  $('second-step').hidden = false;
  $('second-step-code').focus();
  show('info', 'Enter the code your authenticator app shows'
    + (mfa.methods.includes('recovery_code') ? ', or one of your recovery codes.' : '.'));
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
  mfaToken = null;
  form.reset();
  form.hidden = true;
  keep(session);
  await render();
});

onSubmit('mfa-start', async (form) => {
  const enrolment = await call('POST', '/accounts/users/me/mfa/totp', formBody(form));
  form.reset();
  form.hidden = true;
  $('mfa-secret').textContent = enrolment.secret;
  $('mfa-enrol').hidden = false;
  $('mfa-qr').src = await qrImage(enrolment.otpauth_uri);
});

onSubmit('mfa-confirm', async (form) => {
  const { recovery_codes: codes } = await call('POST', '/accounts/users/me/mfa/totp/confirm', formBody(form));
  form.reset();
  $('mfa-enrol').hidden = true;
  $('mfa-secret').textContent = '';
  showRecoveryCodes(codes);
  await render();
});

onSubmit('mfa-regenerate', async (form) => {
  const { recovery_codes: codes } = await call('POST', '/accounts/users/me/mfa/recovery-codes', formBody(form));
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
